"""One provider connection of a grower: its status and (masked) fields, the diagnosis line and
the live events log, the same screen as Sentera's but for the card and the keys. a copies an
authentication magic link, y a redacted problem summary, D deletes the credential (confirmed)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence

from textual.app import ComposeResult
from textual.widgets import Static

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import Provider, ProviderCredential, ProviderEvent
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, format_when
from leaf_tui.domain.provider_diagnosis import Diagnosis, diagnose
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.connection_actions import (
    confirm_delete,
    copy_auth_link,
    copy_summary,
    open_credential_form,
)
from leaf_tui.tui.screen_bindings import connection_keys
from leaf_tui.tui.screens.credential_log import CredentialLogScreen
from leaf_tui.tui.workers import ui_work

_SHOWN_FIELDS = 4
"""Masked fields shown on the card besides status and created (it must fit 80x24)."""


class ProviderEventsScreen(CredentialLogScreen[ProviderCredential, Diagnosis]):
    """`app.open_provider_events(user, provider)` pushes it; escape goes back."""

    CSS_PATH = ["credential_log.tcss", "provider_events.tcss"]
    BINDINGS = connection_keys("provider")

    def __init__(self, user: LeafUser, provider: Provider) -> None:
        super().__init__(user, provider.display)
        self.provider = provider

    # --- the card ----------------------------------------------------------------------------

    def compose_card(self) -> ComposeResult:
        yield Static("…", id="provider-card", markup=False)

    def render_card(self) -> None:
        self._show("provider-card", self._card_text())

    def card_failed(self) -> None:
        self._show("provider-card", "Status  could not load")

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

    # --- reading -----------------------------------------------------------------------------

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

    def secrets(self, credential: ProviderCredential) -> Sequence[str | None]:
        return credential.secrets

    def diagnose_events(self, events: Sequence[ProviderEvent]) -> Diagnosis:
        return diagnose(self.provider, self.credential, events, clock.now())

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


__all__ = ["ProviderEventsScreen"]
