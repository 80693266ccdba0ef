"""The magic-links table: rows keyed by link id, diffed in place, live cells redrawn cheaply.

Cells come from `leaf_tui.domain.link_cells`. *Static* cells change only when the API's data
changes; *live* ones (expires in, last accessed) change with the clock. A poll touches only rows
whose signature changed and adds/removes rows in one pass; the once-a-second tick recomputes only
the live cells of the rows in the viewport (rows scrolled into view are brought to the instant of
the last tick, so a scroll redraws one row, not all). Changed cells repaint only their own regions,
and rows are drawn as cached strips whose static cells a tick leaves alone (see "drawing").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from datetime import datetime

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, Row, RowKey

from leaf_tui.api.models import MagicLink
from leaf_tui.common import clock
from leaf_tui.domain.link_cells import (
    COLUMNS,
    LIVE_COLUMNS,
    Cell,
    live_cells,
    signature,
    static_cells,
    user_cell,
)


class CellText:
    """A cell's text and style, made into a Rich Text only when drawn: most of 2,000 rows never
    are, and building a Text per cell costs more than the rest of a sync."""

    __slots__ = ("style", "text")

    def __init__(self, text: str, style: Style | str = "") -> None:
        self.text = text
        self.style = style

    def __rich__(self) -> Text:
        return Text(self.text, style=self.style, no_wrap=True, end="")

    def __str__(self) -> str:
        return self.text


class RowCells(MutableMapping[ColumnKey, CellText]):
    """A row of `DataTable._data`, read from the table's own cell texts when asked for
    (`get_row`, `get_cell`); building 14,000 cell objects per 2,000-row load costs ~50 ms."""

    __slots__ = ("_cells", "_table")

    def __init__(self, table: LinksTable, cells: dict[str, Cell]) -> None:
        self._table = table
        self._cells = cells

    def __getitem__(self, column: ColumnKey) -> CellText:
        return self._table._styled(self._cells[str(column.value)])

    def __iter__(self) -> Iterator[ColumnKey]:
        return (ColumnKey(key) for key in self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def __setitem__(self, column: ColumnKey, value: CellText) -> None:
        raise TypeError("LinksTable cells change through sync(), not update_cell()")

    def __delitem__(self, column: ColumnKey) -> None:
        raise TypeError("LinksTable columns are fixed")


class LinksTable(DataTable[CellText]):
    """`sync(links, names, now)` after each poll or filter change; `tick(now)` once a second."""

    COMPONENT_CLASSES = {
        "links-table--calm",
        "links-table--soon",
        "links-table--urgent",
        "links-table--expired",
        "links-table--used-up",
        "links-table--dim",
    }
    DEFAULT_CSS = """
    LinksTable > .links-table--calm { color: $success; }
    LinksTable > .links-table--soon { color: $warning; }
    LinksTable > .links-table--urgent { color: $error; text-style: bold; }
    LinksTable > .links-table--expired { color: $error; text-style: dim; }
    LinksTable > .links-table--used-up { color: $error; }
    LinksTable > .links-table--dim { text-style: dim; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.links: dict[str, MagicLink] = {}  # the links shown, by row key (= link id)
        self._cells: dict[str, dict[str, Cell]] = {}  # what each row's cells show now
        self._sigs: dict[str, tuple[object, ...]] = {}  # what they were drawn from
        self._styles: dict[str, Style] = {}
        # rendered rows by key, with the (index, cursor, hover, width) they were drawn for
        self._strips: dict[str, tuple[tuple[object, ...], Strip]] = {}
        # the same for the segments after the live cells, which a tick leaves as they are
        self._static_parts: dict[str, tuple[tuple[object, ...], list[Segment]]] = {}
        self._columns: list[tuple[str, int]] | None = None  # (key, text width), in order
        self._cell_styles: dict[tuple[object, ...], Style] = {}  # by row, column, class, look
        self._ticked_at: datetime | None = None  # the time the live cells on screen show
        self._look: tuple[object, ...] | None = None  # pseudo-classes + theme the strips used
        self._row_styles: dict[str, Style] = {}

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    # -- reading ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """Row keys in display order."""
        return [str(row.key.value) for row in self.ordered_rows]

    def cell_text(self, link_id: str, column: str) -> str:
        return self._cells[link_id][column][0]

    @property
    def current_link(self) -> MagicLink | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        except CellDoesNotExist:
            return None
        return self.links.get(str(key.value))

    def visible_keys(self) -> list[str]:
        """The row keys in the viewport (every row is one line high)."""
        first = int(self.scroll_y)
        height = max(0, self.scrollable_content_region.height - self.header_height)
        last = min(self.row_count, first + height)
        get_key = self._row_locations.get_key
        keys = (get_key(index) for index in range(first, last))
        return [str(key.value) for key in keys if key is not None]

    # -- writing ---------------------------------------------------------------------------

    def sync(
        self, links: Sequence[MagicLink], names: Mapping[str, str], now: datetime
    ) -> tuple[int, int, int]:
        """Make the rows equal `links` (in that order): update changed cells, add and remove
        rows; never clear. Returns (added, removed, cells changed)."""
        wanted = {link.id for link in links}
        gone = [key for key in self.links if key not in wanted]
        current = self.current_link
        cursor_key = current.id if current else None
        self._drop_rows(gone)
        updates: list[tuple[str, str, Cell]] = []
        added: list[str] = []
        for link in links:
            key = link.id
            name = names.get(link.leaf_user_id or "")
            sig = signature(link, name)
            if key not in self._cells:
                self._cells[key] = {**static_cells(link, name), **live_cells(link, now)}
                added.append(key)
            elif self._sigs[key] != sig:
                cells = {**static_cells(link, name), **live_cells(link, now)}
                updates.extend(self._changes(key, cells))
            self._sigs[key] = sig
            self.links[key] = link
        if added:
            self._add_rows(added)
        if added or gone:
            self._reorder([link.id for link in links], cursor_key)
        self._set_cells(updates)
        return len(added), len(gone), len(updates)

    def tick(self, now: datetime) -> int:
        """Redraw the live cells of the visible rows whose text changed; returns how many."""
        self._ticked_at = now
        updates: list[tuple[str, str, Cell]] = []
        for key in self.visible_keys():
            link = self.links.get(key)
            if link is not None:
                updates.extend(self._changes(key, live_cells(link, now)))
        self._set_cells(updates)
        return len(updates)

    def set_names(self, names: Mapping[str, str]) -> int:
        """Show resolved user names in place of short ids; returns how many cells changed."""
        updates: list[tuple[str, str, Cell]] = []
        for key, link in self.links.items():
            name = names.get(link.leaf_user_id or "")
            if name:
                updates.extend(self._changes(key, {"user": user_cell(link, name)}))
                self._sigs[key] = signature(link, name)
        self._set_cells(updates)
        return len(updates)

    def _changes(self, key: str, cells: Mapping[str, Cell]) -> Iterable[tuple[str, str, Cell]]:
        current = self._cells[key]
        for column, cell in cells.items():
            if current.get(column) != cell:
                current[column] = cell
                yield key, column, cell

    def _set_cells(self, updates: Sequence[tuple[str, str, Cell]]) -> None:
        """Like `update_cell`, but repaints only the changed cells' regions (update_cell repaints
        the whole table) and bumps the render caches once per batch."""
        if not updates:
            return
        for key, column, _ in updates:
            self._strips.pop(key, None)
            if column not in LIVE_COLUMNS:
                self._static_parts.pop(key, None)
        if len(updates) > 64:
            self._update_count += 1
            self.refresh()
            return
        x_of = self._column_x()
        for key, column, _ in updates:
            row = self._row_locations.get(RowKey(key))
            if row is None:
                continue
            x, width = x_of[column]
            self._refresh_region(Region(x, row + self.header_height, width, 1))

    def _column_x(self) -> dict[str, tuple[int, int]]:
        x = self._row_label_column_width
        spans: dict[str, tuple[int, int]] = {}
        for key, text_width in self._column_widths():
            width = text_width + 2 * self.cell_padding
            spans[key] = (x, width)
            x += width
        return spans

    def _add_rows(self, keys: Sequence[str]) -> None:
        """Add rows in one pass, without `add_row`'s per-row cursor and measuring work: widths
        are fixed and rows one line high. The caller indexes them with `_reorder`."""
        for key in keys:
            row_key = RowKey(key)
            self._data[row_key] = RowCells(self, self._cells[key])  # type: ignore[assignment]
            self.rows[row_key] = Row(row_key, 1)

    def _drop_rows(self, keys: Sequence[str]) -> None:
        """Remove rows in one pass (`remove_row` rebuilds the index per row: O(n) each).
        The caller re-indexes with `_reorder`."""
        for key in keys:
            row_key = RowKey(key)
            self.rows.pop(row_key, None)
            self._data.pop(row_key, None)
            self._new_rows.discard(row_key)
            self.links.pop(key, None)
            self._cells.pop(key, None)
            self._sigs.pop(key, None)
            self._strips.pop(key, None)
            self._static_parts.pop(key, None)

    def _reorder(self, order: Sequence[str], cursor_key: str | None) -> None:
        """Put rows in `order` (what `sort` does, without a key that can see the row key)."""
        from textual._two_way_dict import TwoWayDict

        self._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(order)})
        self._require_update_dimensions = True
        self._update_count += 1
        self.refresh(layout=True)
        self.check_idle()
        if cursor_key is not None and cursor_key in self.links:
            self.move_cursor(row=order.index(cursor_key), animate=False, scroll=False)
        else:
            self.cursor_coordinate = self.cursor_coordinate  # clamp into the remaining rows

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Rows scrolled into view may carry live cells from a while ago: bring them to the
        # instant the others show (so all agree, and the rows already in view stay as drawn).
        if round(old_value) != round(new_value):
            self.tick(self._ticked_at or clock.now())

    # -- styles ----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def _styled(self, cell: Cell) -> CellText:
        text, name = cell
        return CellText(text, self._style(name) if name else "")

    def notify_style_update(self) -> None:
        # The theme or a pseudo-class changed. super() refreshes, which also empties the
        # widget's component-style cache, so the colours are looked up afresh when drawn.
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()
        self._static_parts.clear()
        self._row_styles.clear()
        self._cell_styles.clear()

    # -- drawing ---------------------------------------------------------------------------
    # DataTable draws a line by rendering each cell through Rich (Padding, Styled, line
    # splitting): about 1 ms a line even when its cells are cached, so ticking 35 countdowns
    # cost ~5% of a core. Our rows are one line high, fixed-width, with no labels, fixed rows
    # or columns and a row cursor, so a line is just seven padded segments: built here, cached
    # per row, and rebuilt only for rows whose cells changed. Same styles (component classes
    # datatable--header/--cursor/--hover), same mouse metadata (row, column) as DataTable.

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        look = (self._pseudo_class_state, self.show_cursor, self._show_hover_cursor)
        if look != self._look:
            self._look = look
            self._strips.clear()
            self._static_parts.clear()
            self._row_styles.clear()
            self._cell_styles.clear()
        styles = self._line_styles()
        header = self.header_height if self.show_header else 0
        if y < header:
            strip = self._header_strip(styles)
        else:
            index = y - header + int(scroll_y)
            row_key = self._row_locations.get_key(index) if index < self.row_count else None
            if row_key is None:
                return Strip.blank(width, styles["base"])
            strip = self._row_strip(str(row_key.value), index, styles)
        return strip.crop_extend(scroll_x, scroll_x + width, styles["base"])

    def _line_styles(self) -> dict[str, Style]:
        if not self._row_styles:
            get = self.get_component_rich_style
            cursor = get("datatable--cursor")
            self._row_styles = {
                "base": self.rich_style,
                "header": self.get_component_styles("datatable--header").rich_style,
                "cursor": cursor,
                # cursor_foreground_priority "css": the cursor's colour wins over the cell's
                "cursor_post": Style.from_color(color=cursor.color),
                "hover": get("datatable--hover"),
            }
        return self._row_styles

    def _column_widths(self) -> list[tuple[str, int]]:
        """(key, text width) of each column, in order: fixed once the columns are added."""
        if self._columns is None or len(self._columns) != len(self.columns):
            self._columns = [(str(c.key.value), c.width) for c in self.ordered_columns]
        return self._columns

    def _table_width(self) -> int:
        return sum(width + 2 * self.cell_padding for _, width in self._column_widths())

    def _header_strip(self, styles: Mapping[str, Style]) -> Strip:
        style = styles["header"]
        pad = " " * self.cell_padding
        segments = [
            Segment(
                pad + set_cell_size(column.label.plain, column.width) + pad,
                style + Style.from_meta({"row": -1, "column": index}),
            )
            for index, column in enumerate(self.ordered_columns)
        ]
        segments.append(Segment(" " * max(0, self.size.width - self._table_width()), style))
        return Strip(segments)

    def _row_strip(self, key: str, index: int, styles: Mapping[str, Style]) -> Strip:
        cursor = self.show_cursor and self.cursor_type == "row" and index == self.cursor_row
        hover = (
            self.show_cursor
            and self._show_hover_cursor
            and self.cursor_type == "row"
            and index == self.hover_row
        )
        stamp = (index, cursor, hover, self.size.width)
        cached = self._strips.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        base = styles["base"]
        if hover:
            base += styles["hover"]
        post = Style.null()
        if cursor:
            base += styles["cursor"]
            post = styles["cursor_post"]
        cells = self._cells[key]
        live = len(LIVE_COLUMNS)
        # a tick changes only the live cells (the first columns): the rest is kept, drawn once
        static = self._static_parts.get(key)
        if static is None or static[0] != stamp:
            segments = self._cell_segments(cells, index, live, None, base, post)
            rest = max(0, self.size.width - self._table_width())
            out_of_bounds = Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
            segments.append(Segment(" " * rest, base + out_of_bounds))
            static = (stamp, segments)
            self._static_parts[key] = static
        segments = self._cell_segments(cells, index, 0, live, base, post)
        segments.extend(static[1])
        strip = Strip(segments, max(self.size.width, self._table_width()))
        self._strips[key] = (stamp, strip)
        return strip

    def _cell_segments(
        self,
        cells: Mapping[str, Cell],
        index: int,
        start: int,
        stop: int | None,
        base: Style,
        post: Style,
    ) -> list[Segment]:
        """The padded segments of the row's cells in columns start..stop."""
        pad = " " * self.cell_padding
        segments: list[Segment] = []
        columns = self._column_widths()
        styles = self._cell_styles
        if len(styles) > 4096:  # rows scrolled through long ago
            styles.clear()
        for column_index in range(start, len(columns) if stop is None else stop):
            column, width = columns[column_index]
            text, name = cells[column]
            # the same for a cell at every tick: combining styles (with the mouse's row and
            # column as meta) cost more than the rest of drawing the cell
            style_key = (index, column_index, name, base, post)
            style = styles.get(style_key)
            if style is None:
                colour = base + self._style(name) + post if name else base + post
                style = colour + Style.from_meta({"row": index, "column": column_index})
                styles[style_key] = style
            segments.append(Segment(pad + set_cell_size(text, width) + pad, style))
        return segments
