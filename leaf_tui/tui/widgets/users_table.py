"""The users table: one row per user, keyed by user id, diffed (never cleared) on every update."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, RowKey

from leaf_tui.api.models import LeafUser

COLUMNS = (
    ("name", "Name", 20),
    ("email", "Email", 25),
    ("external_id", "External ID", 11),
    ("providers", "Providers", 12),
    ("sentera", "Sentera", 9),
)
# Long statuses are shortened in the table; the detail pane shows them in full.
SHORT_STATUS = {"UNAUTHENTICATED": "UNAUTH"}
SENTERA_KEY = "senteraCredentials"


def sentera_status(user: LeafUser, known: Mapping[str, str | None]) -> str | None:
    """The status to show: what we fetched for this user if any, else what the user object says.
    None means no Sentera credential."""
    if user.id in known:
        return known[user.id]
    cred = user.credentials.get(SENTERA_KEY)
    if isinstance(cred, Mapping):
        status = cred.get("status")
        return str(status) if status else "connected"
    return None


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


def _providers(user: LeafUser) -> str:
    """Other providers than Sentera (it has its own column): the first, and how many more."""
    names = [SHORT_PROVIDER.get(p, p[:1].upper() + p[1:]) for p in user.providers if p != "sentera"]
    if not names:
        return "—"
    return names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}"


def row_cells(
    user: LeafUser, known: Mapping[str, str | None], colours: Mapping[str, str]
) -> tuple[object, ...]:
    status = sentera_status(user, known)
    return (
        user.name or "—",
        user.email or "—",
        user.external_id or "—",
        _providers(user),
        _dot(status, colours) if status else Text("—", style="dim"),
    )


class UsersTable(DataTable[object]):
    BINDINGS = [Binding("enter", "select_cursor", "Open", id="users.open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._cells: dict[str, tuple[str, ...]] = {}
        self._last: tuple[Sequence[LeafUser], Mapping[str, str | None]] | None = None

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        # Status dots carry the theme's colours: repaint them (only the cells, not the rows).
        if self._last is not None:
            self._cells = {key: ("",) * len(COLUMNS) for key in self._cells}
            self.show_users(*self._last)

    @property
    def highlighted_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return row_key.value

    def show_users(self, users: Sequence[LeafUser], known: Mapping[str, str | None]) -> None:
        """Make the rows exactly `users`, in order: remove, update changed cells, add, reorder.
        The highlighted user stays highlighted when still present."""
        self._last = (list(users), dict(known))
        keep = self.highlighted_key
        wanted = [user.id for user in users]
        wanted_set = set(wanted)
        theme = self.app.current_theme
        colours = {"ok": theme.success or "green", "bad": theme.error or "red"}
        self._remove_rows([k for k in self._cells if k not in wanted_set])
        for user in users:
            cells = row_cells(user, known, colours)
            plain = tuple(str(c) for c in cells)
            old = self._cells.get(user.id)
            if old is None:
                self.add_row(*cells, key=user.id)
            elif old != plain:
                for (column, _, _), value, before, after in zip(
                    COLUMNS, cells, old, plain, strict=True
                ):
                    if before != after:
                        self.update_cell(user.id, column, value)
            self._cells[user.id] = plain
        self._reorder(wanted)
        if keep is not None and keep in wanted_set:
            self.move_cursor(row=self.get_row_index(keep), scroll=False)

    def _remove_rows(self, keys: list[str]) -> None:
        """remove_row for many rows at once. DataTable.remove_row rebuilds its row index and
        re-validates the cursor and hover on every call, so removing the rows a search no
        longer matches took O(rows²): hundreds of milliseconds per keystroke at 500 rows."""
        if len(keys) <= 8:
            for key in keys:
                self.remove_row(key)
                del self._cells[key]
            return
        gone = {RowKey(key) for key in keys}
        for row_key in gone:
            for column_key in self._data.get(row_key, {}):
                self._updated_cells.discard(CellKey(row_key, column_key))
            del self.rows[row_key]
            del self._data[row_key]
        for key in keys:
            del self._cells[key]
        locations = self._row_locations
        kept = sorted((k for k in locations if k not in gone), key=lambda k: locations.get(k) or 0)
        self._row_locations = TwoWayDict({k: i for i, k in enumerate(kept)})
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate  # clamped to the rows left
        self.hover_coordinate = self.hover_coordinate
        self.check_idle()
        self.refresh(layout=True)

    def _reorder(self, keys: list[str]) -> None:
        locations = self._row_locations
        current = [k.value for k in sorted(locations, key=lambda k: locations.get(k) or 0)]
        if current == keys:
            return
        # DataTable sorts only by cell values; the order here is the search ranking.
        self._row_locations = TwoWayDict({RowKey(k): i for i, k in enumerate(keys)})
        self._update_count += 1
        self.refresh()
