"""What every `leaf-tui` command shares: exit codes, the usage error, the parser class and its
connection options, and the small output helpers."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any, NoReturn, TypeVar

from leaf_tui.api.http import WAIT_SAID
from leaf_tui.common import clock, debuglog
from leaf_tui.common.formatting import format_duration, format_when
from leaf_tui.common.inert import inert

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_UNREACHABLE = 4
EXIT_NOT_COPIED = 5  # `link create --copy`: the link exists (printed) but reached no clipboard
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a tool stopped by a closed pipe

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")


class UsageError(Exception):
    """Bad input found before anything was sent; exit 2 with the message."""


PASSWORD_OPTION = re.compile(r"--pass(?!word-stdin$)[^=\s]*(=.*)?", re.S)
"""`--password hunter2`, `--pass=...`: an option no command has. argparse would take it for a
prefix of --password-stdin and echo the password in its error."""

NO_PASSWORD_OPTION = (
    "passwords are not taken on the command line (they would stay in the shell history and "
    "show in the process list): type it at the prompt, or pipe it in with --password-stdin"
)


class Parser(argparse.ArgumentParser):
    """argparse's usage errors, but with our `leaf-tui: error:` wording and exit code 2."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        given = sys.argv[1:] if args is None else list(args)
        for arg in given:
            if arg == "--":
                break
            if PASSWORD_OPTION.fullmatch(arg):
                self.error(NO_PASSWORD_OPTION)  # said plainly, and the value never echoed
        return super().parse_known_args(given, namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def connection_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
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
        "--allow-http",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="allow plain http:// to a host other than this machine (the password and token "
        "then cross the network in clear text); login keeps it in the profile",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=f"log requests (method, path, status, time; no secrets) to {debuglog.log_path()}",
    )


def usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def err(message: str) -> None:
    print(message, file=sys.stderr)


def announce_waits(client: Any) -> None:
    """A long wait before a retry (Leaf's Retry-After) goes to stderr instead of silence."""

    def on_status(status: Any) -> None:
        why = client.status_failure
        if status.name == "RETRYING" and why and why.startswith(WAIT_SAID):
            err(f"waiting: {why}")

    client.add_status_listener(on_status)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def opt(args: argparse.Namespace, name: str) -> Any:
    return getattr(args, name, None)


def expiry_text(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "expiry unknown"
    left = (expires_at - clock.now()).total_seconds()
    if left <= 0:
        return f"expired {format_when(expires_at)}"
    return f"expires {format_when(expires_at)} (in {format_duration(left)})"


def iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    # measured as they will show (stdout makes them inert anyway): a stranger's controls and
    # bidi overrides keep the columns aligned
    rows = [[inert(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    for row in [list(headers), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
