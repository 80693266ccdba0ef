"""`leaf-tui login` and `leaf-tui logout`: a profile's token in, or out of, the token file."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import replace
from typing import Any

from leaf_tui.cli.common import (
    EXIT_OK,
    UsageError,
    connection_options,
    expiry_text,
    opt,
    run,
)
from leaf_tui.common import debuglog
from leaf_tui.domain import config
from leaf_tui.domain.cleartext import check_cleartext


def add_login(commands: Any) -> None:
    login = commands.add_parser(
        "login",
        help="log in to a Leaf API and store the token",
        description="Log in as a Leaf API owner (rememberMe: the token lasts 30 days). The "
        "password is read without echo and never stored; the token goes to the 0600 token file. "
        "A new profile name is created with --base-url (default https://api.withleaf.io). "
        "The profile becomes the active one.",
    )
    connection_options(login)
    login.add_argument("--username", metavar="EMAIL", help="API owner email")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    login.set_defaults(handler=cmd_login)


def add_logout(commands: Any) -> None:
    logout = commands.add_parser(
        "logout",
        help="forget a profile's stored token",
        description="Remove the stored token of a profile (default: the active one).",
    )
    logout.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS)
    logout.add_argument("--all", action="store_true", help="forget every stored token")
    logout.set_defaults(handler=cmd_logout)


def cmd_login(args: argparse.Namespace) -> int:
    from leaf_tui.domain.session import login

    settings = config.load_settings()
    explicit = opt(args, "profile")
    name = config.chosen_profile_name(explicit, settings)
    base_url = opt(args, "base_url")
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
    # the URL, and where it came from (named when it is unusable)
    url, where = base_url, "--base-url"
    if not url:
        url, where = os.environ.get("LEAF_API_URL"), "LEAF_API_URL"
    if not url:
        url, where = (existing.base_url if existing else None), f"profiles.{name}.base_url"
    url = config.normalize_base_url(url or config.DEFAULT_BASE_URL, where=where)
    allow_http = bool(opt(args, "allow_http")) or bool(existing and existing.allow_http)
    check_cleartext(url, allowed=allow_http, profile=name)  # before the password is asked for
    username = args.username or (existing.username if existing else None) or _ask_username()
    password = _read_password(args.password_stdin, username, url)

    token = run(
        login(
            config.Profile(name, url, username, allow_http=allow_http),
            username,
            password,
            base_url=url,
            debug_log=debuglog.setup(bool(opt(args, "debug"))),
        )
    )
    config.update_settings(lambda settings: replace(settings, active_profile=name))
    print(f"Logged in to profile {name!r} ({url}) as {token.subject or username}.")
    print(f"Token {expiry_text(token.expires_at)}.")
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


def cmd_logout(args: argparse.Namespace) -> int:
    if args.all:
        names = list(config.load_tokens())
        for name in names:
            config.delete_token(name)
        print(f"Forgot {len(names)} stored token(s).")
        return EXIT_OK
    settings = config.load_settings()
    name = config.chosen_profile_name(opt(args, "profile"), settings)
    if name == config.SANDBOX:
        print("The sandbox profile has no stored token (it logs itself in).")
        return EXIT_OK
    if name not in settings.all_profiles() and name not in config.load_tokens():
        known = ", ".join(settings.all_profiles())
        raise UsageError(f"no profile named {name!r} (known: {known})")
    if config.delete_token(name):
        print(f"Logged out of profile {name!r}: its token was removed.")
    else:
        print(f"Profile {name!r} had no stored token.")
    return EXIT_OK
