"""Reading a pyte screen the way a person looks at it: which line carries the cursor highlight
(by its background colour), and the text of a line with volatile digits removed."""

from __future__ import annotations

import re

import pyte

_DIGITS = re.compile(r"\d")

Signature = list[frozenset[str]]


def backgrounds(screen: pyte.Screen) -> Signature:
    """The set of background colours on every line."""
    width = screen.columns
    return [frozenset(screen.buffer[y][x].bg for x in range(width)) for y in range(screen.lines)]


def find_highlight(
    screen: pyte.Screen, before: Signature, after: Signature
) -> tuple[str, int] | None:
    """After one 'down' the highlight moved: a colour left one line and arrived on another, and
    now covers that line alone. Returns (colour, line now highlighted)."""
    changed = [y for y in range(len(before)) if before[y] != after[y]]
    for y in changed:
        for colour in after[y] - before[y]:
            for z in changed:
                if (
                    z != y
                    and colour in before[z]
                    and colour not in after[z]
                    and highlighted_line(screen, colour) == y
                ):
                    return colour, y
    return None


def highlighted_line(screen: pyte.Screen, colour: str) -> int | None:
    """The one line whose background is mostly `colour` (a row highlight spans the row; a
    coloured cell elsewhere does not)."""
    width = screen.columns
    lines = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        if sum(1 for x in range(width) if row[x].bg == colour) * 3 >= width:
            lines.append(y)
    return lines[0] if len(lines) == 1 else None


def line_text(screen: pyte.Screen, y: int, stable: bool = False) -> str:
    """Line y's text; stable=True drops digits (countdowns and "ago" cells move every second)."""
    text = screen.display[y].rstrip()
    return _DIGITS.sub("", text) if stable else text
