"""One magic link in full: every field Leaf returned, including its settings."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from leaf_tui.api.models import MagicLink
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago, countdown, format_when, link_lines
from leaf_tui.domain.link_filters import link_state
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.widgets.footer import Footer


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def detail_rows(link: MagicLink, user_name: str | None) -> list[tuple[str, str]]:
    """(label, value) pairs, plain text, in reading order."""
    now = clock.now()
    left, _ = countdown(link.expires_at, now)
    expires = format_when(link.expires_at)
    if link.expires_at is not None:
        expires += " (expired)" if left == "expired" else f" (in {left})"
    accessed = format_when(link.last_accessed_at)
    if link.last_accessed_at is not None:
        accessed += f" ({ago(link.last_accessed_at, now)})"
    used = "?" if link.usage_count is None else str(link.usage_count)
    limit = "?" if link.max_usage is None else str(link.max_usage)
    user = f"{user_name} ({link.leaf_user_id})" if user_name else (link.leaf_user_id or "—")
    s = link.settings
    rows = [
        ("Link", link.link),
        ("Id", link.id),
        ("Kind", f"{link.kind.label} ({link.widget})" if link.kind else (link.widget or "?")),
        ("User", user),
        ("Providers", ", ".join(link.providers) or "—"),
        ("State", link_state(link, now).value),
        ("Created", format_when(link.created_at)),
        ("Expires", expires),
        ("Uses", f"{used} of {limit}"),
        ("Last accessed", accessed),
        ("Background colour", s.background_color or "— (Leaf's default)"),
        ("Header image", s.header_image or "—"),
        ("Company logo", s.company_logo or "—"),
        ("Company name", s.company_name or "—"),
        ("Show user name", _yes_no(s.show_leaf_user_name)),
        ("Disconnect option", _yes_no(s.disconnect_enabled)),
    ]
    rows.extend((f"settings.{key}", _plain(value)) for key, value in s.extra.items())
    rows.extend((key, _plain(value)) for key, value in link.extra.items())
    return rows


def _plain(value: Any) -> str:
    return "—" if value is None else str(value)


class LinkDetailsScreen(ModalScreen[None]):
    CSS_PATH = "link_details.tcss"
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="link_details.close"),
        Binding("c", "copy_link", "Copy link", id="link_details.copy"),
        Binding(
            "n", "app.new_link", "New link", tooltip="New link for this user", id="link_details.new"
        ),
    ]

    def __init__(self, link: MagicLink, user_name: str | None) -> None:
        super().__init__()
        self.link = link
        self.user_name = user_name
        self.rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="link-details"):
            yield Static(id="link-details-body")
        yield Footer()  # c copy and esc close are shown nowhere else

    def on_mount(self) -> None:
        self.query_one("#link-details").border_title = "Magic link"
        self._show()
        self.call_after_refresh(self._show)  # laid out: the link breaks by the width
        self.set_interval(1.0, self._show)  # the "in 12m 05s" keeps counting

    def _show(self) -> None:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        self.rows = detail_rows(self.link, self.user_name)
        room = self.query_one("#link-details-body").content_region.width
        room -= max(len(label) for label, _ in self.rows) + 2
        for label, value in self.rows:
            if label == "Link":  # broken between its parts if it must be, never inside its id
                value = "\n".join(link_lines(value, room))
            grid.add_row(Text(label), Text(value))
        self.query_one("#link-details-body", Static).update(grid)

    def grower_in_view(self) -> str | None:
        """`n` (the app's new link) is for the grower this link is for."""
        return self.link.leaf_user_id

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_link(self) -> None:
        leaf_app(self).copy_in_background(self.link.link, "Link")
