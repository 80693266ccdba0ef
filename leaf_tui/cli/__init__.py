"""The `leaf-tui` command: the TUI by default, plus login/logout/profiles/paths, the sandbox, and
`link create|list` for scripts. It shares the service layer (and session) with the TUI.

Results go to stdout (a link alone on its line, or JSON with --json); messages go to stderr.
Exit codes: 0 ok, 1 the API refused or failed, 2 bad input, 3 not logged in or login failed,
4 the server could not be reached, 5 `link create --copy` made the link but copied it nowhere
(the link is still printed), 130 interrupted, 141 the reader of the output went away
(`leaf-tui link list | head`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING

from leaf_tui import __version__
from leaf_tui.api.errors import AuthError, Invalid, LeafError, Unreachable
from leaf_tui.cli.common import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_NOT_COPIED,
    EXIT_OK,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    Handler,
    Parser,
    UsageError,
    connection_options,
    err,
    opt,
)
from leaf_tui.cli.output import inert_output, raw_output
from leaf_tui.common import crash, debuglog, paths
from leaf_tui.domain import config

if TYPE_CHECKING:
    from leaf_tui.cli.link import link_request, provider_name
    from leaf_tui.domain.embedded_sandbox import Starting
    from leaf_tui.domain.first_page import FirstPage
    from leaf_tui.domain.session import Session

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_COPIED",
    "EXIT_OK",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "link_request",
    "main",
    "provider_name",
]


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; without `commands`, only the dashboard's options (what a
    start of the dashboard parses: its commands' modules are then not imported, start-up)."""
    parser = Parser(
        prog="leaf-tui",
        description="A keyboard-first terminal dashboard for the Leaf API. "
        "Without a command it opens the dashboard (the embedded sandbox unless a profile is "
        "chosen).",
        epilog="Environment: LEAF_PROFILE, LEAF_API_URL, LEAF_TOKEN, LEAF_TUI_HOME. "
        "Exit codes: 0 ok, 1 API error, 2 bad input, 3 login needed/failed, 4 unreachable, "
        "5 link created but not copied (--copy).",
    )
    parser.add_argument("--version", action="version", version=f"leaf-tui {__version__}")
    connection_options(parser, top=True)
    parser.set_defaults(handler=cmd_tui)
    if commands:
        _add_commands(parser)
    return parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    from leaf_tui.cli.connections import add_attention, add_connections
    from leaf_tui.cli.link import add_link
    from leaf_tui.cli.login import add_login, add_logout
    from leaf_tui.cli.profiles import add_paths, add_profiles
    from leaf_tui.cli.sandbox import add_sandbox

    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    add_login(commands)
    add_logout(commands)
    add_profiles(commands)
    add_paths(commands)
    add_sandbox(commands)
    add_link(commands)
    add_connections(commands)
    add_attention(commands)


def __getattr__(name: str) -> object:
    """`link_request` and `provider_name`, from cli.link (imported when first asked for)."""
    if name in ("link_request", "provider_name"):
        from leaf_tui.cli import link

        return getattr(link, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(
    argv: Sequence[str] | None = None,
    *,
    sandbox: Starting | None = None,
    dashboard: bool = False,
    first_page: FirstPage | None = None,
) -> int:
    """`sandbox`: the embedded sandbox leaf_tui.entry started, for the dashboard to use;
    `first_page`: on a real profile, the first users page it asked for.
    `dashboard`: argv holds only the dashboard's options (leaf_tui.entry read it so)."""
    with inert_output():  # the CLI's one sanitising step: see cli/output.py
        return _main(argv, sandbox, dashboard, first_page)


def _main(
    argv: Sequence[str] | None,
    sandbox: Starting | None,
    dashboard: bool = False,
    first_page: FirstPage | None = None,
) -> int:
    parser = build_parser(commands=not dashboard)
    args = parser.parse_args(argv)
    args.early_sandbox = sandbox
    args.early_first_page = first_page
    handler: Handler = args.handler
    try:
        if handler is not cmd_tui:  # the dashboard shows them itself (stderr is hidden then)
            for warning in config.file_warnings():
                err(f"warning: {warning}")
        return handler(args)
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader stopped reading (`| head`): end quietly. Point stdout at devnull so the
        # interpreter's final flush does not fail (and print a traceback) a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (
        UsageError,
        config.ConfigError,
        LeafError,
        paths.CannotCreate,
        debuglog.LogFileError,
    ) as exc:
        err(f"error: {exc}")
        return exit_code(exc)
    except Exception as exc:  # a bug of ours: one line here, the details in the debug log
        err(crash.one_line(exc))
        return EXIT_API


def exit_code(exc: Exception) -> int:
    """The documented exit code of a failure: bad input 2, login 3, unreachable 4, else 1."""
    if isinstance(exc, AuthError):
        return EXIT_AUTH
    if isinstance(exc, Unreachable):
        return EXIT_UNREACHABLE
    if isinstance(exc, LeafError) and not isinstance(exc, Invalid):
        return EXIT_API
    return EXIT_USAGE  # UsageError, ConfigError, and Leaf refusing the input (Invalid)


def cmd_tui(args: argparse.Namespace) -> int:
    from leaf_tui.domain.session import open_session

    profile, base_url, debug = opt(args, "profile"), opt(args, "base_url"), bool(args.debug)
    allow_http = bool(opt(args, "allow_http"))
    # an unknown profile, an unreadable settings file, a bad URL or LEAF_TOKEN: one line here,
    # before the UI takes the screen
    config.resolve(profile, base_url=base_url)
    if base_url is not None:
        base_url = config.normalize_base_url(base_url, where="--base-url")
    # The embedded sandbox, if leaf_tui.entry started it: it starts up in its own process
    # while this one imports Textual. open_session lets it go if the profile is not the sandbox.
    early: Starting | None = opt(args, "early_sandbox")
    first_page: FirstPage | None = opt(args, "early_first_page")
    try:
        try:
            from leaf_tui.tui.app import LeafApp
        except ImportError as exc:
            if exc.name is not None and not exc.name.startswith("leaf_tui"):
                raise
            err(f"error: the dashboard is not available in this build ({exc})")
            return EXIT_API
        from leaf_tui.tui.long_lived import freeze_imports

        freeze_imports()

        def connect() -> Awaitable[Session]:
            nonlocal early, first_page
            starting, early = early, None  # the first connect only; a retry starts anew
            asked, first_page = first_page, None
            return open_session(
                profile,
                debug=debug,
                base_url=base_url,
                sandbox=starting,
                allow_http=allow_http,
                first_page=asked,
            )

        app = LeafApp(connect=connect)
        with raw_output():  # the TUI draws with escapes of its own; its text is made inert inside
            app.run()
    finally:
        if early is not None:
            early.cancel()
    crashed = app.crash_report.one_line(app.crash_secrets())
    if crashed is not None:
        err(crashed)
    code = app.return_code
    return int(code) if isinstance(code, int) else EXIT_OK
