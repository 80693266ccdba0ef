"""Sentera credentials of one grower: the credential card, a plain-language diagnosis, and the
live events log (the same screen as a provider's but for the card and the keys). Connect (c),
recreate after a password change (r), delete (D)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Label

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LeafUser, SenteraCredential, SenteraEvent
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, format_when
from leaf_tui.domain.sentera_diagnosis import Diagnosis, Problem, diagnose, mask_token
from leaf_tui.tui import account
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.screen_bindings import refresh_and_back
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.credential_log import CredentialLogScreen
from leaf_tui.tui.screens.sentera_form import FormResult, SenteraFormScreen
from leaf_tui.tui.sentera_attempts import SenteraAttempt
from leaf_tui.tui.workers import ui_work

# Leaf marks a credential UNAUTHENTICATED for a missing organization too: the card says which
_STATUS_CAUSE = {
    Problem.ORG_CASE: "organization name, not the password",
    Problem.ORG_NOT_FOUND: "organization name, not the password",
}


class SenteraScreen(CredentialLogScreen[SenteraCredential, Diagnosis]):
    """`app.open_sentera(user)` pushes it; escape goes back."""

    CSS_PATH = ["credential_log.tcss", "sentera.tcss"]
    BINDINGS = [
        Binding("c", "connect", "Connect", id="sentera.connect"),
        Binding("r", "recreate", "Recreate", id="sentera.recreate"),
        Binding("D", "delete", "Delete", id="sentera.delete"),
        *refresh_and_back("sentera"),
        # Hidden from the footer when they do not apply (it must fit 120 columns), yet a press
        # still gets an answer: these run when the bindings above are off (no description, so
        # neither help nor the palette lists them).
        Binding("c", "unavailable('connect')", show=False),
        Binding("r", "unavailable('recreate')", show=False),
        Binding("D", "unavailable('delete')", show=False),
    ]

    def __init__(self, user: LeafUser) -> None:
        super().__init__(user, "Sentera")

    # --- the card ----------------------------------------------------------------------------

    def compose_card(self) -> ComposeResult:
        with Grid(id="card"):
            for key, label in (
                ("status", "Status"),
                ("username", "Username"),
                ("organization", "Organization"),
                ("created", "Created"),
                ("token", "Auth token"),
            ):
                yield Label(label, classes="card-key")
                yield Label("…", id=f"card-{key}", classes="card-value", markup=False)

    @property
    def attempt(self) -> SenteraAttempt | None:
        """This grower's last connect or recreate that did not end with a credential (kept by
        the app for the session: leaving this screen does not lose it)."""
        return leaf_app(self).sentera_attempts.get(self.user.id)

    @property
    def last_create_error(self) -> str | None:
        attempt = self.attempt
        return attempt.error if attempt is not None else None

    async def _get_credential(self) -> SenteraCredential | None:
        try:
            return await leaf_app(self).client.sentera.get(self.user.id)
        except NotFound:
            return None

    async def _get_events(self) -> AsyncGenerator[list[SenteraEvent], None]:
        reads = leaf_app(self).client.sentera.event_reads(self.user.id)
        try:
            async with contextlib.aclosing(reads) as parts:  # closed with this one
                async for events in parts:
                    yield events
        except NotFound:
            yield []  # no credential: Leaf keeps no events without one

    def card_failed(self) -> None:
        self._show("card-status", "could not load", layout=False)

    def render_card(self) -> None:
        cred = self.credential
        status = self.query_one("#card-status", Label)
        look = "muted" if cred is None else "ok" if cred.healthy else "bad"
        for name in ("ok", "bad", "muted"):
            status.set_class(name == look, name)  # no change, no style update
        if cred is None:
            values = {"username": "—", "organization": "—", "created": "—", "token": "—"}
        else:
            org = cred.organization_name or "—"
            if cred.organization_id:
                org = f"{org}  (id {cred.organization_id})"
            created = format_when(cred.created_time)
            if cred.created_time is not None:
                created = f"{created}  ({ago(cred.created_time, clock.now())})"
            values = {
                "username": cred.username or "—",
                "organization": org,
                "created": created,
                "token": mask_token(cred.auth_token),
            }
        for key, value in values.items():
            # laid out only when a value takes another number of rows (a long organization
            # and its id wrap at 80 columns), not on every poll
            self._show(f"card-{key}", value)
        self.query_one("#card").set_class(cred is None, "-missing")

    def secrets(self, credential: SenteraCredential) -> Sequence[str | None]:
        return [credential.auth_token]

    def diagnose_events(self, events: Sequence[SenteraEvent]) -> Diagnosis:
        attempt = self.attempt
        return diagnose(
            self.credential,
            events,
            clock.now(),
            last_create_error=attempt.error if attempt else None,
            lost_by_recreate=attempt.removed if attempt else False,
        )

    def _update_diagnosis(self) -> None:
        super()._update_diagnosis()
        if self.loaded:
            # layout: with its cause the status may take two rows (80 columns); it changes rarely
            self._show("card-status", self._status_text(self.diagnosis))

    def _status_text(self, diagnosis: Diagnosis | None) -> str:
        """Leaf's status as it is, and the cause (once diagnosed) when the status alone would
        mislead."""
        cred = self.credential
        if cred is None:
            return "Not connected"
        status = cred.status or "(no status)"
        cause = _STATUS_CAUSE.get(diagnosis.problem) if diagnosis and not cred.healthy else None
        return f"{status}  (cause: {cause})" if cause else status

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hidden (False), not dimmed, when they do not apply: the footer must fit 120 columns.
        if account.hides(self.app, action):
            return False
        if action == "connect":
            return self.loaded and self.credential is None
        if action in ("recreate", "delete"):
            return self.credential is not None
        return True

    def action_unavailable(self, what: str) -> None:
        """c, r or D pressed while hidden: say why nothing opens, and which key does."""
        name = self.user.display_name
        if account.read_only(self.app):
            message = "This profile is read-only: nothing can be changed from here."
        elif not self.loaded:
            message = "Still loading the Sentera credential: try again in a moment."
        elif self.credential is None:
            message = f"{name} has no Sentera credential to {what}. Press c to connect one."
        else:
            message = f"{name} is already connected to Sentera: r recreates it, D deletes it."
        self.notify(message, title=f"Nothing to {what}", markup=False)

    def action_connect(self) -> None:
        attempt = self.attempt
        typed = attempt.typed if attempt is not None else None
        self.app.push_screen(SenteraFormScreen(self.user, typed=typed), self._after_form)

    def action_recreate(self) -> None:
        if self.credential is None:
            return
        attempt = self.attempt
        form = SenteraFormScreen(
            self.user,
            self.credential,
            typed=attempt.typed if attempt is not None else None,
            cause=self.diagnosis,
            events=len(self.events_log.events),
        )
        self.app.push_screen(form, self._after_form)

    def _after_form(self, result: FormResult | None) -> None:
        if result is None:
            return
        attempts = leaf_app(self).sentera_attempts
        if result.credential is not None:
            attempts.forget(self.user.id)
            verb = "Recreated" if result.removed else "Connected"
            self.notify(
                f"{verb} Sentera for {self.user.display_name} "
                f"(organization {result.credential.organization_name})",
                markup=False,
            )
            self._show_credential(result.credential)
        else:
            typed = result.typed or {}
            before = self.attempt
            attempts.remember(
                self.user.id,
                SenteraAttempt(
                    username=typed.get("username"),
                    organization=typed.get("organization"),
                    error=result.last_error,
                    # an earlier recreate's delete still explains why there is none
                    removed=result.removed or (before is not None and before.removed),
                ),
            )
            if result.removed:
                self._show_credential(None)
                self.notify(
                    f"{self.user.display_name} has no Sentera credential now: the old one was "
                    "deleted and the new one was not created. Press c to connect (username and "
                    "organization are kept).",
                    title="Not connected",
                    severity="warning",
                    markup=False,
                )
            self._update_diagnosis()
        self.events_log.poll_now()

    def action_delete(self) -> None:
        cred = self.credential
        if cred is None:
            return
        question = (
            f"Delete the Sentera credential of {self.user.display_name} "
            f"({cred.username or 'no username'})? Leaf stops syncing and its event log is lost."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete()

        self.app.push_screen(ConfirmScreen(question, "Delete"), answered)

    @ui_work(exclusive=True, group="sentera-delete")
    async def _delete(self) -> None:
        app = leaf_app(self)
        cred = self.credential  # before a poll may notice it gone
        try:
            await app.client.sentera.delete(self.user.id)
        except NotFound:
            pass  # already gone: the card catches up below
        except Exception as exc:
            app.show_error(exc, "delete the Sentera credential", retry=self._delete)
            return
        self.notify(f"Deleted the Sentera credential of {self.user.display_name}", markup=False)
        # c brings the deleted credential's username and organization back (not a password)
        leaf_app(self).sentera_attempts.remember(
            self.user.id,
            SenteraAttempt(cred.username, cred.organization_name) if cred else SenteraAttempt(),
        )
        self._show_credential(None)
        self.events_log.poll_now()


__all__ = ["SenteraScreen"]
