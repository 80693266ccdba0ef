"""What the terminal shows, as plain text lines: the screen stack as composited, or one widget.

The screen is read from `App.export_screenshot()`, Textual's public picture of the whole terminal
(the same SVG the snapshot tests compare): each run of text in it is placed at its row and
column. A widget is read from its own rendered lines (`Widget.render_lines`)."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget

# Rich draws every cell `CHAR_WIDTH` units wide (font size 20, aspect 0.61), a run of text at
# x = its first column * CHAR_WIDTH, clipped to its row's `…-line-ROW` path.
CHAR_WIDTH = 20 * 0.61
_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)"[^>]*?clip-path="url\(#[^"]*-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app: App[Any]) -> list[str]:
    """Every row of the terminal, as plain text, trailing spaces kept."""
    width, height = app.size
    rows: list[list[str]] = [[" "] * width for _ in range(height)]
    for x, row, escaped in _TEXT.findall(app.export_screenshot(simplify=True)):
        cells = rows[int(row)]
        column = round(float(x) / CHAR_WIDTH)
        # Rich writes a space as "&#160;" (a real no-break space stays a character)
        text = html.unescape(escaped.replace("&#160;", " ")).rstrip("\n")  # and ends a row with \n
        for char in text:
            wide = cell_len(char)
            if wide == 0 and column:  # a combining mark joins the character before it
                cells[column - 1] += char
                continue
            cells[column] = char
            for extra in range(1, wide):  # a wide character fills the next cell too
                cells[column + extra] = ""
            column += wide
    return ["".join(cells) for cells in rows]


def footer_row(app: App[Any]) -> str:
    """The terminal's last row: the footer."""
    return screen_lines(app)[-1]


def widget_text(widget: Widget) -> str:
    """The widget's rendered lines as plain text (what a person sees of it)."""
    width, height = widget.outer_size
    lines = widget.render_lines(Region(0, 0, width, height))
    return "\n".join("".join(seg.text for seg in line) for line in lines)
