"""One provider event (Sentera's or another's): when, status, and its headers and body
pretty-printed (secrets redacted)."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus

from rich.highlighter import JSONHighlighter
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from leaf_tui.api.models import LeafUser, SenteraEvent
from leaf_tui.domain.sentera_diagnosis import pretty_text
from leaf_tui.tui.widgets.events_log import format_time, status_class
from leaf_tui.tui.widgets.footer import Footer

_json = JSONHighlighter()


def reason(code: int | None) -> str:
    """`401 Unauthorized`; unknown codes as they are."""
    if code is None:
        return "no status code"
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def pretty(raw: str, secrets: Iterable[str]) -> Text:
    """Pretty JSON (highlighted) if it parses, else the text; empty bodies say so."""
    if not raw.strip():
        return Text("(empty)", style="italic")
    text = pretty_text(raw, secrets)
    rendered = Text(text)
    if text.lstrip()[:1] in ("{", "["):
        _json.highlight(rendered)
    return rendered


class EventDetailScreen(ModalScreen[None]):
    """`push_screen(EventDetailScreen(event, secrets=(token,)))`; escape closes."""

    CSS_PATH = "event_detail.tcss"
    BINDINGS = [
        Binding("escape,q,enter", "close", "Close", id="event.close"),
        Binding("n", "app.new_link", "New link", tooltip="New link for this user", id="event.new"),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
    ]

    def __init__(
        self,
        event: SenteraEvent,
        *,
        secrets: Iterable[str | None] = (),
        user: LeafUser | None = None,
        provider: str = "Sentera",
    ) -> None:
        super().__init__()
        self.event = event
        self.provider = provider
        self.secrets = tuple(s for s in secrets if s)
        self.user = user

    def grower_in_view(self) -> LeafUser | None:
        """`n` (the app's new link) is for the grower whose event this is."""
        return self.user

    def compose(self) -> ComposeResult:
        event = self.event
        with Vertical(id="event-dialog"):
            title = Text.assemble(
                (f"{self.provider} event  ", "bold"),
                (format_time(event) + " UTC  ", ""),
            )
            yield Static(title, id="event-title")
            yield Label(
                reason(event.status_code),
                id="event-status",
                classes=status_class(event.status_code).removeprefix("events-log--"),
                markup=False,
            )
            yield Label(f"id {event.id}", id="event-id", classes="muted", markup=False)
            with VerticalScroll(id="event-scroll"):
                yield Label("Headers", classes="event-section")
                yield Static(pretty(event.headers, self.secrets), id="event-headers")
                yield Label("Body", classes="event-section")
                yield Static(pretty(event.body, self.secrets), id="event-body")
            yield Label("esc close  ·  ↑↓ scroll", classes="muted", id="event-hint")
        yield Footer()  # over the footer of the screen behind: only this dialog's keys

    def on_mount(self) -> None:
        self.query_one("#event-scroll", VerticalScroll).focus()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#event-scroll", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
