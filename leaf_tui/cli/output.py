"""The CLI's one sanitising step: stdout and stderr themselves.

`cli.main` runs every command with sys.stdout and sys.stderr wrapped, so whatever a command
prints (a link list, an error detail from the server, a profile name read from settings.toml,
argparse's own messages) reaches the terminal with its controls shown (ESC as ␛) and its bidi
overrides dropped: a new command cannot forget. Newlines stay. JSON output is unchanged by it:
json.dumps escapes every control character, and with ensure_ascii every non-ASCII one.

The two writers that must send escapes on purpose ask for the stream underneath: `raw()`
(the OSC 52 clipboard writer, and the TUI, which draws with escapes of its own).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from leaf_tui.common.inert import inert


class InertStream:
    """A text stream that makes what is written to it inert, and passes the rest through."""

    def __init__(self, stream: TextIO) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(inert(text, keep="\n"))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, ...
        return getattr(self.raw_stream, name)


def raw(stream: TextIO) -> TextIO:
    """The stream under an InertStream (or `stream` itself): for escapes we send on purpose."""
    return stream.raw_stream if isinstance(stream, InertStream) else stream


@contextmanager
def inert_output() -> Iterator[None]:
    """sys.stdout and sys.stderr made inert for the duration."""
    saved = sys.stdout, sys.stderr
    sys.stdout = InertStream(raw(sys.stdout))
    sys.stderr = InertStream(raw(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def raw_output() -> Iterator[None]:
    """sys.stdout and sys.stderr as they were (for the TUI, which draws with escapes)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = raw(sys.stdout), raw(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
