"""The TUI's one sanitising step: every line any widget draws passes through it.

A screen cannot forget it: LeafApp returns it, first in one filter with Textual's own
(`InertThen`), from `get_line_filters` (Textual's public hook that every widget's lines go
through, after rendering and before the terminal), so a label, table cell, input, toast or
palette entry holding a stranger's ESC shows ␛ instead of sending it. Controls measure zero
cells while their stand-ins measure one, so a line that held any is brought back to the width
Textual laid out: trailing blanks go first (padding, a cell's filler), then the line's end (only
lines carrying hostile text lose a cell or two).

Textual's filter docs call filters internal-ish ("not recommended for use by app developers");
`App.get_line_filters` and `textual.filter.LineFilter` are public names all the same, and
tests/reliability/test_inert.py and tests/tui/test_line_filter.py check on every run that this
one is applied.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from leaf_tui.common.inert import UNSAFE, inert


class InertText(LineFilter):
    """Shows controls (ESC as ␛) and drops bidi overrides in the text of rendered lines."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(not seg.control and UNSAFE.search(seg.text) for seg in segments):
            return segments
        width = sum(cell_len(seg.text) for seg in segments if not seg.control)
        cleaned = [
            seg if seg.control else Segment(inert(seg.text), seg.style, seg.control)
            for seg in segments
        ]
        excess = sum(cell_len(seg.text) for seg in cleaned if not seg.control) - width
        for i in range(len(cleaned) - 1, -1, -1):
            if excess <= 0:
                break
            seg = cleaned[i]
            blanks = len(seg.text) - len(seg.text.rstrip(" "))
            if seg.control or not blanks:
                continue
            cut = min(excess, blanks)
            cleaned[i] = Segment(seg.text[: len(seg.text) - cut], seg.style)
            excess -= cut
        return list(Segment.adjust_line_length([s for s in cleaned if s.text or s.control], width))


INERT_TEXT = InertText()
"""The one instance: Textual caches filtered lines per filter object."""


class InertThen(LineFilter):
    """INERT_TEXT, then Textual's own enabled filters (its ANSI-to-truecolor one at least), as
    one filter: Textual makes a new `Strip` (seven caches, a dozen objects for the cyclic
    collector) for every filter a line passes through, and keeps it beside the line, so each
    drawn line cost two copies; now one."""

    def __init__(self, after: tuple[LineFilter, ...]) -> None:
        super().__init__()
        self.after = after

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        segments = INERT_TEXT.apply(segments, background)
        for line_filter in self.after:
            segments = line_filter.apply(segments, background)
        return segments


@lru_cache(maxsize=16)
def inert_then(textual_filters: tuple[LineFilter, ...]) -> InertThen:
    """The one filter for Textual's enabled `textual_filters`: the same object while they stay
    the same (Textual caches filtered lines per filter object), another when one is switched
    on or off (the lines are filtered again)."""
    return InertThen(textual_filters)
