"""A grower's Connections: one row per provider the grower has, with status, created, last
event, failures over the last 24 h and the diagnosis in a few words; live while open.

enter opens that provider's events log; a copies an authentication magic link (providers magic
links allow), D deletes the credential (confirmed), y copies a redacted problem summary."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Label, Static

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import Provider, ProviderCredential, ProviderEvent, grower_credentials
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, format_when
from leaf_tui.domain.connections import Connection, connection
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.connection_actions import (
    confirm_delete,
    copy_auth_link,
    copy_summary,
    open_credential_form,
)
from leaf_tui.tui.screen_bindings import connection_keys
from leaf_tui.tui.screens.polled_table import PolledTableScreen
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.workers import ui_work

POLL_INTERVAL = 5.0
_SEVERITY_CLASS = {"ok": "ok", "info": "muted", "warning": "warn", "error": "bad"}
_COLUMNS = ("Provider", "Status", "Diagnosis", "Fails 24h", "Last event", "Created")
# provider and status are always whole; narrower than the table wants (80 columns), the
# creation time goes first, then the diagnosis is cut with "…", then the other columns go
_GIVE_WAY = (
    ("Created", 0),
    ("Diagnosis", 24),
    ("Last event", 0),
    ("Fails 24h", 0),
    ("Diagnosis", 6),
)


class ConnectionsScreen(PolledTableScreen):
    """`app.open_connections(user)` pushes it; escape goes back."""

    CSS_PATH = "connections.tcss"
    COLUMNS = _COLUMNS
    GIVE_WAY = _GIVE_WAY
    POLL_INTERVAL = POLL_INTERVAL
    BINDINGS = [
        Binding("enter", "events", "Events", id="connections.events"),
        *connection_keys("connections"),
    ]

    def __init__(self, user: LeafUser, focus_provider: str | None = None) -> None:
        super().__init__()
        self.user = user
        self.connections: list[Connection] = []
        self.events: dict[str, list[ProviderEvent]] = {}
        self.unchecked: dict[str, str] = {}
        self.loaded = False
        self._focus_provider = focus_provider
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        yield Label(f"Connections · {self.user.display_name}", id="connections-title", markup=False)
        table: DataTable[Text | str] = DataTable(
            id="connections", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(
            "Loading the grower's connections…", id="connection-diagnosis", classes="muted"
        )
        yield Label("", id="connections-status", classes="muted", markup=False)
        yield Footer()

    def grower_in_view(self) -> LeafUser:
        return self.user

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#connections", DataTable)

    def on_mount(self) -> None:  # then the table's columns, focus and first poll (the base's)
        self.sub_title = self.user.display_name

    # --- loading -----------------------------------------------------------------------------

    @ui_work(exclusive=True, group="connections-poll")
    async def poll(self) -> None:
        self._stop_timer()
        app = leaf_app(self)
        try:
            user = await app.client.users.get(self.user.id)
            found = await grower_credentials(app.client.credentials, user.credentials, user.id)
        except LeafError as exc:
            self._show_status(f"could not load: {type(exc).__name__}; retrying")
            if not self.loaded:
                app.show_error(exc, "load the grower's connections")
            self._schedule()
            return
        self.user = user
        self.unchecked = dict(found.unchecked)
        events = await asyncio.gather(*(self._events(c) for c in found.credentials))
        now = clock.now()
        self.connections = [
            connection(c.provider, c, ev, now)
            for c, ev in zip(found.credentials, events, strict=True)
        ]
        self.loaded = True
        self._show_rows()
        self._schedule()

    async def _events(self, credential: ProviderCredential) -> list[ProviderEvent] | None:
        try:
            found = await leaf_app(self).client.credentials.events(
                credential.provider, self.user.id
            )
        except NotFound:
            found = []
        except LeafError:
            return None
        self.events[credential.provider.name] = found
        return found

    # --- showing -----------------------------------------------------------------------------

    def _show_rows(self) -> None:
        now = clock.now()
        keep = self._highlighted_id()
        if keep is None:
            keep = self._focus_provider
        self._focus_provider = None
        self._fill_table(
            [self._cells(conn, now) for conn in self.connections],
            [conn.provider.name for conn in self.connections],
            keep,
        )
        status = f"{len(self.connections)} connection{'s' if len(self.connections) != 1 else ''}"
        if not self.connections:
            status = "No provider connected"
        if self.unchecked:
            status += " · could not check: " + ", ".join(sorted(self.unchecked))
        self._show_status(f"{status} · live, every {POLL_INTERVAL:.0f}s")
        self._show_diagnosis()

    def _cells(self, conn: Connection, now: object) -> tuple[Text, ...]:
        look = "bold red" if conn.unhealthy else "bold green"
        if conn.credential is not None and conn.credential.status is None:
            look = "dim"  # not checked: neither healthy nor broken
        status = Text(conn.status, style=look)
        if conn.diagnosis.severity.value == "warning":
            status.stylize("yellow")
        cred = conn.credential
        created = format_when(cred.created_time) if cred and cred.created_time else "—"
        last = conn.last_event
        last_text = (
            "—" if last is None else f"{ago(last.created_date, clock.now())} ({last.status_code})"
        )
        if not conn.events_checked:
            last_text = "could not read"
        fails = Text(str(conn.failures_24h), style="red" if conn.failures_24h else "dim")
        return (
            Text(conn.provider.display),
            status,
            Text(conn.diagnosis.short),
            fails,
            Text(last_text),
            Text(created),
        )

    @property
    def highlighted(self) -> Connection | None:
        return self._highlighted_in(self.connections)

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_diagnosis()

    def _show_diagnosis(self) -> None:
        widget = self.query_one("#connection-diagnosis", Static)
        conn = self.highlighted
        if conn is None:
            text = "This grower has no provider connected." if self.loaded else "Loading…"
            look = "muted"
        else:
            text = f"{conn.provider.display}: {conn.diagnosis.message}"
            look = _SEVERITY_CLASS[conn.diagnosis.severity.value]
        widget.update(Text(text))
        for name in _SEVERITY_CLASS.values():
            widget.set_class(name == look, name)

    def _show_status(self, text: str) -> None:
        self.query_one("#connections-status", Label).update(text)

    # --- actions -----------------------------------------------------------------------------

    def _need(self, what: str) -> Connection | None:
        conn = self.highlighted
        if conn is None or conn.credential is None:
            self.notify(f"No connection to {what}.", markup=False)
            return None
        return conn

    def action_events(self) -> None:
        conn = self._need("open")
        if conn is not None:
            leaf_app(self).open_provider_events(self.user, conn.provider)

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_events()

    def action_auth_link(self) -> None:
        conn = self.highlighted
        if conn is None:
            self.notify("No connection highlighted.", markup=False)
            return
        self._auth_link(conn.provider)

    @ui_work(exclusive=True, group="connections-auth-link")
    async def _auth_link(self, p: Provider) -> None:
        await copy_auth_link(self, self.user, p)

    def action_delete(self) -> None:
        conn = self._need("delete")
        if conn is not None and conn.credential is not None:
            confirm_delete(self, self.user, conn.credential, self.poll)

    def action_copy_summary(self) -> None:
        conn = self._need("summarise")
        if conn is not None and conn.credential is not None:
            events = self.events.get(conn.provider.name, [])
            copy_summary(self, self.user, conn.credential, conn.diagnosis, events)

    def action_new_credential(self) -> None:
        conn = self.highlighted
        if conn is None:
            self.notify("No connection highlighted.", markup=False)
            return
        open_credential_form(self, self.user, conn.provider, conn.credential, self.poll)

    def action_refresh(self) -> None:
        self.poll()

    def action_back(self) -> None:
        self.app.pop_screen()


__all__ = ["ConnectionsScreen"]
