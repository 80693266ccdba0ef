"""The magic-links table: rows keyed by link id, diffed in place, live cells redrawn cheaply.

Two kinds of cells: *static* ones change only when the API's data changes (user, kind, providers,
created, uses) and *live* ones change with the clock (expires in, last accessed). A poll updates
only the cells whose text changed; the once-a-second tick redraws only the live cells of the rows
in the viewport, and only those whose text changed. Both go through `_set_cells`, which repaints
just the cells' regions rather than the whole table, so an idle screen writes a few hundred bytes a
second to the terminal instead of a full repaint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from leaf_tui import clock
from leaf_tui.api.models import MagicLink
from leaf_tui.formatting import ago, countdown, uses_bar

# (key, label, width): fixed widths keep the table from re-measuring 2,000 rows on every change.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("user", "User", 18),
    ("kind", "Kind", 14),
    ("providers", "Providers", 22),
    ("created", "Created (UTC)", 16),
    ("expires", "Expires in", 10),
    ("uses", "Uses", 10),
    ("accessed", "Last accessed", 13),
)
WIDTHS = {key: width for key, _, width in COLUMNS}
STATIC = ("user", "kind", "providers", "created", "uses")
LIVE = ("expires", "accessed")

# A cell before styling: its text and the component class that colours it ("" for none).
Cell = tuple[str, str]


def short_id(user_id: str | None) -> str:
    """What shows in the user column until the name is known."""
    if not user_id:
        return "—"
    return user_id[:8] + "…" if len(user_id) > 9 else user_id


def fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def fit_providers(providers: Sequence[str], width: int) -> str:
    """As many names as fit, then `+N` for the rest: `JohnDeere, CNHI +3`."""
    if not providers:
        return "—"
    shown: list[str] = []
    for index, name in enumerate(providers):
        rest = len(providers) - index - 1
        candidate = ", ".join([*shown, name]) + (f" +{rest}" if rest else "")
        if len(candidate) > width:
            break
        shown.append(name)
    if not shown:
        return fit(f"{providers[0]} +{len(providers) - 1}", width)
    rest = len(providers) - len(shown)
    return ", ".join(shown) + (f" +{rest}" if rest else "")


def static_cells(link: MagicLink, name: str | None) -> dict[str, Cell]:
    """The cells that depend only on the link's data and its user's name."""
    kind = link.kind.path if link.kind else (link.widget or "?").lower()
    created = link.created_at.strftime("%Y-%m-%d %H:%M") if link.created_at else "—"
    uses_class = "links-table--used-up" if link.is_used_up else ""
    user = (
        (fit(name, WIDTHS["user"]), "")
        if name
        else (short_id(link.leaf_user_id), "links-table--dim")
    )
    return {
        "user": user,
        "kind": (kind, ""),
        "providers": (fit_providers(link.providers, WIDTHS["providers"]), ""),
        "created": (created, ""),
        "uses": (uses_bar(link.usage_count, link.max_usage), uses_class),
    }


def live_cells(link: MagicLink, now: datetime) -> dict[str, Cell]:
    """The cells that move with the clock."""
    text, urgency = countdown(link.expires_at, now)
    accessed = ago(link.last_accessed_at, now)
    return {
        "expires": (text, f"links-table--{urgency.value}"),
        "accessed": (accessed, "links-table--dim" if link.last_accessed_at is None else ""),
    }


class LinksTable(DataTable[Text]):
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
        self._styles: dict[str, Style] = {}

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
        wanted = {link.id: link for link in links}
        gone = [key for key in self.links if key not in wanted]
        current = self.current_link
        cursor_key = current.id if current else None
        self._drop_rows(gone)
        updates: list[tuple[str, str, Cell]] = []
        added = 0
        visible = set(self.visible_keys())
        for link in links:
            name = names.get(link.leaf_user_id or "")
            old = self.links.get(link.id)
            if old is None:
                cells = {**static_cells(link, name), **live_cells(link, now)}
                self._cells[link.id] = cells
                self.add_row(*(self._styled(cells[key]) for key, _, _ in COLUMNS), key=link.id)
                added += 1
            else:
                cells = static_cells(link, name)
                # live cells: changed data, or on screen (off-screen ones catch up on scroll)
                if old != link or link.id in visible:
                    cells.update(live_cells(link, now))
                updates.extend(self._changes(link.id, cells))
            self.links[link.id] = link
        if added:
            # fixed widths and one-line rows: nothing for the idle handler to measure
            self._new_rows.clear()
        if added or gone:
            self._reorder([link.id for link in links], cursor_key)
        self._set_cells(updates)
        return added, len(gone), len(updates)

    def tick(self, now: datetime) -> int:
        """Redraw the live cells of the visible rows whose text changed; returns how many."""
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
                updates.extend(self._changes(key, {"user": (fit(name, WIDTHS["user"]), "")}))
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
        for key, column, cell in updates:
            self._data[RowKey(key)][ColumnKey(column)] = self._styled(cell)
        self._update_count += 1
        if len(updates) > 64:
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
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            spans[str(column.key.value)] = (x, width)
            x += width
        return spans

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
        # rows scrolled into view may carry live cells from a while ago: bring them up to now
        if round(old_value) != round(new_value):
            self.tick(clock.now())

    # -- styles ----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def _styled(self, cell: Cell) -> Text:
        text, name = cell
        return Text(text, style=self._style(name) if name else "", no_wrap=True, end="")

    def notify_style_update(self) -> None:
        # The theme changed (or a pseudo-class did): re-colour only if the colours moved.
        fresh = {name: self.get_component_rich_style(name, partial=True) for name in self._styles}
        changed = fresh != self._styles
        self._styles = fresh
        if changed:
            for key, cells in self._cells.items():
                row = self._data.get(RowKey(key))
                if row is not None:
                    for column, cell in cells.items():
                        row[ColumnKey(column)] = self._styled(cell)
            self._update_count += 1
        super().notify_style_update()
