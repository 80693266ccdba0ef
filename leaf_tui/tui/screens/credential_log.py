"""What the Sentera screen and a provider's events screen share: a grower's credential for one
source, its card, the plain-language diagnosis under it and the live events log, polled together.

A subclass gives the card (`compose_card`, `render_card`), how to read the credential and its
events, the secrets the log must hide and the diagnosis; the rest (the status line of the poll,
its failures, the event detail, suspend and resume) is here once."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import Generic, Protocol, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from leaf_tui.api.models import LeafUser, SenteraEvent
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, format_duration
from leaf_tui.domain.connections import DIAGNOSIS_WINDOW
from leaf_tui.domain.event_runs import Severity
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.covered import LetsGoWhenCovered
from leaf_tui.tui.credential_poll import credential_and_events
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.widgets.events_log import EventsLog
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader


class Credential(Protocol):
    @property
    def id(self) -> str: ...


class ShownDiagnosis(Protocol):
    @property
    def severity(self) -> Severity: ...

    @property
    def message(self) -> str: ...


C = TypeVar("C", bound=Credential)
D = TypeVar("D", bound=ShownDiagnosis)

_SEVERITY_CLASS = {"ok": "ok", "info": "muted", "warning": "warn", "error": "bad"}


class CredentialLogScreen(LetsGoWhenCovered, Screen[None], Generic[C, D]):
    """`source` names what the credential connects to ("Sentera", "John Deere")."""

    def __init__(self, user: LeafUser, source: str) -> None:
        super().__init__()
        self.user = user
        self.source = source
        self.credential: C | None = None
        self.loaded = False
        """True once the first answer about the credential arrived (or said there is none)."""
        self.diagnosis: D | None = None
        self._events_whole = False
        """The log holds a whole read of the events: not yet, or only the newest page of a
        long log while its older pages come (a diagnosis of it could count a run of failures
        short or miss an older success: it waits)."""
        self._poll_error_shown = False
        # what each text widget shows, by id: a poll (every few seconds) updates only the ones
        # whose text changed, as every Static.update re-lays out the whole screen
        self._shown: dict[str, object] = {}

    # --- what a subclass gives ---------------------------------------------------------------

    def compose_card(self) -> ComposeResult:
        raise NotImplementedError

    def render_card(self) -> None:
        """Show `self.credential` (None: not connected) on the card."""
        raise NotImplementedError

    def card_failed(self) -> None:
        """The first poll failed: the card says so instead of "loading"."""
        raise NotImplementedError

    async def _get_credential(self) -> C | None:
        """The credential, None when there is none."""
        raise NotImplementedError

    def _get_events(self) -> AsyncGenerator[list[SenteraEvent], None]:
        """Its events, in parts (a long log's newest page first); [] when there is no
        credential."""
        raise NotImplementedError

    def secrets(self, credential: C) -> Sequence[str | None]:
        raise NotImplementedError

    def diagnose_events(self, events: Sequence[SenteraEvent]) -> D:
        raise NotImplementedError

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        with Vertical(id="log-top"):
            yield Label(f"{self.source} · {self.user.display_name}", id="log-title", markup=False)
            yield from self.compose_card()
            yield Static(
                f"Loading the {self.source} credential…",
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
        """`n` (the app's new link) is for this grower."""
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

    # --- polling -----------------------------------------------------------------------------

    def _fetch(self) -> AsyncGenerator[Sequence[SenteraEvent], None]:
        """One poll: the credential (its status changes with syncs) and its events, together;
        a first read's newest page as soon as it comes."""
        return credential_and_events(
            self._get_credential(), self._get_events(), self._show_credential
        )

    def on_events_log_polled(self, message: EventsLog.Polled) -> None:
        status = self.query_one("#events-status", Label)
        if message.error is not None:
            retry = format_duration(message.retry_in or 0)
            error = message.error
            code = getattr(error, "status", None)
            what = f"{type(error).__name__}{f' (HTTP {code})' if code else ''}"
            self._show(
                "events-status", f"polling failed: {what}; retrying in {retry}", layout=False
            )
            status.set_class(True, "bad")
            if not self.loaded:  # the card would say "Loading…" for ever: say it failed
                self.card_failed()
                self._show(
                    "diagnosis",
                    f"Could not load the {self.source} credential ({what}); trying again in "
                    f"{retry}. ctrl+r tries now.",
                )
            elif not self._events_whole:  # "Reading the events…" would wait for ever
                self._show(
                    "diagnosis",
                    f"Could not read the {self.source} events ({what}); trying again in "
                    f"{retry}. ctrl+r tries now.",
                )
            if not self._poll_error_shown:
                # once per failing stretch: a notification every few seconds would be noise
                self._poll_error_shown = True
                leaf_app(self).show_error(error, f"load the {self.source} events")
            return
        self._poll_error_shown = False
        self._events_whole = not message.older_to_come
        status.set_class(False, "bad")
        self._show_events_status(self.events_log)
        self._update_diagnosis()

    def on_events_log_follow_changed(self, message: EventsLog.FollowChanged) -> None:
        if not self._poll_error_shown:
            self._show_events_status(self.events_log)

    def _show_events_status(self, log: EventsLog) -> None:
        count = len(log.events)
        newest = log.events[-1].created_date if log.events else None
        parts = [f"{count:,} events" if count != 1 else "1 event"]
        if newest is not None:
            parts.append(f"newest {ago(newest, clock.now())}")
        parts.append(f"live, every {format_duration(log.interval)}")
        if not self._events_whole and count:
            parts.append("reading older…")
        if not log.following and count:
            parts.append("scrolled up: End follows")
        self._show("events-status", " · ".join(parts), layout=False)

    def _show(self, widget_id: str, content: str, *, layout: bool = True) -> None:
        """Put `content` in the Label or Static with this id, unless it shows that already.
        layout=False for a widget whose size its styles fix (width 1fr, one row): then a new
        text repaints it alone instead of laying out the whole screen again. layout=True for
        one whose height follows its text (width 1fr, height auto: it may wrap): the screen is
        laid out only when the new text takes another number of rows."""
        if self._shown.get(widget_id) == content:
            return
        self._shown[widget_id] = content
        widget = self.query_one(f"#{widget_id}", Static)
        widget.update(content, layout=False)
        if layout:
            width, height = widget.content_region.width, widget.content_region.height
            # before the first layout (no width yet) the height is not known: lay out
            if not width or widget.get_content_height(self.size, self.size, width) != height:
                widget.refresh(layout=True)

    # --- the card and the diagnosis --------------------------------------------------------

    def _show_credential(self, credential: C | None) -> None:
        previous = self.credential
        # check_action may turn on what loaded and credential-or-none say; refresh_bindings
        # rebuilds the footer, so only when that changes, not on every poll.
        bindings_before = (self.loaded, previous is None)
        self.loaded = True
        self.credential = credential
        log = self.events_log
        if previous is not None and (credential is None or credential.id != previous.id):
            log.clear()  # deleted or recreated: the old events are gone with the old credential
        if credential is not None:
            log.set_secrets(self.secrets(credential))
        self.render_card()
        self._update_diagnosis()
        if (self.loaded, credential is None) != bindings_before:
            self.refresh_bindings()

    def _update_diagnosis(self) -> None:
        if not self.loaded:
            return
        if self.credential is not None and not self._events_whole:
            self.diagnosis = None
            self._show("diagnosis", f"Reading the {self.source} events…")
            self._look("muted")
            return
        diagnosis = self.diagnose_events(self.events_log.events[-DIAGNOSIS_WINDOW:])
        self.diagnosis = diagnosis
        self._show("diagnosis", diagnosis.message)
        self._look(_SEVERITY_CLASS[diagnosis.severity.value])

    def _look(self, look: str) -> None:
        widget = self.query_one("#diagnosis", Static)
        for name in _SEVERITY_CLASS.values():
            widget.set_class(name == look, name)

    # --- actions -----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.events_log.poll_now()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_events_log_selected(self, message: EventsLog.Selected) -> None:
        secrets = self.secrets(self.credential) if self.credential is not None else ()
        self.app.push_screen(
            EventDetailScreen(message.event, secrets=secrets, user=self.user, provider=self.source)
        )


__all__ = ["CredentialLogScreen"]
