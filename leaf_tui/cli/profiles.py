"""`leaf-tui profiles` (list, use, add, remove) and `leaf-tui paths`."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from typing import Any

from leaf_tui.cli.common import EXIT_OK, Parser, UsageError, expiry_text, iso, print_table
from leaf_tui.common import debuglog, paths
from leaf_tui.domain import config
from leaf_tui.domain.cleartext import check_cleartext


def add_profiles(commands: Any) -> None:
    profiles = commands.add_parser(
        "profiles",
        help="list profiles (active one marked), or add/use/remove one",
        description="Without a subcommand: list the profiles, marking the active one, with "
        "each one's API and when its token expires.",
    )
    profiles.add_argument("--json", action="store_true", help="print JSON")
    profiles.set_defaults(handler=cmd_profiles_list)
    sub = profiles.add_subparsers(title="subcommands", metavar="SUBCOMMAND", parser_class=Parser)

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
    add.add_argument(
        "--allow-http",
        action="store_true",
        help="allow plain http:// to a host other than this machine (password and token in "
        "clear text); without it such a URL is refused when used",
    )
    add.set_defaults(handler=cmd_profiles_add)

    remove = sub.add_parser(
        "remove",
        help="remove a profile and its token",
        description="Remove profile NAME and forget its token.",
    )
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_profiles_remove)


def add_paths(commands: Any) -> None:
    paths_cmd = commands.add_parser(
        "paths",
        help="where settings, tokens, data and logs live",
        description="Print where leaf-tui keeps its files (LEAF_TUI_HOME moves them all).",
    )
    paths_cmd.add_argument("--json", action="store_true", help="print JSON")
    paths_cmd.set_defaults(handler=cmd_paths)


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
            token_state, expires = expiry_text(stored.expires_at), stored.expires_at
        rows.append(
            {
                "name": name,
                "active": name == active,
                "base_url": profile.base_url,
                "username": profile.username,
                "token": token_state,
                "token_expires_at": iso(expires),
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
    print_table(["  PROFILE", "API", "USERNAME", "TOKEN"], table)
    if active != settings.active_profile:
        print(f"(active from LEAF_PROFILE; the settings say {settings.active_profile!r})")
    return EXIT_OK


def cmd_profiles_use(args: argparse.Namespace) -> int:
    def use(settings: config.Settings) -> config.Settings:
        settings.profile(args.name)  # must exist
        return replace(settings, active_profile=args.name)

    config.update_settings(use)
    print(f"Active profile: {args.name}")
    return EXIT_OK


def cmd_profiles_add(args: argparse.Namespace) -> int:
    url = config.normalize_base_url(args.base_url, where="--base-url")
    username = args.username
    allow_http: bool = args.allow_http

    def add(settings: config.Settings) -> config.Settings:
        nonlocal username, allow_http
        previous = settings.profiles.get(args.name)
        username = username or (previous.username if previous else None)
        read_only = previous.read_only if previous else False
        allow_http = allow_http or bool(previous and previous.allow_http)
        check_cleartext(url, allowed=allow_http, profile=args.name)
        profile = config.Profile(
            args.name, url, username, read_only=read_only, allow_http=allow_http
        )
        return settings.with_profile(profile)

    config.update_settings(add)
    print(f"Profile {args.name!r}: {url}" + (f" as {username}" if username else ""))
    print(f"Log in with: leaf-tui login --profile {args.name}")
    return EXIT_OK


def cmd_profiles_remove(args: argparse.Namespace) -> int:
    if args.name == config.SANDBOX:
        raise UsageError("the sandbox profile is built in and cannot be removed")
    with config.config_lock():
        config.update_settings(lambda settings: settings.without_profile(args.name))
        config.delete_token(args.name)
    print(f"Removed profile {args.name!r} and its token.")
    return EXIT_OK


def cmd_paths(args: argparse.Namespace) -> int:
    from leaf_tui.domain.session import SANDBOX_DB

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
        print_table(["WHAT", "PATH"], [[k, v] for k, v in places.items()])
    return EXIT_OK
