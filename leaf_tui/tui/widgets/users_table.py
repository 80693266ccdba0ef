"""The users table: one line per user, drawn on demand (Line API), so it holds every match.

Only the rows on screen are rendered: a keystroke that changes 10,000 results costs an index of
ids and the ~35 visible lines, not a widget row per user. Rendered rows are kept by user id and
redrawn only when what they show changed (diffed by key, never cleared). The users are the
index's records (tuples the collector need not walk); a LeafUser is made only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from leaf_tui.api.models import LeafUser
from leaf_tui.api.user_index import (
    EMAIL,
    EXTERNAL_ID,
    ID,
    NAME,
    PROVIDERS,
    UserRecord,
    user_of,
)
from leaf_tui.common.formatting import clip
from leaf_tui.common.inert import inert

COLUMNS = (
    ("name", "Name", 20),
    ("email", "Email", 25),
    ("external_id", "External ID", 11),
    ("providers", "Connections", 12),
    ("sentera", "Sentera", 9),
)
COLUMN_INDEX = {key: i for i, (key, _, _) in enumerate(COLUMNS)}
CELL_PADDING = 1
TABLE_WIDTH = sum(width + 2 * CELL_PADDING for _, _, width in COLUMNS)
# Narrower than TABLE_WIDTH (an 80-column terminal), these give way first, down to these widths;
# wider (the detail pane hidden), the name and the email take the room, up to these widths.
SHRINK_ORDER = (("email", 20), ("name", 16), ("email", 16), ("name", 14), ("providers", 10))
GROW_TO = (("email", 36), ("name", 28))


def column_widths(room: int) -> tuple[int, ...]:
    """Each column's width (padding aside) for a table `room` columns wide."""
    widths = {key: width for key, _, width in COLUMNS}
    extra = room - TABLE_WIDTH
    for key, limit in SHRINK_ORDER if extra < 0 else GROW_TO:
        if extra == 0:
            break
        step = max(limit - widths[key], extra) if extra < 0 else min(limit - widths[key], extra)
        widths[key] += step
        extra -= step
    return tuple(widths[key] for key, _, _ in COLUMNS)


# Long statuses are shortened in the table; the detail pane shows them in full.
SHORT_STATUS = {"UNAUTHENTICATED": "UNAUTH"}
NOT_KNOWN = "\0not known"
"""The Sentera status of a user whose credential has not been asked for yet."""
ROWS_KEPT = 2_000
"""Rendered rows kept for users not on screen (scrolling back is a lookup, memory stays flat)."""


def sentera_status(user: UserRecord, known: Mapping[str, str | None]) -> str | None:
    """The status the credential endpoint gave for this user; None means no Sentera credential,
    NOT_KNOWN that it was not asked yet (Leaf's user object does not carry Sentera)."""
    return known.get(user[ID], NOT_KNOWN)


def _dot(status: str, colours: Mapping[str, str]) -> Text:
    text = Text()
    text.append("● ", style=colours["ok"] if status == "OK" else colours["bad"])
    text.append(SHORT_STATUS.get(status, status))
    return text


# Short labels for the narrow column (the detail pane shows the full names).
SHORT_PROVIDER = {
    "johnDeere": "JohnDeere",
    "climateFieldView": "FieldView",
    "cnhi": "CNHI",
    "agLeader": "AgLeader",
    "trimble": "Trimble",
    "ravenSlingshot": "Raven",
    "raven": "Raven",
    "stara": "Stara",
}


def _providers(user: UserRecord) -> str:
    """Other providers than Sentera (it has its own column), from the user object alone (no
    request): the first, and how many more; "✗" and the unhealthy ones first when any
    credential's status is not OK."""
    keys = [
        (key.removesuffix("Credentials"), status in (None, "OK"))  # (provider, healthy)
        for key, status in user[PROVIDERS]
        if key != "senteraCredentials"
    ]
    if not keys:
        return "—"
    keys.sort(key=lambda p: p[1])  # stable: the unhealthy first, each group in the object's order
    names = [SHORT_PROVIDER.get(p, p[:1].upper() + p[1:]) for p, _ in keys]
    shown = names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}"
    return shown if keys[0][1] else f"✗ {shown}"


def row_cells(
    user: UserRecord, known: Mapping[str, str | None], colours: Mapping[str, str]
) -> tuple[str | Text, ...]:
    status = sentera_status(user, known)
    # inert here as well as on the way out (tui/inert_filter.py): measured with their visible
    # stand-ins, a stranger's controls keep the columns aligned
    return (
        inert(user[NAME] or "—"),
        inert(user[EMAIL] or "—"),
        inert(user[EXTERNAL_ID] or "—"),
        _providers(user),
        _sentera_cell(status, colours),
    )


