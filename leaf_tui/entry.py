"""The `leaf-tui` command's entry point (and `python -m leaf_tui`'s).

When the command opens the dashboard on the embedded sandbox, the sandbox's process is started
here, first, with only the settings read: it then starts up beside this process's own imports
(the HTTP stack, Textual, the screens) instead of after them, and a thread asks it for the first
users page as soon as it listens (domain/first_page.py), as it asks a real profile's server at
once. Everything else is leaf_tui.cli's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from leaf_tui.domain.embedded_sandbox import Starting

if TYPE_CHECKING:
    from leaf_tui.domain.first_page import FirstPage

# the options that come before a command and take a value; any other word starts a command
_VALUE_OPTIONS = ("--profile", "--base-url")


def _dashboard_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The --profile/--base-url of a command line that opens the dashboard; None for any other
    (a command, --help, --version, or anything the real parser should judge)."""
    found: dict[str, str] = {}
    words = iter(argv)
    for word in words:
        name, equals, value = word.partition("=")
        if name in _VALUE_OPTIONS:
            if not equals:
                value = next(words, "")
            found[name.removeprefix("--").replace("-", "_")] = value
        elif word == "--debug":
            found["debug"] = ""
        else:
            return None
    return found


def start_early(argv: Sequence[str]) -> tuple[Starting | None, FirstPage | None]:
    """What this command line starts before the window's imports: the embedded sandbox and
    its first page, or a real profile's first page, or nothing."""
    options = _dashboard_options(argv)
    return _start_early(options) if options is not None else (None, None)


def _start_early(options: dict[str, str]) -> tuple[Starting | None, FirstPage | None]:
    """The embedded sandbox, starting, and its first users page, to be asked for once it
    listens; or, on a real profile, its first users page, asked for (domain/first_page.py).
    --debug asks nothing early: its log has every request."""
    from leaf_tui.domain import config, embedded_sandbox, first_page

    try:
        base_url = options.get("base_url")
        if base_url is not None:
            base_url = config.normalize_base_url(base_url)
        resolved = config.resolve(options.get("profile"), base_url=base_url)
        debug = "debug" in options
        if resolved.is_sandbox:
            starting = embedded_sandbox.start()
            return starting, (None if debug else first_page.SandboxFirstPage(starting).start())
        return None, (None if debug else first_page.start_for(resolved))
    except Exception:
        return None, None  # the dashboard meets the same failure when it connects, and shows it


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    options = _dashboard_options(args)
    early, first = start_early(args)
    try:
        from leaf_tui.cli import main as cli_main

        # the dashboard's options alone: the CLI need not build (import) its commands
        return cli_main(args, sandbox=early, dashboard=options is not None, first_page=first)
    finally:
        if early is not None:
            early.cancel()  # not taken (a failure before the dashboard connected)
