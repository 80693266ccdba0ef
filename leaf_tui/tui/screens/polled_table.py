"""What the Connections screen and the triage queue share: a table polled on a timer while the
screen is shown, stopped while another screen covers it, and refitted when the terminal resizes;
its columns fitted to the room (some give way first), the highlight kept on the same item
(found by id, wherever a new answer puts it).

A subclass sets `COLUMNS`, `GIVE_WAY` and `POLL_INTERVAL`, `loaded` and `_timer` in its
constructor, and gives `table`, `poll` and `_show_rows` (which calls `_fill_table`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable

from leaf_tui.common.formatting import clip
from leaf_tui.domain.table_fit import fit, wanted
from leaf_tui.tui.covered import LetsGoWhenCovered
from leaf_tui.tui.table_room import table_room

T = TypeVar("T")


class PolledTableScreen(LetsGoWhenCovered, Screen[None]):
    COLUMNS: ClassVar[tuple[str, ...]]
    GIVE_WAY: ClassVar[tuple[tuple[str, int], ...]]
    """(column, width) in turn, when the table is narrower than its rows want."""
    POLL_INTERVAL: ClassVar[float]
    loaded: bool
    _timer: Timer | None
    _drawn_ids: tuple[Hashable, ...] = ()  # the id of each row on screen, in order

    @property
    def table(self) -> DataTable[Text | str]:
        raise NotImplementedError

    def poll(self) -> object:
        raise NotImplementedError

    def _show_rows(self) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        table = self.table
        for name in self.COLUMNS:
            table.add_column(name, key=name)
        table.focus()
        self.poll()

    def _schedule(self) -> None:
        """The next poll, unless the screen is gone or covered (resume polls again)."""
        if self.is_attached and self.app.screen is self:
            self._timer = self.set_timer(self.POLL_INTERVAL, self.poll)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_resize(self) -> None:
        if self.loaded:
            self.call_after_refresh(self._show_rows)

    def on_screen_suspend(self) -> None:
        self._stop_timer()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.poll()

    def _fill_table(
        self, rows: Sequence[tuple[Text, ...]], ids: Sequence[Hashable], keep: Hashable | None
    ) -> None:
        """Show `rows` (one cell a column), each column as wide as the room allows; the cursor
        back on the row whose id (`ids`, one a row) is `keep`."""
        table = self.table
        widths = fit(
            table_room(table, len(rows)),
            {
                name: wanted(name, (cells[i].plain for cells in rows))
                for i, name in enumerate(self.COLUMNS)
            },
            self.GIVE_WAY,
        )
        table.clear(columns=True)
        for name in self.COLUMNS:
            if widths[name]:
                table.add_column(name, key=name, width=widths[name])
        for cells in rows:
            table.add_row(
                *(
                    _clipped(cell, widths[name])
                    for name, cell in zip(self.COLUMNS, cells, strict=True)
                    if widths[name]
                )
            )
        self._drawn_ids = tuple(ids)
        if keep is not None and keep in self._drawn_ids:
            table.move_cursor(row=self._drawn_ids.index(keep), animate=False)

    def _highlighted_id(self) -> Hashable | None:
        """The id of the row highlighted on screen. Read it to keep the highlight: the items
        may already be a new answer's, in which the old row number is another item."""
        row = self.table.cursor_row
        if self.table.row_count == 0 or not 0 <= row < len(self._drawn_ids):
            return None
        return self._drawn_ids[row]

    def _highlighted_in(self, items: Sequence[T]) -> T | None:
        """The item of the highlighted row, `items` being the rows shown."""
        table = self.table
        if not items or table.row_count == 0:
            return None
        row = table.cursor_row
        return items[row] if 0 <= row < len(items) else None


def _clipped(cell: Text, width: int) -> Text:
    """The cell in `width` cells, cut with "…", its style kept."""
    if cell.cell_len <= width:
        return cell
    return Text(clip(cell.plain, width), style=cell.style)
