"""The TUI's crash report: one line, the details (redacted, no locals) in the debug log.

Textual 8.2.8 renders an unhandled exception with `Traceback(show_locals=True)` in
`App._fatal_error`, with no public setting: a frame's locals showed `Authorization: Bearer ...`
(`LEAF_API_URL=http://127.0.0.1:99999 LEAF_TOKEN=... leaf-tui`). This replaces that one private
method, on the versions it was written against only (elsewhere Textual's own runs, and
tests/reliability/test_crash_report.py fails until this module is looked at again). It reports
through the public `App.panic`. Upstream: no Textual issue about it was found; the same override
is described in https://github.com/swiss-ai/model-launch/pull/42 ("Disable Showing (Secret)
Locals on Rich Tracebacks").
"""

from __future__ import annotations

import sys

from rich.text import Text
from textual.app import App

from leaf_tui.common import crash
from leaf_tui.tui import textual_version

WRITTEN_FOR = ("8.2.",)
"""Textual versions whose `_fatal_error` this was checked against."""

ACTIVE = textual_version.installed().startswith(WRITTEN_FOR)


class QuietCrashApp(App[None]):
    """An App whose crash report is one inert, redacted line (see the module's docstring)."""

    crash_line: str | None = None
    """The line shown for the last crash (tests read it)."""

    def _fatal_error(self) -> None:
        error = sys.exc_info()[1]
        if not ACTIVE or error is None:
            super()._fatal_error()
            return
        self.crash_line = crash.one_line(error, self.crash_secrets())
        self.bell()
        self.panic(Text(self.crash_line))

    def crash_secrets(self) -> list[str | None]:
        """Secrets to mask by value in the report (LeafApp: its session's token)."""
        return []
