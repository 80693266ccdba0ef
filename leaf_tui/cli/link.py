"""`leaf-tui link create|list`: magic links for scripts, through the same service layer as the
dashboard. Flags are checked into a request before anything is sent."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import (
    PROVIDERS,
    LeafUser,
    LinkKind,
    LinkRequest,
    LinkSettings,
    MagicLink,
)
from leaf_tui.cli.common import (
    EXIT_NOT_COPIED,
    EXIT_OK,
    Parser,
    UsageError,
    announce_waits,
    connection_options,
    err,
    expiry_text,
    iso,
    opt,
    print_table,
    run,
    usage,
)
from leaf_tui.common import clock
from leaf_tui.common.formatting import format_duration, uses_bar
from leaf_tui.domain import config

if TYPE_CHECKING:
    from leaf_tui.domain.session import Session


def add_link(commands: Any) -> None:
    link = commands.add_parser(
        "link",
        help="create or list magic links (for scripts)",
        description="Magic links from the command line, through the same service layer as the "
        "dashboard.",
    )
    link.set_defaults(handler=lambda args: usage(link))
    sub = link.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=Parser)

    create = sub.add_parser(
        "create",
        help="create a magic link for a user",
        description="Create a magic link for an existing Leaf user (--user) or for a user found "
        "or created by externalId (--external-id). Prints the link (or JSON with --json).",
        epilog=f"Providers: {', '.join(PROVIDERS)}. Expiry: seconds or 15m, 1h, 7d, 2w, 1y "
        "(15 minutes to one year).",
    )
    connection_options(create)
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", metavar="ID", help="Leaf user id")
    who.add_argument(
        "--external-id",
        metavar="X",
        help="externalId: the user with it is reused, else created",
    )
    create.add_argument("--name", metavar="N", help="name for a new user (with --external-id)")
    create.add_argument("--email", metavar="E", help="email for a new user (with --external-id)")
    create.add_argument(
        "--kind",
        choices=[kind.path for kind in LinkKind],
        default=LinkKind.PROVIDER.path,
        help="link kind (default: provider)",
    )
    create.add_argument(
        "--provider",
        metavar="P",
        action="append",
        default=[],
        help="provider to offer; repeat for several (provider links); exactly one for "
        "authentication links",
    )
    create.add_argument(
        "--expires",
        metavar="DURATION",
        help="how long the link works (default: the setting link_expiry, 1h)",
    )
    create.add_argument("--company-name", metavar="TEXT", help="company name on the page")
    create.add_argument("--background-color", metavar="HEX", help="page colour, e.g. #F5F5F5")
    create.add_argument("--company-logo", metavar="URL", help="logo image URL")
    create.add_argument("--header-image", metavar="URL", help="header image URL")
    create.add_argument(
        "--show-user-name", action="store_true", help="show the Leaf user's name on the page"
    )
    create.add_argument(
        "--disconnect-enabled",
        action="store_true",
        help="let the grower disconnect (provider and authentication links)",
    )
    create.add_argument(
        "--copy",
        action="store_true",
        help="copy the link to the clipboard; if nothing took it, say so on stderr and exit "
        f"{EXIT_NOT_COPIED} (the link is still printed)",
    )
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(handler=cmd_link_create)

    listing = sub.add_parser(
        "list",
        help="list magic links",
        description="List magic links of all kinds (or one), optionally for one user.",
    )
    connection_options(listing)
    listing.add_argument("--user", metavar="ID", help="only this Leaf user's links")
    listing.add_argument("--kind", choices=[kind.path for kind in LinkKind], help="only this kind")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_link_list)


def provider_name(text: str) -> str:
    """The documented spelling of a provider, matched case-insensitively."""
    for name in PROVIDERS:
        if name.lower() == text.strip().lower():
            return name
    raise UsageError(f"unknown provider {text!r}: choose from {', '.join(PROVIDERS)}")


# The draft's field names as the flags that fill them, to name the flag in an error.
FLAG_OF_FIELD = {
    "user": "--user",
    "external_id": "--external-id",
    "new_name": "--name",
    "new_email": "--email",
    "providers": "--provider",
    "expiry": "--expires",
    "background_color": "--background-color",
    "company_name": "--company-name",
    "company_logo": "--company-logo",
    "header_image": "--header-image",
}


def link_request(args: argparse.Namespace, default_expiry: int) -> LinkRequest:
    """Validate the flags into a request, before anything is sent: by the wizard's own rules
    (link_draft), plus the flag combinations a draft cannot hold."""
    from leaf_tui.domain.link_draft import LinkDraft  # not on the dashboard's way (start-up)

    kind = LinkKind.from_path(args.kind)
    providers = tuple(dict.fromkeys(provider_name(p) for p in args.provider))
    if kind is LinkKind.AUTHENTICATION and len(providers) > 1:
        raise UsageError("an authentication link takes exactly one --provider")
    if kind is LinkKind.FILE_UPLOAD and providers:
        raise UsageError("a file-upload link takes no --provider")
    if kind is LinkKind.FILE_UPLOAD and args.disconnect_enabled:
        raise UsageError("--disconnect-enabled applies to provider and authentication links only")
    if args.user and (args.name or args.email):
        raise UsageError("--name and --email describe a new user: use them with --external-id")
    try:
        expires_in = (
            config.parse_expiry(args.expires) if args.expires is not None else default_expiry
        )
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    texts: dict[str, Any] = {name: getattr(args, name) or "" for name in LinkSettings.TEXT_KEYS}
    draft = LinkDraft(
        kind=kind,
        new_user=not args.user,
        user=LeafUser(id=args.user) if args.user else None,
        external_id=args.external_id or "",
        new_name=args.name or "",
        new_email=args.email or "",
        providers=providers,
        provider=providers[0] if providers else "",
        expiry=str(expires_in),
        show_leaf_user_name=args.show_user_name,
        disconnect_enabled=args.disconnect_enabled,
        **texts,
    )
    problems = draft.problems()
    if problems:
        field = problems[0].field
        value = getattr(draft, field, None)
        shown = f" {value!r}" if isinstance(value, str) and value else ""
        raise UsageError(f"bad {FLAG_OF_FIELD.get(field, field)}{shown}: {problems[0].message}")
    return draft.to_request()


def cmd_link_create(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    request = link_request(args, settings.link_expiry)
    return run(_link_create(args, request))


async def _open_session(args: argparse.Namespace) -> Session:
    """The session the connection options (--profile, --base-url, --debug) ask for."""
    from leaf_tui.domain.session import open_session

    session = await open_session(
        opt(args, "profile"),
        debug=bool(opt(args, "debug")),
        base_url=opt(args, "base_url"),
        allow_http=bool(opt(args, "allow_http")),
    )
    announce_waits(session.client)
    return session


async def _link_create(args: argparse.Namespace, request: LinkRequest) -> int:
    session = await _open_session(args)
    try:
        if args.user:
            try:
                created = await session.client.links.create_for_user(args.user, request)
            except NotFound as exc:
                raise NotFound(
                    f"No Leaf user with id {args.user!r} for this API owner "
                    f"({session.base_url}); find ids with the dashboard or `leaf-tui link list`",
                    status=exc.status,
                    method=exc.method,
                    path=exc.path,
                ) from None
        else:
            created = await session.client.links.create_with_user(
                request, args.external_id, name=args.name, email=args.email
            )
    finally:
        await session.aclose()

    copied = None
    if args.copy:
        from leaf_tui.common.clipboard import copy_text

        copied = copy_text(created.link, osc52_writer(sys.stderr))
    if args.json:
        body: dict[str, Any] = {
            "id": created.id,
            "link": created.link,
            "kind": request.kind.path,
            "leafUserId": created.leaf_user_id,
            "expiresAt": iso(created.expires_at),
            "expiresIn": request.expires_in,
            "providers": list(request.allowed_providers)
            or ([request.provider] if request.provider else []),
            "profile": session.profile_name,
        }
        if copied is not None:
            body["copied"] = {
                "systemClipboard": copied.pyperclip_ok,
                "osc52": copied.osc52_sent,
                "summary": copied.summary,
            }
        print(json.dumps(body, indent=2))
    else:
        print(created.link)
        providers = ", ".join(request.allowed_providers or (request.provider or "",)) or "—"
        err(
            f"{request.kind.label} link for user {created.leaf_user_id or '?'}; "
            f"providers: {providers}; {expiry_text(created.expires_at)}"
        )
        if copied is not None and copied.ok:
            err(copied.summary)
    if copied is not None and not copied.ok:
        err(
            f"error: the link was created but not copied ({copied.summary}); exit {EXIT_NOT_COPIED}"
        )
        return EXIT_NOT_COPIED
    return EXIT_OK


def osc52_writer(stream: TextIO) -> Callable[[str], None] | None:
    """OSC 52 to the terminal, only when the stream is one (never into a pipe or file)."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None

    def send(text: str) -> None:
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        stream.write(f"\x1b]52;c;{encoded}\x07")
        stream.flush()

    return send


