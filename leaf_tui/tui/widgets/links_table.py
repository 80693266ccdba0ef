"""The magic-links table: one line per link, drawn on demand (Line API), rows kept by link id.

Cells come from `leaf_tui.domain.link_cells`. *Static* cells change only when the API's data
changes; *live* ones (expires in, last accessed) change with the clock. A poll touches only rows
whose signature changed; the once-a-second tick recomputes only the live cells of the rows in
view and repaints only the cells whose text changed. A row scrolled into view is brought to the
instant of the last tick as it is drawn, so every row on screen agrees. Each row keeps its drawn
line, and the part of it after the live cells, which a tick leaves as it is.

A `ScrollView` with `render_line`, like `UsersTable` (and Textualize/toolong's log view): the
table draws only the ~35 lines on screen, whatever the number of links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from leaf_tui.api.models import MagicLink
from leaf_tui.domain.link_cells import (
    CELL_PADDING,
    COLUMNS,
    LIVE_COLUMNS,
    Cell,
    column_label,
    column_widths,
    live_cells,
    narrow,
    signature,
    static_cells,
    user_cell,
)

COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
LIVE = len(LIVE_COLUMNS)
REPAINT_ALL_OVER = 64
"""Changed cells above which one repaint of the whole table is cheaper than one per cell."""


SORT_ARROW = {False: "▲", True: "▼"}
_NEVER = datetime.max.replace(tzinfo=UTC)


def _sort_key(column: str, names: Mapping[str, str]) -> Callable[[MagicLink], Any]:
    """What a column sorts by; empty cells (never accessed, unknown user) go last."""
    if column == "expires":
        return lambda link: link.expires_at or _NEVER
    if column == "accessed":
        return lambda link: link.last_accessed_at or _NEVER
    if column == "created":
        return lambda link: link.created_at or _NEVER
    if column == "uses":
        return lambda link: (link.usage_count or 0, link.max_usage or 0)
    if column == "user":
        return lambda link: names.get(link.leaf_user_id or "", "\uffff").casefold()
    if column == "kind":
        return lambda link: link.kind.label if link.kind else "\uffff"
    return lambda link: ", ".join(link.providers).casefold()


class Layout:
    """The columns for a table `size.width` cells wide (a vertical scrollbar's room kept)."""

    __slots__ = ("spans", "table_width", "width", "widths")

    def __init__(self, width: int, room: int) -> None:
        self.width = width
        self.widths = column_widths(room)
        self.spans: dict[str, tuple[int, int]] = {}
        """Each shown column's (x, width) in the table, padding included."""
        x = 0
        for key, _, _ in COLUMNS:
            if self.widths[key]:
                self.spans[key] = (x, self.widths[key] + 2 * CELL_PADDING)
                x += self.widths[key] + 2 * CELL_PADDING
        self.table_width = x


class LinkRow:
    """What one link's row shows; the same object while the link stays in the table."""

    __slots__ = ("cells", "link", "live_at", "rest", "sig", "strip")

    def __init__(self, link: MagicLink, name: str | None, now: datetime) -> None:
        self.link = link
        self.sig = signature(link, name)
        self.cells: dict[str, Cell] = {**live_cells(link, now), **static_cells(link, name)}
        self.live_at = now  # the instant the live cells show
        # the drawn line and, apart, its segments after the live cells, with what they were
        # drawn for: (row index, cursor, width, look)
        self.strip: tuple[tuple[object, ...], Strip] | None = None
        self.rest: tuple[tuple[object, ...], list[Segment]] | None = None

    def set_cells(self, cells: Mapping[str, Cell]) -> list[str]:
        """Take the cells that differ; returns their columns."""
        changed = [column for column, cell in cells.items() if self.cells.get(column) != cell]
        for column in changed:
            self.cells[column] = cells[column]
        if changed:
            self.strip = None
            if any(column not in LIVE_COLUMNS for column in changed):
                self.rest = None
        return changed

    def bring_to(self, now: datetime) -> list[str]:
        """The live cells at `now` (never back in time); returns the columns that changed."""
        if now <= self.live_at:
            return []
        self.live_at = now
        return self.set_cells(live_cells(self.link, now))


class LinksTable(ScrollView, can_focus=True):
    """`sync(links, names, now)` after each poll or filter change; `tick(now)` once a second.

    Keys: the scroll keys (up, down, page up/down, home, end) move the row cursor, left and right
    scroll a narrow terminal sideways, enter selects. A click highlights a row and selects it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="links.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="links.down"),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False, id="links.first"),
        Binding("end,G", "last", "Last", show=False, id="links.last"),
        Binding(
            "S", "sort_next", "Sort", show=False, tooltip="Sort by the next column", id="links.sort"
        ),
        Binding("I", "sort_invert", "Invert sort", show=False, id="links.sort_invert"),
        # the screen's own enter binding (Details) is the one the footer and help list
        Binding("enter", "select", "Details", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "links-table--header",
        "links-table--cursor",
        "links-table--calm",
        "links-table--soon",
        "links-table--urgent",
        "links-table--expired",
        "links-table--used-up",
        "links-table--dim",
    }
    # The look of Textual's DataTable with a row cursor, which this table replaced.
    DEFAULT_CSS = """
    LinksTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .links-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .links-table--header { background-tint: $foreground 5%; }
        }
        & > .links-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .links-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .links-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .links-table--calm { color: $success; }
        & > .links-table--soon { color: $warning; }
        & > .links-table--urgent { color: $error; text-style: bold; }
        & > .links-table--expired { color: $error; text-style: dim; }
        & > .links-table--used-up { color: $error; }
        & > .links-table--dim { text-style: dim; }
    }
    """

    class Selected(Message):
        """Enter or a click on a link's row: `link` is the link."""

        def __init__(self, table: LinksTable, link: MagicLink) -> None:
            super().__init__()
            self.table = table
            self.link = link

        @property
        def control(self) -> LinksTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[str, LinkRow] = {}  # by link id
        self._order: list[str] = []  # link ids, top to bottom
        self._index: dict[str, int] = {}  # link id -> row
        self.cursor_row = 0
        self._ticked_at: datetime | None = None  # the instant the live cells on screen show
        self._styles: dict[str, Style] = {}  # component styles, by class
        self._cell_styles: dict[tuple[object, ...], Style] = {}  # by row, column, class, cursor
        self._header: tuple[int, Strip] | None = None
        self._drawn: set[LinkRow] = set()  # rows holding a drawn line
        self.sort_column: str | None = None
        """The column key the rows are sorted by (None: as given, newest first)."""
        self.sort_descending = False
        self._given: tuple[Sequence[MagicLink], Mapping[str, str], datetime] | None = None
        self._layout = Layout(0, 0)

    def on_mount(self) -> None:
        # No theme signal: a theme reaches the table as a style update (notify_style_update),
        # and a subscription would keep every closed Links screen alive until the next theme.
        self.virtual_size = Size(self._fit().table_width, 1)

    def on_resize(self) -> None:
        size = Size(self._fit().table_width, len(self._order) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _fit(self) -> Layout:
        """The columns for the current width: they fit it when they can (narrowed or dropped
        as `column_widths` says), else the table scrolls sideways. The room of a vertical
        scrollbar is always kept, so the layout does not change as one comes and goes."""
        width = self.size.width
        if self._layout.width != width:
            room = width - self.styles.scrollbar_size_vertical
            self._layout = Layout(width, room)
            self._header = None
        return self._layout

    # -- reading ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._order)

    @property
    def keys(self) -> list[str]:
        """Link ids in display order."""
        return list(self._order)

    @property
    def links(self) -> Mapping[str, MagicLink]:
        """The links shown, by id."""
        return _Links(self._rows)

    @property
    def rows(self) -> Mapping[str, LinkRow]:
        """The rows, by link id: the same object for a link across polls."""
        return self._rows

    def cell_text(self, link_id: str, column: str) -> str:
        return self._rows[link_id].cells[column][0]

    @property
    def current_link(self) -> MagicLink | None:
        if 0 <= self.cursor_row < len(self._order):
            return self._rows[self._order[self.cursor_row]].link
        return None

    def _first_and_stop(self) -> tuple[int, int]:
        """The rows in view: first, and one past the last."""
        first = int(self.scroll_y)
        height = max(0, self.scrollable_content_region.height - 1)  # under the header
        return first, min(len(self._order), first + height)

    def visible_keys(self) -> list[str]:
        """The link ids of the rows in view."""
        first, stop = self._first_and_stop()
        return self._order[first:stop]

    # -- writing ---------------------------------------------------------------------------

    def sync(
        self, links: Sequence[MagicLink], names: Mapping[str, str], now: datetime
    ) -> tuple[int, int, int]:
        """Make the rows `links`, in that order: rows of links still there are kept (redrawn
        only when their data changed), the cursor stays on its link. Returns (added, removed,
        cells changed)."""
        self._given = (links, names, now)
        if self.sort_column is not None:  # stable: ties stay newest first
            order_key = _sort_key(self.sort_column, names)
            links = sorted(links, key=order_key, reverse=self.sort_descending)
        keep = self.current_link
        wanted = {link.id for link in links}
        removed = [key for key in self._rows if key not in wanted]
        for key in removed:
            del self._rows[key]
        added = changed = 0
        changed_rows: list[str] = []
        for link in links:
            name = names.get(link.leaf_user_id or "")
            row = self._rows.get(link.id)
            if row is None:
                self._rows[link.id] = LinkRow(link, name, max(now, self._ticked_at or now))
                added += 1
                continue
            row.link = link
            sig = signature(link, name)
            if sig != row.sig:
                row.sig = sig
                cells = {**static_cells(link, name), **live_cells(link, row.live_at)}
                if row.set_cells(cells):
                    changed += 1
                    changed_rows.append(link.id)
        order = [link.id for link in links]
        if order != self._order:
            self._set_order(order, keep.id if keep else None)
        else:
            self._repaint_rows(changed_rows)
        return added, len(removed), changed

    def sort_by(self, column: str | None, *, descending: bool = False) -> None:
        """Sort by a column (a key of COLUMNS), or None for newest first; the highlighted link
        stays highlighted."""
        if column is not None and column not in COLUMN_KEYS:
            raise ValueError(f"no column {column!r}")
        self.sort_column = column
        self.sort_descending = descending and column is not None
        self._header = None
        self.refresh()
        if self._given is not None:
            self.sync(*self._given)

    @property
    def sort_label(self) -> str:
        if self.sort_column is None:
            return ""
        label = COLUMNS[COLUMN_KEYS.index(self.sort_column)][1]
        return f"{label} {SORT_ARROW[self.sort_descending]}"

    def action_sort_next(self) -> None:
        """Each column in turn, then newest first again."""
        if self.sort_column is None:
            self.sort_by(COLUMN_KEYS[0])
        else:
            following = COLUMN_KEYS.index(self.sort_column) + 1
            self.sort_by(COLUMN_KEYS[following] if following < len(COLUMN_KEYS) else None)
        self.notify(
            f"Sorted by {self.sort_label}" if self.sort_column else "Sorted newest first",
            timeout=2,
            markup=False,
        )

    def action_sort_invert(self) -> None:
        self.sort_by(self.sort_column or COLUMN_KEYS[0], descending=not self.sort_descending)

    def tick(self, now: datetime) -> int:
        """Bring the live cells of the rows in view to `now`; repaints only the cells whose
        text changed and returns how many did."""
        self._ticked_at = now
        first, stop = self._first_and_stop()
        self._forget_lines(first, stop)
        regions: list[Region] = []
        for index in range(first, stop):
            for column in self._rows[self._order[index]].bring_to(now):
                if column in self._layout.spans:  # not dropped for a narrow terminal
                    regions.append(self._cell_region(index, column))
        self._repaint(regions)
        return len(regions)

    def set_names(self, names: Mapping[str, str]) -> int:
        """Show resolved user names in place of short ids; returns how many cells changed."""
        changed_rows: list[str] = []
        for key, row in self._rows.items():
            name = names.get(row.link.leaf_user_id or "")
            if name:
                row.sig = signature(row.link, name)
                if row.set_cells({"user": user_cell(row.link, name)}):
                    changed_rows.append(key)
        self._repaint_rows(changed_rows)
        return len(changed_rows)

    def _forget_lines(self, first: int, stop: int) -> None:
        """Drop the drawn lines of rows out of view: a Strip is a dozen objects for the cyclic
        collector to walk, and scrolling through 2,000 rows would keep them all."""
        in_view = {self._rows[key] for key in self._order[first:stop]}
        for row in self._drawn - in_view:
            row.strip = row.rest = None
        self._drawn &= in_view

    def _set_order(self, order: list[str], cursor_key: str | None) -> None:
        self._order = order
        self._index = {key: index for index, key in enumerate(order)}
        size = Size(self._fit().table_width, len(order) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        cursor = self._index.get(cursor_key, self.cursor_row) if cursor_key else self.cursor_row
        self.cursor_row = max(0, min(cursor, len(order) - 1))
        self.refresh()

    def _cell_region(self, index: int, column: str) -> Region:
        x, width = self._fit().spans[column]
        return Region(x - int(self.scroll_x), index + 1 - int(self.scroll_y), width, 1)

    def _repaint_rows(self, keys: Sequence[str]) -> None:
        first, stop = self._first_and_stop()
        indexes = (self._index[key] for key in keys)
        lines = [index for index in indexes if first <= index < stop]
        self._repaint([Region(0, index + 1 - first, self.size.width, 1) for index in lines])

    def _repaint(self, regions: Sequence[Region]) -> None:
        if len(regions) > REPAINT_ALL_OVER:
            self.refresh()
        elif regions:
            self.refresh(*regions)

    # -- cursor, keys, mouse ---------------------------------------------------------------

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        if not self._order:
            return
        old, self.cursor_row = self.cursor_row, max(0, min(len(self._order) - 1, row))
        if scroll:
            # Row i is line i + 1 of the content: line 0 is the header, which never scrolls.
            # At the current scroll_x: a table scrolled sideways stays so.
            self.scroll_to_region(
                Region(int(self.scroll_x), self.cursor_row + 1, 1, 1),
                spacing=Spacing(1, 0, 0, 0),
                animate=False,
                immediate=True,
            )
        first, _ = self._first_and_stop()
        width = self.size.width
        self.refresh(*(Region(0, i + 1 - first, width, 1) for i in {old, self.cursor_row}))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._order) - 1)

    def action_select(self) -> None:
        link = self.current_link
        if link is not None:
            self.post_message(self.Selected(self, link))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # the header
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._order):
            event.stop()
            self.move_cursor(row=index)
            self.post_message(self.Selected(self, self._rows[self._order[index]].link))

    # -- styles ----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def forget_drawn_rows(self) -> None:
        """Drop the drawn rows (the screen is out of view: tui/covered.py)."""
        self._header = None
        for row in self._drawn:
            row.strip = row.rest = None
        self._drawn.clear()

    def _restyle(self) -> None:
        """Drop every drawn line: the theme, focus or a pseudo-class changed the colours."""
        self._styles.clear()
        self._cell_styles.clear()
        self.forget_drawn_rows()
        self.refresh()

    def _cursor_style(self) -> Style:
        """The cursor's style over the table's background (as DataTable's, not partial)."""
        style = self._styles.get("cursor")
        if style is None:
            style = self._styles["cursor"] = self.get_component_rich_style("links-table--cursor")
        return style

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    # -- drawing ---------------------------------------------------------------------------
    # A row is seven padded, fixed-width cells: a few segments, not Rich renderables. Each row
    # keeps its line for as long as its cells, cursor and width stay; a tick rebuilds only the
    # live cells' segments and reuses the rest. Mouse metadata as DataTable's: row, column.

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        self._fit()
        scroll_x = int(self.scroll_x)
        if y == 0:
            if self._header is None or self._header[0] != width:
                self._header = (width, self._header_strip(width))
            return self._header[1].crop_extend(scroll_x, scroll_x + width, self.rich_style)
        index = int(self.scroll_y) + y - 1
        if not 0 <= index < len(self._order):
            return Strip.blank(width, self.rich_style)
        row = self._rows[self._order[index]]
        if self._ticked_at is not None:
            row.bring_to(self._ticked_at)  # scrolled into view since the last tick
        strip = self._row_strip(row, index, width)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("links-table--header")
        pad = " " * CELL_PADDING
        widths = self._layout.widths
        segments = [
            Segment(
                pad + set_cell_size(self._header_label(key, label, widths[key]), widths[key]) + pad,
                style + Style.from_meta({"row": -1, "column": column}),
            )
            for column, (key, label, _) in enumerate(COLUMNS)
            if widths[key]
        ]
        table_width = self._layout.table_width
        segments.append(Segment(" " * max(0, width - table_width), style))
        return Strip(segments, max(width, table_width))

    def _header_label(self, key: str, label: str, width: int) -> str:
        if key != self.sort_column:
            return column_label(key, label, width)
        label = column_label(key, label, width - 2)  # room for the arrow
        if len(label) + 2 > width:
            label = label[: max(0, width - 2)].rstrip()
        return f"{label} {SORT_ARROW[self.sort_descending]}"

    def _row_strip(self, row: LinkRow, index: int, width: int) -> Strip:
        cursor = index == self.cursor_row
        stamp = (index, cursor, width)
        if row.strip is not None and row.strip[0] == stamp:
            return row.strip[1]
        base = self.rich_style
        post = Style.null()
        if cursor:
            cursor_style = self._cursor_style()
            base += cursor_style
            post = Style.from_color(color=cursor_style.color)  # the cursor's colour wins
        table_width = self._layout.table_width
        if row.rest is None or row.rest[0] != stamp:
            rest = self._cell_segments(row, index, range(LIVE, len(COLUMNS)), base, post)
            meta = Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
            rest.append(Segment(" " * max(0, width - table_width), base + meta))
            row.rest = (stamp, rest)
        segments = self._cell_segments(row, index, range(LIVE), base, post)
        segments.extend(row.rest[1])
        strip = Strip(segments, max(width, table_width))
        row.strip = (stamp, strip)
        self._drawn.add(row)
        return strip

    def _cell_segments(
        self, row: LinkRow, index: int, columns: range, base: Style, post: Style
    ) -> list[Segment]:
        pad = " " * CELL_PADDING
        styles = self._cell_styles
        if len(styles) > 1024:  # rows scrolled through long ago (a screenful is ~250)
            styles.clear()
        widths = self._layout.widths
        segments: list[Segment] = []
        for column in columns:
            key = COLUMNS[column][0]
            text_width = widths[key]
            if not text_width:
                continue  # dropped for a narrow terminal
            text, name = row.cells[key]
            if cell_len(text) > text_width:
                text = narrow(key, text, row.link, text_width)
            # the same for a cell at every tick: combining styles (with the mouse's row and
            # column as meta) costs more than the rest of drawing the cell
            style_key = (index, column, name, base, post)
            style = styles.get(style_key)
            if style is None:
                colour = base + self._style(name) + post if name else base + post
                style = styles[style_key] = colour + Style.from_meta(
                    {"row": index, "column": column}
                )
            segments.append(Segment(pad + set_cell_size(text, text_width) + pad, style))
        return segments


class _Links(Mapping[str, MagicLink]):
    """The table's links by id (a view of its rows)."""

    def __init__(self, rows: Mapping[str, LinkRow]) -> None:
        self._rows = rows

    def __getitem__(self, key: str) -> MagicLink:
        return self._rows[key].link

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