def _sentera_cell(status: str | None, colours: Mapping[str, str]) -> Text:
    if status == NOT_KNOWN:
        return Text("…", style="dim")  # asked for as the row comes on screen
    return _dot(status, colours) if status else Text("—", style="dim")


SORT_ARROW = {False: "▲", True: "▼"}


def _sort_key(column: str, known: Mapping[str, str | None]) -> Callable[[UserRecord], Any]:
    """What a column sorts by, cheap to compute for 10,000 users; empty cells go last."""

    def text(value: str | None) -> tuple[bool, str]:
        return (not value, (value or "").casefold())

    if column == "name":
        return lambda u: text(u[NAME])
    if column == "email":
        return lambda u: text(u[EMAIL])
    if column == "external_id":
        return lambda u: text(u[EXTERNAL_ID])
    if column == "providers":
        return lambda u: text(_providers(u).replace("—", ""))
    return lambda u: text(sentera_status(u, known))


def header_label(label: str, width: int, descending: bool | None) -> str:
    """The column's title, with the sort arrow when the table is sorted by it."""
    if descending is None:
        return label
    arrow = SORT_ARROW[descending]
    if cell_len(label) + 2 > width:
        label = label[: max(0, width - 2)].rstrip()
    return f"{label} {arrow}"


class UserRow:
    """What one user's row shows; kept (the same object) while the user stays in the table."""

    __slots__ = ("cells", "plain", "status", "strips", "user")

    def __init__(self, user: UserRecord, status: str | None, cells: tuple[str | Text, ...]) -> None:
        self.user = user
        self.status = status
        self.cells = cells
        self.plain = tuple(str(c) for c in cells)
        self.strips: dict[tuple[bool, bool, int], Strip] = {}  # (cursor, even, width) -> line

    def update(self, user: UserRecord, status: str | None, cells: tuple[str | Text, ...]) -> None:
        self.user, self.status = user, status
        plain = tuple(str(c) for c in cells)
        if plain != self.plain or cells != self.cells:
            self.cells, self.plain = cells, plain
            self.strips.clear()


V = TypeVar("V")


class _ById(Mapping[str, V]):
    """A read-only view of the table's users by id, in order; `_value` says what each id maps to."""

    def __init__(self, table: UsersTable) -> None:
        self._table = table

    def _value(self, index: int) -> V:
        raise NotImplementedError

    def __getitem__(self, key: str) -> V:
        index = self._table.index.get(key)
        if index is None:
            raise KeyError(key)
        return self._value(index)

    def __iter__(self) -> Iterator[str]:
        return (user[ID] for user in self._table._users)

    def __len__(self) -> int:
        return len(self._table._users)

    def __contains__(self, key: object) -> bool:
        return key in self._table.index


class _Rows(_ById[UserRow]):
    """The table's rows by user id, in order; a row is built when first asked for."""

    def _value(self, index: int) -> UserRow:
        return self._table._row(index)


class _Users(_ById[LeafUser]):
    """The users in the table by id, in order (each made from its record when asked for)."""

    def _value(self, index: int) -> LeafUser:
        return self._table.user_at(index)


class _UserMessage(Message):
    """A message about one user of a UsersTable: `key` is the user's id."""

    def __init__(self, table: UsersTable, key: str) -> None:
        super().__init__()
        self.table = table
        self.key = key

    @property
    def control(self) -> UsersTable:
        return self.table