def cmd_link_list(args: argparse.Namespace) -> int:
    return run(_link_list(args))


async def _link_list(args: argparse.Namespace) -> int:
    session = await _open_session(args)
    try:
        if args.kind:
            links = await session.client.links.list(LinkKind.from_path(args.kind))
        else:
            links = await session.client.links.list_all()
        if args.user:
            links = [link for link in links if link.leaf_user_id == args.user]
        names = await _user_names(session, links)
    finally:
        await session.aclose()
    now = clock.now()
    if args.json:
        print(json.dumps([_link_json(link, now, names) for link in links], indent=2))
        return EXIT_OK
    rows = [
        [
            link.id,
            link.kind.path if link.kind else (link.widget or "?"),
            link.leaf_user_id or "—",
            names.get(link.leaf_user_id or "", "—"),
            ", ".join(link.providers) or "—",
            "expired"
            if link.is_expired(now)
            else format_duration(link.seconds_left(now) or 0)
            if link.expires_at
            else "—",
            uses_bar(link.usage_count, link.max_usage, width=0).strip(),
            link.link,
        ]
        for link in links
    ]
    print_table(["ID", "KIND", "USER", "NAME", "PROVIDERS", "EXPIRES IN", "USES", "LINK"], rows)
    err(f"{len(rows)} link(s)")
    return EXIT_OK


async def _user_names(session: Session, links: list[MagicLink]) -> dict[str, str]:
    """The names of the links' users, as the Links screen shows them (each user fetched once).
    Names are a courtesy: when they cannot be had, the ids stand alone and a line says why."""
    from leaf_tui.api.errors import LeafError
    from leaf_tui.api.user_index import UserIndex

    ids = sorted({link.leaf_user_id for link in links if link.leaf_user_id})
    try:
        found = await UserIndex(session.client).resolve(ids, concurrency=8)
    except LeafError as exc:
        err(f"warning: users' names not shown ({exc})")
        return {}
    return {user_id: user.display_name for user_id, user in found.items()}


def _link_json(link: MagicLink, now: datetime, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": link.id,
        "link": link.link,
        "kind": link.kind.path if link.kind else None,
        "leafUserId": link.leaf_user_id,
        "userName": names.get(link.leaf_user_id or ""),
        "providers": list(link.providers),
        "createdAt": iso(link.created_at),
        "expiresAt": iso(link.expires_at),
        "lastAccessedAt": iso(link.last_accessed_at),
        "usageCount": link.usage_count,
        "maxUsage": link.max_usage,
        "expired": link.is_expired(now),
        "usedUp": link.is_used_up,
    }
