"""The detail pane for the highlighted user: fields, providers, Sentera status, live links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from leaf_tui.api.models import LeafUser, MagicLink
from leaf_tui.common import clock
from leaf_tui.common.formatting import countdown, format_when
from leaf_tui.domain.users_view import SenteraState

PROVIDER_NAMES = {"cnhi": "CNHI", "climateFieldView": "ClimateFieldView"}


def provider_label(key: str) -> str:
    """ "johnDeere" (from johnDeereCredentials) -> "JohnDeere"."""
    return PROVIDER_NAMES.get(key, key[:1].upper() + key[1:])


def address_text(address: Any) -> str:
    if address is None or address == "":
        return "—"
    if isinstance(address, Mapping):
        parts = [str(v) for v in address.values() if v not in (None, "")]
        return ", ".join(parts) or "—"
    return str(address)


LABEL_WIDTH = len("External ID")


def email_text(email: str, width: int) -> Text:
    """The email whole on one line when it fits in `width`, else broken before its "@" (never
    mid-word); a part still too long is cut with "…"."""
    if len(email) <= width or "@" not in email:
        return Text(email, no_wrap=True, overflow="ellipsis")
    local, _, domain = email.rpartition("@")
    return Text(f"{local}\n@{domain}", no_wrap=True, overflow="ellipsis")


def live_links(links: Sequence[MagicLink], now: Any) -> list[MagicLink]:
    return [lk for lk in links if not lk.is_expired(now) and not lk.is_used_up]


class UserDetail(VerticalScroll):
    """Focusable so long content scrolls from the keyboard (enter on a user without Sentera)."""

    can_focus = True
    _shown: tuple[LeafUser, SenteraState, Sequence[MagicLink] | None, str | None] | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="user-detail-body")

    def on_resize(self) -> None:
        if self._shown is not None:  # the email breaks by the width
            self.show(*self._shown)

    def show_nothing(self, message: str = "No user selected") -> None:
        self._shown = None
        self.query_one("#user-detail-body", Static).update(Text(message, style="dim italic"))

    def show(
        self,
        user: LeafUser,
        sentera: SenteraState,
        links: Sequence[MagicLink] | None,
        links_error: str | None = None,
    ) -> None:
        self._shown = (user, sentera, links, links_error)
        theme = self.app.current_theme
        ok, bad, warn = theme.success or "green", theme.error or "red", theme.warning or "yellow"
        accent = theme.accent or "cyan"
        parts: list[RenderableType] = [Text(user.display_name, style=f"bold {accent}")]

        fields = Table.grid(padding=(0, 1))
        fields.add_column(style="dim", no_wrap=True)
        fields.add_column(overflow="fold")  # values as Text: a stranger's value is never markup
        fields.add_row("Name", Text(user.name or "—"))
        room = self.scrollable_content_region.width - LABEL_WIDTH - 1
        fields.add_row("Email", email_text(user.email, room) if user.email else Text("—"))
        fields.add_row("External ID", Text(user.external_id or "—"))
        fields.add_row("Phone", Text(user.phone or "—"))
        fields.add_row("Address", Text(address_text(user.address)))
        # One line, so it reads as one value; cut short in a narrow pane, where y copies it whole
        fields.add_row("ID", Text(user.id, no_wrap=True, overflow="ellipsis"))
        fields.add_row("", Text("y copies the ID", style="dim"))
        providers = ", ".join(provider_label(p) for p in user.providers) or "none connected"
        fields.add_row("Providers", Text(providers))
        fields.add_row("", Text("c: connections", style="dim"))
        parts += [fields, Text("")]

        parts.append(Text("Sentera", style="bold"))
        cred = sentera.credential
        if sentera.loading:
            parts.append(Text("  checking…", style="dim italic"))
        elif sentera.error:
            parts.append(Text(f"  could not check: {sentera.error}", style=warn))
        elif cred is None:
            parts.append(Text("  not connected · s to connect", style="dim"))
        else:
            line = Text("  ")
            line.append("● ", style=ok if cred.healthy else bad)
            line.append(cred.status or "unknown", style="bold")
            parts.append(line)
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
            room = self.scrollable_content_region.width - len("  since") - 1
            grid.add_row("  user", email_text(cred.username, room) if cred.username else Text("—"))
            grid.add_row("  org", Text(cred.organization_name or "—"))
            grid.add_row("  since", Text(format_when(cred.created_time)))
            parts.append(grid)
            if not cred.healthy:
                parts.append(Text("  s: diagnosis and fix", style=warn))
        parts.append(Text(""))

        parts.append(self._links(links, links_error, warn, bad))
        self.query_one("#user-detail-body", Static).update(Group(*parts))

    def _links(
        self, links: Sequence[MagicLink] | None, error: str | None, warn: str, bad: str
    ) -> RenderableType:
        if error:
            return Group(
                Text("Links", style="bold"), Text(f"  could not load: {error}", style=warn)
            )
        if links is None:
            return Group(Text("Links", style="bold"), Text("  loading…", style="dim italic"))
        now = clock.now()
        live = live_links(links, now)
        head = Text("Links ", style="bold")
        head.append(f"{len(live)} live of {len(links)}", style="dim")
        if not live:
            return Group(head, Text("  none live · n to create one", style="dim"))
        # Two short lines per link: the pane is narrow and must not cut the countdown.
        rest: list[RenderableType] = []
        ordered = sorted(live, key=lambda lk: lk.expires_at or now)
        for link in ordered[:8]:
            left, urgency = countdown(link.expires_at, now)
            style = {"soon": warn, "urgent": bad}.get(urgency.value, "")
            kind = link.kind.label if link.kind else (link.widget or "?")
            first = Text(f"  {kind}", style="bold", no_wrap=True, overflow="ellipsis")
            if link.providers:
                first.append(f" · {', '.join(link.providers)}", style="")
            second = Text("    ", no_wrap=True, overflow="ellipsis")
            second.append(left, style=style)
            second.append(" left · ", style="dim")
            used = "?" if link.usage_count is None else link.usage_count
            limit = "?" if link.max_usage is None else link.max_usage
            second.append(f"{used}/{limit}")
            second.append(" used", style="dim")
            rest += [first, second]
        if len(ordered) > 8:
            rest.append(Text(f"  … {len(ordered) - 8} more · l to see them", style="dim"))
        return Group(head, *rest)