class UsersTable(ScrollView, can_focus=True):
    """Users in the order given (the search ranking), a header line, a row cursor.

    Keys: the scroll keys (up, down, page up/down, home, end) move the cursor; enter selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="users.open"),
        # as in k9s, lazygit and less: beside the arrows, home and end
        Binding("k", "scroll_up", "Up", show=False, id="users.up"),
        Binding("j", "scroll_down", "Down", show=False, id="users.down"),
        Binding("g", "scroll_home", "First", show=False, id="users.first"),
        Binding("G", "scroll_end", "Last", show=False, id="users.last"),
        Binding(
            "S", "sort_next", "Sort", show=False, tooltip="Sort by the next column", id="users.sort"
        ),
        Binding("I", "sort_invert", "Invert sort", show=False, id="users.sort_invert"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "users-table--header",
        "users-table--cursor",
        "users-table--even-row",
        "users-table--odd-row",
    }
    # The look of Textual's DataTable (row cursor, zebra stripes), which this table replaced.
    DEFAULT_CSS = """
    UsersTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;  /* the columns fit the width (column_widths) */
        &:focus {
            background-tint: $foreground 5%;
            & > .users-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .users-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .users-table--even-row { background: $surface-darken-1 40%; }
        & > .users-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .users-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .users-table--even-row { background: $surface-lighten-1 50%; }
        & > .users-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Highlighted(_UserMessage):
        """The cursor moved to another user (keys, mouse or move_cursor)."""

    class Selected(_UserMessage):
        """Enter (or a click) on a user."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._users: list[UserRecord] = []
        self._index: dict[str, int] | None = {}  # user id -> row, built when first needed
        self._known: dict[str, str | None] = {}
        self._rows: dict[str, UserRow] = {}  # built rows by user id (visible ones, and some)
        self._colours: dict[str, str] = {}
        self._header: tuple[int, Strip] | None = None
        self.cursor_row = 0
        self._given: list[UserRecord] = []  # the order the screen gave (the search ranking)
        self._made: tuple[UserRecord, LeafUser] | None = None  # the last user made (user_at)
        self.sort_column: str | None = None
        """The column key the rows are sorted by (None: as given), and whether descending."""
        self.sort_descending = False
        self.rows: Mapping[str, UserRow] = _Rows(self)
        self.users: Mapping[str, LeafUser] = _Users(self)

    def on_mount(self) -> None:
        self.virtual_size = Size(TABLE_WIDTH, 1)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        # Status dots carry the theme's colours: rebuild the rows' cells, keep the rows.
        self._colours = {}
        self._restyle()

    # -- data -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._users)

    @property
    def keys(self) -> list[str]:
        """The user ids, top to bottom."""
        return [user[ID] for user in self._users]

    @property
    def highlighted_key(self) -> str | None:
        if 0 <= self.cursor_row < len(self._users):
            return self._users[self.cursor_row][ID]
        return None

    @property
    def index(self) -> dict[str, int]:
        """Row by user id. Built on demand: most keystrokes never need it for 10,000 rows."""
        if self._index is None:
            self._index = {user[ID]: i for i, user in enumerate(self._users)}
        return self._index

    def user_at(self, row: int) -> LeafUser:
        """The LeafUser of a row, made from its record; the last one made is kept, so asking
        for the highlighted user again (every binding check asks) costs nothing."""
        record = self._users[row]
        if self._made is None or self._made[0] is not record:
            self._made = (record, user_of(record))
        return self._made[1]

    def get_row_index(self, key: str) -> int:
        return self.index[key]

    def get_cell(self, key: str, column: str) -> str | Text:
        return self.rows[key].cells[COLUMN_INDEX[column]]

    def visible_keys(self) -> list[str]:
        """The ids of the users on screen (below the header), top to bottom."""
        top = int(self.scroll_y)
        rows = max(0, self.size.height - 1)
        return [user[ID] for user in self._users[top : top + rows]]

    def update_known(self, known: Mapping[str, str | None], *, changed: str | None = None) -> None:
        """New Sentera statuses: rows redraw as they are drawn next (only changed ones). With
        `changed` (one user's answer), only that user's line is repainted, and only when on
        screen: a repaint of the whole table for each answer (up to 20 a second while rows are
        looked up) made ~40 new lines for the collector each time."""
        self._known = dict(known)
        if changed is None:
            self.refresh()
            return
        shown = self.visible_keys()
        if changed in shown:  # its line of the content: below the header
            self.refresh_line(int(self.scroll_y) + 1 + shown.index(changed))

    def show_users(self, users: Sequence[UserRecord], known: Mapping[str, str | None]) -> None:
        """Make the rows exactly `users`, in order. Built rows are kept by user id and redrawn
        only when what they show changed (checked as they come on screen, not for all 10,000
        now); the highlighted user stays highlighted when still present."""
        keep = self.highlighted_key
        cursor = self.cursor_row
        self._given = list(users)
        self._known = dict(known)
        self._users = self._in_order(self._given)
        self._index = None
        if keep is not None and not (cursor < len(self._users) and self._users[cursor][ID] == keep):
            cursor = self.index.get(keep, cursor)
        self.cursor_row = max(0, min(cursor, len(self._users) - 1))
        self._set_line_count(len(self._users) + 1)
        self.refresh()

    def _in_order(self, users: list[UserRecord]) -> list[UserRecord]:
        if self.sort_column is None:
            return list(users)
        # stable: users equal in the column keep the search's ranking
        key = _sort_key(self.sort_column, self._known)
        return sorted(users, key=key, reverse=self.sort_descending)

    def sort_by(self, column: str | None, *, descending: bool = False) -> None:
        """Sort by a column (a key of COLUMNS), or None for the order given; the highlighted
        user stays highlighted."""
        if column is not None and column not in COLUMN_INDEX:
            raise ValueError(f"no column {column!r}")
        self.sort_column = column
        self.sort_descending = descending and column is not None
        self._header = None
        self.show_users(self._given, self._known)

    @property
    def sort_label(self) -> str:
        """ "Name ▲", or "" when unsorted: for the count line and the tests."""
        if self.sort_column is None:
            return ""
        label = COLUMNS[COLUMN_INDEX[self.sort_column]][1]
        return f"{label} {SORT_ARROW[self.sort_descending]}"

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the columns and the scrollbar's gutter, whether the scrollbar shows or not.
        (Textual keeps a stable gutter in an auto width only with `overflow-x: auto`: without
        this, results fewer than the lines narrowed the table by the scrollbar, and the pane
        beside it grew and drew itself again, ~60-100 ms of a key typed.)"""
        if self.styles.scrollbar_gutter == "stable" and not self.show_vertical_scrollbar:
            return self.virtual_size.width + self.styles.scrollbar_size_vertical
        return self.virtual_size.width

    def _set_line_count(self, lines: int) -> None:
        """A new number of lines. Setting `virtual_size` lays out the whole screen (a layout
        reactive: ~8 ms of a search key). The table's own size never depends on its lines (a
        fixed width, a height from the screen, the scrollbar's gutter always kept), so unless the
        scrollbar comes or goes, a new count changes only the scroll range and the scrollbar's
        thumb: set those two, and repaint (as the events log does)."""
        size = Size(TABLE_WIDTH, lines)
        if size == self.virtual_size:
            return
        if not self._lines_need_no_layout(lines):
            self.virtual_size = size
            self._show_scrollbar_for(lines)
            return
        self.set_reactive(UsersTable.virtual_size, size)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = lines
            self.vertical_scrollbar.refresh()
        if self.scroll_y > self.max_scroll_y:  # fewer lines: the scroll range shrank under it
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def _show_scrollbar_for(self, lines: int) -> None:
        """Show or hide the scrollbar now, with the new virtual size: Textual would find out in
        the layout that size asks for, and ask for a second layout of the whole screen."""
        height = self.container_size.height
        if self.styles.overflow_y != "auto" or not height:
            return
        shown = lines > height
        if shown != self.show_vertical_scrollbar:
            self.show_vertical_scrollbar = shown
            self.vertical_scrollbar.display = shown

    def _lines_need_no_layout(self, lines: int) -> bool:
        """Whether `lines` lines leave the table and its scrollbar as laid out now."""
        styles = self.styles
        height = self.container_size.height
        return (
            self.virtual_size.height > 1  # laid out with rows once
            and height > 0
            and styles.overflow_y == "auto"
            and styles.scrollbar_gutter == "stable"
            and styles.height is not None
            and not styles.height.is_auto
            and (lines > height) == self.show_vertical_scrollbar
        )

    def _row(self, index: int) -> UserRow:
        user = self._users[index]
        status = sentera_status(user, self._known)
        row = self._rows.get(user[ID])
        if row is None:
            if len(self._rows) >= ROWS_KEPT:
                self._forget_offscreen()
            row = UserRow(user, status, row_cells(user, self._known, self._theme_colours()))
            self._rows[user[ID]] = row
        elif user is not row.user or status != row.status:
            row.update(user, status, row_cells(user, self._known, self._theme_colours()))
        return row

    def _forget_offscreen(self) -> None:
        top = int(self.scroll_y)
        shown = {u[ID] for u in self._users[top : top + self.size.height + 1]}
        self._rows = {k: r for k, r in self._rows.items() if k in shown}

    def _theme_colours(self) -> dict[str, str]:
        if not self._colours:
            theme = self.app.current_theme
            self._colours = {"ok": theme.success or "green", "bad": theme.error or "red"}
        return self._colours

    # -- cursor, keys, mouse ------------------------------------------------------------------

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        if not self._users:
            return
        row = max(0, min(len(self._users) - 1, row))
        moved = row != self.cursor_row
        self.cursor_row = row
        if scroll:
            self._scroll_to_cursor()
        self.refresh()
        if moved:
            self.post_message(self.Highlighted(self, self._users[row][ID]))

    def _scroll_to_cursor(self) -> None:
        # Row i is line i + 1 of the content: line 0 is the header, which never scrolls away.
        self.scroll_to_region(
            Region(0, self.cursor_row + 1, 1, 1),
            spacing=Spacing(1, 0, 0, 0),
            animate=False,
            immediate=True,
        )

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_scroll_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_scroll_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_scroll_home(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_end(self) -> None:
        self.move_cursor(row=len(self._users) - 1)

    def action_scroll_left(self) -> None:
        pass  # one screen wide: nothing to the side

    def action_scroll_right(self) -> None:
        pass

    def action_sort_next(self) -> None:
        """Name, email, externalId, providers, Sentera, then the search's own order."""
        keys = [key for key, _, _ in COLUMNS]
        if self.sort_column is None:
            self.sort_by(keys[0])
        else:
            following = keys.index(self.sort_column) + 1
            self.sort_by(keys[following] if following < len(keys) else None)
        self.notify(
            f"Sorted by {self.sort_label}" if self.sort_column else "Sorted as found",
            timeout=2,
            markup=False,
        )

    def action_sort_invert(self) -> None:
        self.sort_by(self.sort_column or COLUMNS[0][0], descending=not self.sort_descending)

    def action_select_cursor(self) -> None:
        key = self.highlighted_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # the header
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._users):
            event.stop()
            self.move_cursor(row=index)
            self.action_select_cursor()

    # -- rendering ----------------------------------------------------------------------------

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def forget_drawn_rows(self) -> None:
        """Drop the drawn rows (the screen is out of view: tui/covered.py)."""
        self._header = None
        for row in self._rows.values():
            row.strips.clear()

    def _restyle(self) -> None:
        """Drop every rendered line (styles changed); rows rebuild their cells on a theme."""
        if not self._colours and self._rows:
            colours = self._theme_colours()
            for row in self._rows.values():
                row.update(row.user, row.status, row_cells(row.user, self._known, colours))
        self.forget_drawn_rows()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width  # as DataTable: rows reach into an empty scrollbar gutter
        if y == 0:
            if self._header is None or self._header[0] != width:
                widths = column_widths(self.scrollable_content_region.width)
                labels = tuple(  # fit by _line; the sort arrow kept in view
                    header_label(
                        label,
                        column_width,
                        self.sort_descending if key == self.sort_column else None,
                    )
                    for (key, label, _), column_width in zip(COLUMNS, widths, strict=True)
                )
                header = self._line(labels, "users-table--header", width, cursor=False)
                self._header = (width, header)
            return self._header[1]
        index = int(self.scroll_y) + y - 1
        if not 0 <= index < len(self._users):
            return Strip.blank(width, self.rich_style)
        row = self._row(index)
        look = (index == self.cursor_row, index % 2 == 0, width)
        strip = row.strips.get(look)
        if strip is None:
            stripe = "users-table--even-row" if look[1] else "users-table--odd-row"
            strip = row.strips[look] = self._line(row.cells, stripe, width, cursor=look[0])
        return strip

    def _line(
        self, cells: Sequence[str | Text], component: str, width: int, *, cursor: bool
    ) -> Strip:
        """One line: each cell padded and cropped to its column, the row's style under the
        cells' own colours and the cursor's colours over them, the row's style to the edge."""
        row_style = self.get_component_rich_style(component)
        under = row_style
        over: Style | None = None
        if cursor:
            cursor_style = self.get_component_rich_style("users-table--cursor")
            under = row_style + cursor_style
            over = Style(color=cursor_style.color, bgcolor=cursor_style.bgcolor)
        plain_style = under + over if over is not None else under
        pad = " " * CELL_PADDING
        segments: list[Segment] = []
        widths = column_widths(self.scrollable_content_region.width)
        for cell, column_width in zip(cells, widths, strict=True):
            if isinstance(cell, str):  # most cells: one segment, no Text to build and render
                text = set_cell_size(clip(cell, column_width), column_width)
                segments.append(Segment(pad + text + pad, plain_style))
                continue
            content = cell.copy()
            content.truncate(column_width, overflow="ellipsis", pad=True)
            content.pad(CELL_PADDING)
            content.stylize_before(under)
            if over is not None:
                content.stylize(over)
            content.end = ""
            segments.extend(content.render(self.app.console))
        strip = Strip(segments, sum(widths) + 2 * CELL_PADDING * len(widths))
        return strip.extend_cell_length(width, under).crop(0, width).simplify()
