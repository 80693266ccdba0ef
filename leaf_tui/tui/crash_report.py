"""The TUI's crash report: one line on the terminal, the details (masked, no locals) in the
debug log.

Why: Textual (8.2) reports an unhandled exception with Rich's `Traceback(show_locals=True)`, and
has no setting to leave the locals out; a frame's locals showed `Authorization: Bearer ...`.

How, on public ground only: Textual prints its report at exit through `App.error_console`, a
public attribute. `CrashReport(app)` points it at a Rich Console writing into memory, so none of
it reaches the terminal. After `app.run()`, the entry point asks `one_line()`. The exception
object stays inside Textual (no public way to it), so the line's `Type: message` is read from
the report (Rich ends a traceback with it), and the details logged are the report with Rich's
`locals` panels taken out; both go through common/crash.py's masking.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from textual.app import App

from leaf_tui.common import crash, debuglog

LOCALS_TOP = re.compile(r"╭─+ locals ─+╮")
"""The top border of the panel in which Rich shows a frame's locals."""


class CrashReport:
    """What Textual prints at exit (its crash report), held in memory instead of shown."""

    def __init__(self, app: App[Any]) -> None:
        self._held = io.StringIO()
        # plain text, never wrapped again: the report comes already laid out
        app.error_console = Console(
            file=self._held, color_system=None, markup=False, highlight=False, soft_wrap=True
        )

    def one_line(self, secrets: Iterable[str | None] = ()) -> str | None:
        """`error: unexpected RuntimeError: ... (details in <log>)`, inert and masked, with the
        details written to the debug log on the way; None if Textual reported nothing."""
        report = self._held.getvalue()  # locals and secrets included: never shown as is
        if not report.strip():
            return None
        secrets = list(secrets)
        report = mask_wrapped(report, secrets)
        details = unwrap_messages(without_locals(report))
        where = crash.log_report(details, secrets)
        return crash.report_line(last_exception(report), where, secrets)


WRAP = "(?:[ │]*\n[ │]*)?"
"""Where Rich may have broken a line inside a value: spaces and panel borders around a newline."""


def mask_wrapped(report: str, secrets: Iterable[str | None]) -> str:
    """`report` with each known secret masked even where Rich split it across lines (a long
    message inside a panel, e.g. a group's "Sub-exception", is wrapped between its borders, and
    a value split there no longer matches as a whole)."""
    for secret in crash.known_secrets(secrets):
        split_anywhere = WRAP.join(re.escape(char) for char in secret)
        report = re.sub(split_anywhere, lambda _: debuglog.MASK, report)
    return report


def without_locals(report: str) -> str:
    """`report` without the panels of frame locals (a panel's lines run from its top border to
    the bottom one in the same column)."""
    kept: list[str] = []
    closes_at: int | None = None
    for line in report.splitlines():
        if closes_at is None:
            top = LOCALS_TOP.search(line)
            if top is None:
                kept.append(line)
            else:
                closes_at = top.start()
                if kept and not kept[-1].strip("│ "):
                    kept.pop()  # the panel's blank line above it
        elif line[closes_at : closes_at + 1] == "╰":
            closes_at = None
    return "\n".join(kept)


def outside_panels(line: str) -> bool:
    """Whether `line` is text of its own (`Type: message`, "The above exception was..."), not a
    line of a panel's."""
    return bool(line.strip()) and not line.startswith(("│", "╭", "╰"))


def message_spans(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each run of lines outside the panels. Rich wraps such a run at the
    terminal's width, keeping the space where it broke, and splits a word longer than the width:
    joined with nothing, the run is whole again (a token too, so its value can be masked)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate([*lines, ""]):
        if outside_panels(line):
            start = index if start is None else start
        elif start is not None:
            spans.append((start, index))
            start = None
    return spans


def unwrap_messages(report: str) -> str:
    """`report` with each run of lines outside the panels on one line."""
    lines = report.splitlines()
    for start, end in reversed(message_spans(lines)):
        lines[start:end] = ["".join(lines[start:end])]
    return "\n".join(lines)


def traceback_ends(lines: list[str]) -> list[int]:
    """The indexes of the bottom borders of the "Traceback" panels (not of a group's
    "Sub-exception" panels, which hold their own messages: the group's is after the traceback)."""
    ends: list[int] = []
    in_traceback = False
    for index, line in enumerate(lines):
        if line.startswith("╭"):
            in_traceback = "Traceback" in line
        elif line.startswith("╰") and in_traceback:
            ends.append(index)
            in_traceback = False
    return ends


def last_exception(report: str) -> str | None:
    """The `Type: message` after the report's last traceback panel; None if there is no panel
    (an exception Textual shows through its own `__rich__`)."""
    lines = report.splitlines()
    closings = traceback_ends(lines)
    after = [(s, e) for s, e in message_spans(lines) if closings and s > closings[-1]]
    if not after:
        return None
    start, end = after[0]
    return "".join(lines[start:end])
