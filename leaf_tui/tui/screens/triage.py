"""The triage queue: every grower with an unhealthy connection, most recent failure first, with
provider, status and the diagnosis in a few words; live while open; enter opens that grower's
Connections screen on that provider.

Built from the user index already loaded (the credentials in the user objects): only the
unhealthy connections cost a request (their events), a few at a time."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Label, Static

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import ProviderCredential, ProviderEvent
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago
from leaf_tui.domain.connections import connection
from leaf_tui.domain.triage import (
    TriageItem,
    candidates,
    not_checked_among,
    ordered,
    without_status,
)
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.screen_bindings import refresh_and_back
from leaf_tui.tui.screens.polled_table import PolledTableScreen
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.workers import ui_work

POLL_INTERVAL = 10.0
"""Seconds between refreshes of the listed connections' events."""
INDEX_MAX_AGE = 60.0
"""The user index is reloaded (statuses change) when older than this."""
CONCURRENCY = 4
"""Events requests in flight at once (the request budget)."""
_COLUMNS = ("Grower", "Provider", "Status", "Diagnosis", "Last failure")
# provider and status are always whole; narrower than the table wants (80 columns), the grower
# and the diagnosis are cut with "…", then the last failure goes (the order still says it)
_GIVE_WAY = (
    ("Grower", 18),
    ("Diagnosis", 20),
    ("Last failure", 0),
    ("Grower", 12),
    ("Diagnosis", 6),
)


class TriageScreen(PolledTableScreen):
    """`app.open_triage()` pushes it; escape goes back."""

    CSS_PATH = "triage.tcss"
    COLUMNS = _COLUMNS
    GIVE_WAY = _GIVE_WAY
    POLL_INTERVAL = POLL_INTERVAL
    BINDINGS = [
        Binding("enter", "open", "Connections", id="triage.open"),
        *refresh_and_back("triage"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[TriageItem] = []
        self.unchecked: dict[str, str] = {}
        self.loaded = False
        self._timer: Timer | None = None
        self._index_at = 0.0

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        yield Label("Triage · connections that need attention", id="triage-title")
        table: DataTable[Text | str] = DataTable(id="triage", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("Loading…", id="triage-diagnosis", classes="muted")
        yield Label("", id="triage-status", classes="muted", markup=False)
        yield Footer()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#triage", DataTable)

    @ui_work(exclusive=True, group="triage-poll")
    async def poll(self) -> None:
        self._stop_timer()
        app = leaf_app(self)
        index = app.user_index
        try:
            if not index.loaded:
                self._show_status("Loading the users…")
                await index.load()
                self._index_at = time.monotonic()
            # at once from the index already loaded; then, when it is older than this screen
            # (statuses change in the background), again from a fresh one
            await self._check(index.users_to_triage(), index.credential_keys())
            if time.monotonic() - self._index_at > INDEX_MAX_AGE or not self._index_at:
                await index.load()
                self._index_at = time.monotonic()
                await self._check(index.users_to_triage(), index.credential_keys())
        except LeafError as exc:
            if not self.loaded:
                app.show_error(exc, "load the users for the triage queue")
            self._show_status(f"could not load the users: {type(exc).__name__}; retrying")
        self._schedule()

    async def _check(self, users: list[LeafUser], seen: set[str]) -> None:
        """The queue from these user objects (those with a credential not OK) and the
        `*Credentials` keys every user object carries: events only for the unhealthy ones."""
        app = leaf_app(self)
        found = candidates(users)
        unchecked = {name: "not in the user object" for name in not_checked_among(seen)}
        unchecked.update((name, "no status") for name in without_status(users))
        gate = asyncio.Semaphore(CONCURRENCY)

        async def events(user: LeafUser, cred: ProviderCredential) -> list[ProviderEvent] | None:
            async with gate:
                try:
                    return await app.client.credentials.events(cred.provider, user.id)
                except NotFound:
                    return []
                except LeafError as exc:
                    unchecked[cred.provider.display] = f"events: {type(exc).__name__}"
                    return None

        answers = await asyncio.gather(*(events(u, c) for u, c in found))
        now = clock.now()
        self.items = ordered(
            [
                TriageItem(user, connection(cred.provider, cred, answer, now))
                for (user, cred), answer in zip(found, answers, strict=True)
            ]
        )
        self.unchecked = unchecked
        self.loaded = True
        self._show_rows()

    def _show_rows(self) -> None:
        now = clock.now()
        self._fill_table(
            [self._cells(item, now) for item in self.items],
            [(i.user.id, i.connection.provider.name) for i in self.items],
            self._highlighted_id(),
        )
        count = len(self.items)
        status = f"{count} connection{'s' if count != 1 else ''} need attention"
        if not count:
            status = "No unhealthy connection found"
        if self.unchecked:
            status += " · not checked: " + ", ".join(
                f"{name} ({why})" for name, why in sorted(self.unchecked.items())
            )
        self._show_status(f"{status} · live, every {POLL_INTERVAL:.0f}s")
        self._show_diagnosis()

    @staticmethod
    def _cells(item: TriageItem, now: datetime) -> tuple[Text, ...]:
        conn = item.connection
        failure = conn.last_failure
        when = (
            f"{ago(failure.created_date, now)} ({failure.status_code})"
            if failure is not None
            else "—"
        )
        return (
            Text(item.user.display_name),
            Text(conn.provider.display),
            Text(conn.status, style="bold red"),
            Text(conn.diagnosis.short),
            Text(when),
        )

    @property
    def highlighted(self) -> TriageItem | None:
        return self._highlighted_in(self.items)

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_diagnosis()

    def _show_diagnosis(self) -> None:
        item = self.highlighted
        widget = self.query_one("#triage-diagnosis", Static)
        if item is None:
            widget.update("Nothing to triage." if self.loaded else "Loading…")
            return
        conn = item.connection
        widget.update(
            Text(f"{item.user.display_name} · {conn.provider.display}: {conn.diagnosis.message}")
        )

    def _show_status(self, text: str) -> None:
        self.query_one("#triage-status", Label).update(text)

    def action_open(self) -> None:
        item = self.highlighted
        if item is None:
            self.notify("Nothing to open.", markup=False)
            return
        leaf_app(self).open_connections(item.user, item.connection.provider.name)

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_open()

    def action_refresh(self) -> None:
        self._index_at = 0.0
        self.poll()

    def action_back(self) -> None:
        self.app.pop_screen()


__all__ = ["TriageScreen"]
