"""How many cells a DataTable's columns may take without scrolling sideways."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

# the screen's margins and the table's round border, before the table's first layout
_FRAME = 4


def table_room(table: DataTable[Any], rows: int) -> int:
    """The table's inner width, less the vertical scrollbar when `rows` will not fit."""
    region = table.content_region
    width = region.width or table.screen.size.width - _FRAME
    height = region.height or table.screen.size.height
    if rows + 1 > height:  # the header row takes one line
        width -= table.styles.scrollbar_size_vertical
    return max(width, 0)


__all__ = ["table_room"]
