"""One provider connection of a grower: its status and (masked) fields, the diagnosis line and
the live events log, the same widget and event detail as Sentera's. a copies an authentication
magic link, y a redacted problem summary, D deletes the credential (confirmed)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import Provider, ProviderCredential, ProviderEvent
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, format_duration, format_when
from leaf_tui.domain.connections import DIAGNOSIS_WINDOW
from leaf_tui.domain.provider_diagnosis import Diagnosis, diagnose
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.connection_actions import (
    confirm_delete,
    copy_auth_link,
    copy_summary,
    open_credential_form,
)
from leaf_tui.tui.credential_poll import credential_and_events
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.widgets.events_log import EventsLog
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.workers import ui_work

_SEVERITY_CLASS = {"ok": "ok", "info": "muted", "warning": "warn", "error": "bad"}
_SHOWN_FIELDS = 4
"""Masked fields shown on the card besides status and created (it must fit 80x24)."""


class ProviderEventsScreen(Screen[None]):
    """`app.open_provider_events(user, provider)` pushes it; escape goes back."""

    CSS_PATH = "provider_events.tcss"
    BINDINGS = [
        Binding(
            "a",
            "auth_link",
            "Auth link",
            tooltip="Copy an authentication link",
            id="provider.auth_link",
        ),
        Binding("y", "copy_summary", "Copy problem", id="provider.copy_summary"),
        Binding("D", "delete", "Delete", id="provider.delete"),
        Binding(
            "N",
            "new_credential",
            "New credential",
            show=False,
            tooltip="Create the credential again from its fields",
            id="provider.new_credential",
        ),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="provider.refresh"),
        Binding("escape,backspace", "back", "Back", id="provider.back"),
    ]

    def __init__(self, user: LeafUser, provider: Provider) -> None:
        super().__init__()
        self.user = user
        self.provider = provider
        self.credential: ProviderCredential | None = None
        self.loaded = False
        self.diagnosis: Diagnosis | None = None
        self._error_shown = False

    def compose(self) -> ComposeResult:
        p = self.provider
        yield LeafHeader()
        with Vertical(id="provider-top"):
            yield Label(
                f"{p.display} · {self.user.display_name}", id="provider-title", markup=False
            )
            yield Static("…", id="provider-card", markup=False)
            yield Static(
                f"Loading the {p.display} credential…",
                id="diagnosis",
                classes="muted",
                markup=False,
            )
        with Horizontal(id="events-bar"):
            yield Label("Events", id="events-title")
            yield Label("", id="events-status", classes="muted", markup=False)
        yield EventsLog(id="events")
        yield Footer()

    def grower_in_view(self) -> LeafUser:
        return self.user

    @property
    def events_log(self) -> EventsLog:
        return self.query_one(EventsLog)

    def on_mount(self) -> None:
        self.sub_title = self.user.display_name
        log = self.events_log
        log.focus()
        log.start(self._fetch)

    def on_screen_suspend(self) -> None:
        self.events_log.pause()

    def on_screen_resume(self) -> None:
        self.events_log.resume()

    def _fetch(self) -> AsyncGenerator[Sequence[ProviderEvent], None]:
        return credential_and_events(
            self._get_credential(), self._get_events(), self._show_credential
        )

    async def _get_credential(self) -> ProviderCredential | None:
        try:
            return await leaf_app(self).client.credentials.get(self.provider, self.user.id)
        except NotFound:
            return None

    async def _get_events(self) -> AsyncGenerator[list[ProviderEvent], None]:
        try:
            yield await leaf_app(self).client.credentials.events(self.provider, self.user.id)
        except NotFound:
            yield []

    def on_events_log_polled(self, message: EventsLog.Polled) -> None:
        status = self.query_one("#events-status", Label)
        if message.error is not None:
            code = getattr(message.error, "status", None)
            what = f"{type(message.error).__name__}{f' (HTTP {code})' if code else ''}"
            retry = format_duration(message.retry_in or 0)
            status.update(f"polling failed: {what}; retrying in {retry}")
            status.set_class(True, "bad")
            if not self._error_shown:
                self._error_shown = True
                leaf_app(self).show_error(message.error, f"load the {self.provider.display} events")
            return
        self._error_shown = False
        status.set_class(False, "bad")
        log = self.events_log
        count = len(log.events)
        parts = [f"{count:,} events" if count != 1 else "1 event"]
        if log.events and log.events[-1].created_date is not None:
            parts.append(f"newest {ago(log.events[-1].created_date, clock.now())}")
        parts.append(f"live, every {format_duration(log.interval)}")
        status.update(" · ".join(parts))
        self._update_diagnosis()

    def _show_credential(self, credential: ProviderCredential | None) -> None:
        previous = self.credential
        self.loaded = True
        self.credential = credential
        log = self.events_log
        if previous is not None and (credential is None or credential.id != previous.id):
            log.clear()
        if credential is not None:
            log.set_secrets(credential.secrets)
        self.query_one("#provider-card", Static).update(self._card_text())
        self._update_diagnosis()

    def _card_text(self) -> str:
        cred = self.credential
        if cred is None:
            return f"Status  not connected  ·  {self.provider.family.value}"
        created = format_when(cred.created_time)
        if cred.created_time is not None:
            created += f" ({ago(cred.created_time, clock.now())})"
        lines = [f"Status  {cred.status or '(no status)'}   Created  {created}"]
        masked = cred.masked()
        shown = [
            f"{name} {masked[name]}"
            for name in self.provider.fields
            if masked.get(name) not in (None, "")
        ][:_SHOWN_FIELDS]
        if shown:
            lines.append("   ".join(shown))
        return "\n".join(lines)

    def _update_diagnosis(self) -> None:
        if not self.loaded:
            return
        events = self.events_log.events[-DIAGNOSIS_WINDOW:]
        diagnosis = diagnose(self.provider, self.credential, events, clock.now())
        self.diagnosis = diagnosis
        widget = self.query_one("#diagnosis", Static)
        widget.update(diagnosis.message)
        look = _SEVERITY_CLASS[diagnosis.severity.value]
        for name in _SEVERITY_CLASS.values():
            widget.set_class(name == look, name)

    # --- actions -----------------------------------------------------------------------------

    def action_auth_link(self) -> None:
        self._auth_link()

    @ui_work(exclusive=True, group="provider-auth-link")
    async def _auth_link(self) -> None:
        await copy_auth_link(self, self.user, self.provider)

    def action_copy_summary(self) -> None:
        if self.credential is None or self.diagnosis is None:
            self.notify(f"No {self.provider.display} credential to summarise.", markup=False)
            return
        copy_summary(self, self.user, self.credential, self.diagnosis, self.events_log.events)

    def action_delete(self) -> None:
        if self.credential is None:
            self.notify(f"No {self.provider.display} credential to delete.", markup=False)
            return
        confirm_delete(self, self.user, self.credential, self.events_log.poll_now)

    def action_new_credential(self) -> None:
        open_credential_form(
            self, self.user, self.provider, self.credential, self.events_log.poll_now
        )

    def action_refresh(self) -> None:
        self.events_log.poll_now()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_events_log_selected(self, message: EventsLog.Selected) -> None:
        secrets = self.credential.secrets if self.credential else ()
        self.app.push_screen(
            EventDetailScreen(
                message.event, secrets=secrets, user=self.user, provider=self.provider.display
            )
        )


__all__ = ["ProviderEventsScreen"]
