"""Column widths that fit a table into the room it has (80 columns are first-class): each column
asks for the width its longest cell needs, and when they do not all fit, the least important
give way in a set order, narrowed down to a limit or dropped (limit 0). No Textual here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len

CELL_PADDING = 1


def wanted(label: str, cells: Iterable[str], cap: int | None = None) -> int:
    """The width a column needs for its label and every cell (at most `cap`)."""
    width = max([cell_len(label), *(cell_len(c) for c in cells)])
    return width if cap is None else min(width, cap)


def fit(
    room: int, widths: Mapping[str, int], give_way: Sequence[tuple[str, int]]
) -> dict[str, int]:
    """Each column's text width for a table `room` cells wide; 0 is dropped (its padding too).
    Columns not in `give_way` are always whole."""
    fitted = dict(widths)
    extra = room - sum(w + 2 * CELL_PADDING for w in fitted.values())
    for key, limit in give_way:
        if extra >= 0:
            break
        if fitted[key] == 0:
            continue
        if limit == 0:
            extra += fitted[key] + 2 * CELL_PADDING
            fitted[key] = 0
            continue
        step = min(0, max(limit - fitted[key], extra))
        fitted[key] += step
        extra -= step
    return fitted


__all__ = ["CELL_PADDING", "fit", "wanted"]
