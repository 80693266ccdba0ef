"""The `leaf-tui` command: the TUI by default, plus login/logout/profiles/paths, the sandbox, and
`link create|list` for scripts. It shares the service layer (and session) with the TUI.

Results go to stdout (a link alone on its line, or JSON with --json); messages go to stderr.
Exit codes: 0 ok, 1 the API refused or failed, 2 bad input, 3 not logged in or login failed,
4 the server could not be reached, 130 interrupted, 141 the reader of the output went away
(`leaf-tui link list | head`).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, NoReturn, TextIO, TypeVar

from leaf_tui import __version__, clock, config, debuglog, paths
from leaf_tui.api.errors import AuthError, Invalid, LeafError, NotFound, Unreachable
from leaf_tui.api.models import PROVIDERS, LinkKind, LinkRequest, LinkSettings, MagicLink
from leaf_tui.formatting import format_duration, format_when, uses_bar

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_UNREACHABLE = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a tool stopped by a closed pipe

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")


class UsageError(Exception):
    """Bad input found before anything was sent; exit 2 with the message."""


# -- parser ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse's usage errors, but with our `leaf-tui: error:` wording and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _connection_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the defaults are SUPPRESS so they never overwrite a value given before the
    # subcommand (`leaf-tui --profile prod link list` and `leaf-tui link list --profile prod`).
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=default,
        help="profile to use (default: $LEAF_PROFILE, else the active profile, else the sandbox)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default=default,
        help="API base URL for this run (like $LEAF_API_URL), e.g. http://127.0.0.1:8765",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=f"log requests (method, path, status, time; no secrets) to {debuglog.log_path()}",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leaf-tui",
        description="A keyboard-first terminal dashboard for the Leaf API. "
        "Without a command it opens the dashboard (the embedded sandbox unless a profile is "
        "chosen).",
        epilog="Environment: LEAF_PROFILE, LEAF_API_URL, LEAF_TOKEN, LEAF_TUI_HOME. "
        "Exit codes: 0 ok, 1 API error, 2 bad input, 3 login needed/failed, 4 unreachable.",
    )
    parser.add_argument("--version", action="version", version=f"leaf-tui {__version__}")
    _connection_options(parser, top=True)
    parser.set_defaults(handler=cmd_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    login = commands.add_parser(
        "login",
        help="log in to a Leaf API and store the token",
        description="Log in as a Leaf API owner (rememberMe: the token lasts 30 days). The "
        "password is read without echo and never stored; the token goes to the 0600 token file. "
        "A new profile name is created with --base-url (default https://api.withleaf.io). "
        "The profile becomes the active one.",
    )
    _connection_options(login)
    login.add_argument("--username", metavar="EMAIL", help="API owner email")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    login.set_defaults(handler=cmd_login)

    logout = commands.add_parser(
        "logout",
        help="forget a profile's stored token",
        description="Remove the stored token of a profile (default: the active one).",
    )
    logout.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS)
    logout.add_argument("--all", action="store_true", help="forget every stored token")
    logout.set_defaults(handler=cmd_logout)

    _add_profiles(commands)

    paths_cmd = commands.add_parser(
        "paths",
        help="where settings, tokens, data and logs live",
        description="Print where leaf-tui keeps its files (LEAF_TUI_HOME moves them all).",
    )
    paths_cmd.add_argument("--json", action="store_true", help="print JSON")
    paths_cmd.set_defaults(handler=cmd_paths)

    _add_sandbox(commands)
    _add_link(commands)
    return parser


def _add_profiles(commands: Any) -> None:
    profiles = commands.add_parser(
        "profiles",
        help="list profiles (active one marked), or add/use/remove one",
        description="Without a subcommand: list the profiles, marking the active one, with "
        "each one's API and when its token expires.",
    )
    profiles.add_argument("--json", action="store_true", help="print JSON")
    profiles.set_defaults(handler=cmd_profiles_list)
    sub = profiles.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=_Parser)

    listing = sub.add_parser("list", help="list profiles", description="List the profiles.")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_profiles_list)

    use = sub.add_parser(
        "use", help="make a profile the active one", description="Make NAME the active profile."
    )
    use.add_argument("name", metavar="NAME")
    use.set_defaults(handler=cmd_profiles_use)

    add = sub.add_parser(
        "add",
        help="add or change a profile (no login)",
        description="Add a profile, or change its base URL or username. Log in with "
        "`leaf-tui login --profile NAME`.",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--base-url", metavar="URL", default=config.DEFAULT_BASE_URL)
    add.add_argument("--username", metavar="EMAIL")
    add.set_defaults(handler=cmd_profiles_add)

    remove = sub.add_parser(
        "remove",
        help="remove a profile and its token",
        description="Remove profile NAME and forget its token.",
    )
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_profiles_remove)


def _add_sandbox(commands: Any) -> None:
    description = "Run the local Leaf API sandbox (the same one the dashboard embeds)."
    try:  # the sandbox engineer's module; imported by name so a build without it still works
        cli_args = importlib.import_module("leaf_tui.sandbox.cli_args")
    except ImportError:
        sandbox = commands.add_parser(
            "sandbox", help="run the local sandbox API server", description=description
        )
        sandbox.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        sandbox.set_defaults(handler=_sandbox_missing)
        return
    sandbox = commands.add_parser(
        "sandbox", help="run the local sandbox API server", description=description
    )
    cli_args.add_arguments(sandbox)

    def run(args: argparse.Namespace) -> int:
        result = cli_args.run_from_args(args)
        return int(result) if isinstance(result, int) else EXIT_OK

    sandbox.set_defaults(handler=run)


def _sandbox_missing(args: argparse.Namespace) -> int:
    _err("error: the sandbox command is not available in this build (leaf_tui.sandbox.cli_args)")
    return EXIT_API


def _add_link(commands: Any) -> None:
    link = commands.add_parser(
        "link",
        help="create or list magic links (for scripts)",
        description="Magic links from the command line, through the same service layer as the "
        "dashboard.",
    )
    link.set_defaults(handler=lambda args: _usage(link))
    sub = link.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=_Parser)

    create = sub.add_parser(
        "create",
        help="create a magic link for a user",
        description="Create a magic link for an existing Leaf user (--user) or for a user found "
        "or created by externalId (--external-id). Prints the link (or JSON with --json).",
        epilog=f"Providers: {', '.join(PROVIDERS)}. Expiry: seconds or 15m, 1h, 7d, 2w, 1y "
        "(15 minutes to one year).",
    )
    _connection_options(create)
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
    create.add_argument("--copy", action="store_true", help="copy the link to the clipboard")
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(handler=cmd_link_create)

    listing = sub.add_parser(
        "list",
        help="list magic links",
        description="List magic links of all kinds (or one), optionally for one user.",
    )
    _connection_options(listing)
    listing.add_argument("--user", metavar="ID", help="only this Leaf user's links")
    listing.add_argument("--kind", choices=[kind.path for kind in LinkKind], help="only this kind")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_link_list)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


# -- entry point -----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end quietly. Point stdout at devnull so the
        # interpreter's final flush does not fail (and print a traceback) a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (UsageError, config.ConfigError) as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except AuthError as exc:
        _err(f"error: {exc}")
        return EXIT_AUTH
    except Unreachable as exc:
        _err(f"error: {exc}")
        return EXIT_UNREACHABLE
    except Invalid as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except LeafError as exc:
        _err(f"error: {exc}")
        return EXIT_API


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def _opt(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


# -- the TUI ---------------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    from leaf_tui.session import open_session

    try:
        from leaf_tui.tui.app import LeafApp
    except ImportError as exc:
        if exc.name is not None and not exc.name.startswith("leaf_tui"):
            raise
        _err(f"error: the dashboard is not available in this build ({exc})")
        return EXIT_API
    profile, base_url, debug = _opt(args, "profile"), _opt(args, "base_url"), bool(args.debug)
    if profile is not None:
        config.load_settings().profile(profile)  # an unknown name fails here, before the UI
    if base_url is not None:
        base_url = config.normalize_base_url(base_url)

    app = LeafApp(connect=lambda: open_session(profile, debug=debug, base_url=base_url))
    app.run()
    code = app.return_code
    return int(code) if isinstance(code, int) else EXIT_OK


# -- login / logout --------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace) -> int:
    from leaf_tui.session import login

    settings = config.load_settings()
    explicit = _opt(args, "profile")
    name = config.chosen_profile_name(explicit, settings)
    base_url = _opt(args, "base_url")
    if name == config.SANDBOX:
        if explicit == config.SANDBOX:
            raise UsageError(
                "the sandbox profile logs itself in; to log in to a server, name a profile: "
                "leaf-tui login --profile NAME --base-url URL"
            )
        name = "default"  # first real login without a name
    if name == config.ENV_PROFILE:
        raise UsageError("'env' is reserved for LEAF_API_URL: choose another --profile name")
    existing = settings.all_profiles().get(config.check_profile_name(name))
    url = config.normalize_base_url(
        base_url
        or os.environ.get("LEAF_API_URL")
        or (existing.base_url if existing else None)
        or config.DEFAULT_BASE_URL
    )
    username = args.username or (existing.username if existing else None) or _ask_username()
    password = _read_password(args.password_stdin, username, url)

    token = _run(
        login(
            config.Profile(name, url, username),
            username,
            password,
            base_url=url,
            debug_log=debuglog.setup(bool(_opt(args, "debug"))),
        )
    )
    config.save_settings(replace(config.load_settings(), active_profile=name))
    print(f"Logged in to profile {name!r} ({url}) as {token.subject or username}.")
    print(f"Token {_expiry_text(token.expires_at)}.")
    print(f"Active profile: {name}")
    return EXIT_OK


def _ask_username() -> str:
    if not sys.stdin.isatty():
        raise UsageError("no username: pass --username EMAIL")
    try:
        username = input("Username (API owner email): ").strip()
    except EOFError:
        username = ""
    if not username:
        raise UsageError("no username given")
    return username


def _read_password(from_stdin: bool, username: str, url: str) -> str:
    try:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"Password for {username} at {url}: ")
    except EOFError:
        password = ""
    if not password:
        raise UsageError("no password given")
    return password


def _expiry_text(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "expiry unknown"
    left = (expires_at - clock.now()).total_seconds()
    if left <= 0:
        return f"expired {format_when(expires_at)}"
    return f"expires {format_when(expires_at)} (in {format_duration(left)})"


def cmd_logout(args: argparse.Namespace) -> int:
    if args.all:
        names = list(config.load_tokens())
        for name in names:
            config.delete_token(name)
        print(f"Forgot {len(names)} stored token(s).")
        return EXIT_OK
    settings = config.load_settings()
    name = config.chosen_profile_name(_opt(args, "profile"), settings)
    if name == config.SANDBOX:
        print("The sandbox profile has no stored token (it logs itself in).")
        return EXIT_OK
    if config.delete_token(name):
        print(f"Logged out of profile {name!r}: its token was removed.")
    else:
        print(f"Profile {name!r} had no stored token.")
    return EXIT_OK


# -- profiles and paths ----------------------------------------------------------------------


def cmd_profiles_list(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    active = config.chosen_profile_name(None, settings)
    tokens = config.load_tokens()
    rows: list[dict[str, Any]] = []
    for name, profile in settings.all_profiles().items():
        stored = config.get_token(profile) if not profile.is_sandbox else None
        if profile.is_sandbox:
            token_state, expires = "automatic (embedded sandbox)", None
        elif stored is None:
            token_state = "not logged in" if name not in tokens else "token for another URL"
            expires = None
        else:
            token_state, expires = _expiry_text(stored.expires_at), stored.expires_at
        rows.append(
            {
                "name": name,
                "active": name == active,
                "base_url": profile.base_url,
                "username": profile.username,
                "token": token_state,
                "token_expires_at": _iso(expires),
                "logged_in": stored is not None and not stored.is_expired(margin=0),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    table = [
        [
            ("* " if row["active"] else "  ") + row["name"],
            row["base_url"] or "embedded",
            row["username"] or "—",
            row["token"],
        ]
        for row in rows
    ]
    _print_table(["  PROFILE", "API", "USERNAME", "TOKEN"], table)
    if active != settings.active_profile:
        print(f"(active from LEAF_PROFILE; the settings say {settings.active_profile!r})")
    return EXIT_OK


def cmd_profiles_use(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    settings.profile(args.name)  # must exist
    config.save_settings(replace(settings, active_profile=args.name))
    print(f"Active profile: {args.name}")
    return EXIT_OK


def cmd_profiles_add(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    url = config.normalize_base_url(args.base_url)
    previous = settings.profiles.get(args.name)
    username = args.username or (previous.username if previous else None)
    config.save_settings(settings.with_profile(config.Profile(args.name, url, username)))
    print(f"Profile {args.name!r}: {url}" + (f" as {username}" if username else ""))
    print(f"Log in with: leaf-tui login --profile {args.name}")
    return EXIT_OK


def cmd_profiles_remove(args: argparse.Namespace) -> int:
    if args.name == config.SANDBOX:
        raise UsageError("the sandbox profile is built in and cannot be removed")
    settings = config.load_settings()
    config.save_settings(settings.without_profile(args.name))
    config.delete_token(args.name)
    print(f"Removed profile {args.name!r} and its token.")
    return EXIT_OK


def cmd_paths(args: argparse.Namespace) -> int:
    from leaf_tui.session import SANDBOX_DB

    places = {
        "config": str(paths.config_dir()),
        "settings": str(config.settings_path()),
        "tokens": str(config.tokens_path()),
        "data": str(paths.data_dir()),
        "sandbox_db": str(paths.data_dir() / SANDBOX_DB),
        "logs": str(paths.log_dir()),
        "debug_log": str(debuglog.log_path()),
    }
    if args.json:
        print(json.dumps(places, indent=2))
    else:
        _print_table(["WHAT", "PATH"], [[k, v] for k, v in places.items()])
    return EXIT_OK


# -- links -----------------------------------------------------------------------------------


def provider_name(text: str) -> str:
    """The documented spelling of a provider, matched case-insensitively."""
    for name in PROVIDERS:
        if name.lower() == text.strip().lower():
            return name
    raise UsageError(f"unknown provider {text!r}: choose from {', '.join(PROVIDERS)}")


def link_request(args: argparse.Namespace, default_expiry: int) -> LinkRequest:
    """Validate the flags into a request, before anything is sent."""
    kind = LinkKind.from_path(args.kind)
    providers = tuple(dict.fromkeys(provider_name(p) for p in args.provider))
    if kind is LinkKind.PROVIDER and not providers:
        raise UsageError(f"a provider link needs at least one --provider ({', '.join(PROVIDERS)})")
    if kind is LinkKind.AUTHENTICATION and len(providers) != 1:
        raise UsageError("an authentication link needs exactly one --provider")
    if kind is LinkKind.FILE_UPLOAD and providers:
        raise UsageError("a file-upload link takes no --provider")
    if kind is LinkKind.FILE_UPLOAD and args.disconnect_enabled:
        raise UsageError("--disconnect-enabled applies to provider and authentication links only")
    if args.user and (args.name or args.email):
        raise UsageError("--name and --email describe a new user: use them with --external-id")
    if args.external_id is not None and not args.external_id.strip():
        raise UsageError("--external-id must not be empty")
    try:
        expires_in = (
            config.parse_expiry(args.expires) if args.expires is not None else default_expiry
        )
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.background_color and not _is_hex_colour(args.background_color):
        raise UsageError(f"bad --background-color {args.background_color!r}: use #RGB or #RRGGBB")
    for flag, value in (
        ("--company-logo", args.company_logo),
        ("--header-image", args.header_image),
    ):
        if value and not value.startswith(("http://", "https://")):
            raise UsageError(f"bad {flag} {value!r}: use an http(s) URL")
    settings = LinkSettings(
        background_color=args.background_color,
        header_image=args.header_image,
        company_logo=args.company_logo,
        company_name=args.company_name,
        show_leaf_user_name=True if args.show_user_name else None,
        disconnect_enabled=True if args.disconnect_enabled else None,
    )
    return LinkRequest(
        kind=kind,
        expires_in=expires_in,
        allowed_providers=providers if kind is LinkKind.PROVIDER else (),
        provider=providers[0] if kind is LinkKind.AUTHENTICATION else None,
        settings=settings,
    )


def _is_hex_colour(value: str) -> bool:
    digits = value.removeprefix("#")
    return (
        value.startswith("#")
        and len(digits) in (3, 6)
        and all(c in "0123456789abcdefABCDEF" for c in digits)
    )


def cmd_link_create(args: argparse.Namespace) -> int:
    settings = config.load_settings()
    request = link_request(args, settings.link_expiry)
    return _run(_link_create(args, request))


async def _link_create(args: argparse.Namespace, request: LinkRequest) -> int:
    from leaf_tui.session import open_session

    session = await open_session(
        _opt(args, "profile"), debug=bool(_opt(args, "debug")), base_url=_opt(args, "base_url")
    )
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
                request, args.external_id.strip(), name=args.name, email=args.email
            )
    finally:
        await session.aclose()

    copied = None
    if args.copy:
        from leaf_tui.clipboard import copy_text

        copied = copy_text(created.link, _osc52_writer(sys.stderr))
    if args.json:
        body: dict[str, Any] = {
            "id": created.id,
            "link": created.link,
            "kind": request.kind.path,
            "leafUserId": created.leaf_user_id,
            "expiresAt": _iso(created.expires_at),
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
        _err(
            f"{request.kind.label} link for user {created.leaf_user_id or '?'}; "
            f"providers: {providers}; {_expiry_text(created.expires_at)}"
        )
        if copied is not None:
            _err(copied.summary)
    return EXIT_OK


def _osc52_writer(stream: TextIO) -> Callable[[str], None] | None:
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
    return _run(_link_list(args))


async def _link_list(args: argparse.Namespace) -> int:
    from leaf_tui.session import open_session

    session = await open_session(
        _opt(args, "profile"), debug=bool(_opt(args, "debug")), base_url=_opt(args, "base_url")
    )
    try:
        if args.kind:
            links = await session.client.links.list(LinkKind.from_path(args.kind))
        else:
            links = await session.client.links.list_all()
    finally:
        await session.aclose()
    if args.user:
        links = [link for link in links if link.leaf_user_id == args.user]
    now = clock.now()
    if args.json:
        print(json.dumps([_link_json(link, now) for link in links], indent=2))
        return EXIT_OK
    rows = [
        [
            link.id,
            link.kind.path if link.kind else (link.widget or "?"),
            link.leaf_user_id or "—",
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
    _print_table(["ID", "KIND", "USER", "PROVIDERS", "EXPIRES IN", "USES", "LINK"], rows)
    _err(f"{len(rows)} link(s)")
    return EXIT_OK


def _link_json(link: MagicLink, now: datetime) -> dict[str, Any]:
    return {
        "id": link.id,
        "link": link.link,
        "kind": link.kind.path if link.kind else None,
        "leafUserId": link.leaf_user_id,
        "providers": list(link.providers),
        "createdAt": _iso(link.created_at),
        "expiresAt": _iso(link.expires_at),
        "lastAccessedAt": _iso(link.last_accessed_at),
        "usageCount": link.usage_count,
        "maxUsage": link.max_usage,
        "expired": link.is_expired(now),
        "usedUp": link.is_used_up,
    }


# -- output helpers --------------------------------------------------------------------------


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    for row in [list(headers), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
