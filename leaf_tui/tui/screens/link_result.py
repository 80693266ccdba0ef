"""After a link is created: the link large, its live countdown and uses, what the copy reached, and
keys to copy it again, copy a ready-to-send message, open it, or make another."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from leaf_tui.api.errors import LeafError
from leaf_tui.api.models import LeafUser, LinkKind, MagicLink
from leaf_tui.common import browser, clock
from leaf_tui.common.clipboard import CopyResult
from leaf_tui.common.formatting import (
    Urgency,
    ago,
    countdown,
    format_when,
    link_lines,
    share_message,
    uses_bar,
)
from leaf_tui.tui import account
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.covered import LetsGoWhenCovered, redrawn_when_back
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.workers import ui_work


@dataclass(frozen=True)
class CreatedInfo:
    """What the result screen needs to know about the new link."""

    id: str
    link: str
    kind: LinkKind
    leaf_user_id: str | None
    user_name: str | None
    user: LeafUser | None
    providers: tuple[str, ...]
    expires_at: datetime | None


def copy_lines(result: CopyResult | None) -> Text:
    """Which way the copy went: the system clipboard (pyperclip) and OSC 52, each ✓ or ✗.
    None: nothing was copied yet (auto_copy is off in the settings)."""
    text = Text()
    if result is None:
        text.append("Not copied (auto_copy is off): press c to copy", style="bold")
        return text
    text.append(result.summary + "\n", style="bold")
    if result.pyperclip_ok:
        text.append("✓ system clipboard (pyperclip)\n")
    else:
        text.append("✗ system clipboard: not available here\n")
    if result.osc52_sent:
        text.append(
            "✓ OSC 52 sent to the terminal (works over SSH and in tmux with set-clipboard on)"
        )
    else:
        text.append("✗ OSC 52 not sent")
    if result.detail:
        text.append(f"\n  {result.detail}", style="dim")
    return text


class LinkText(Static):
    """The created link, large: on one line whenever the width allows (link_lines)."""

    def __init__(self, link: str, *, id: str | None = None) -> None:
        super().__init__(link, id=id, markup=False)
        self.link = link

    def on_resize(self) -> None:
        self.update("\n".join(link_lines(self.link, self.content_region.width)))


class LinkResultScreen(LetsGoWhenCovered, Screen[None]):
    CSS_PATH = "link_result.tcss"
    POLL_SECONDS = 5.0  # tests shorten this
    BINDINGS = [
        Binding("c", "copy_link", "Copy link", id="result.copy"),
        Binding("m", "copy_message", "Copy message", id="result.message"),
        Binding("o", "open_link", "Open", id="result.open"),
        Binding("n", "another", "Another link", id="result.another"),
        Binding("escape", "back", "Back", id="result.back"),
    ]

    def __init__(self, info: CreatedInfo, copied: CopyResult | None) -> None:
        super().__init__()
        self.info = info
        self.copied = copied
        self.link: MagicLink | None = None  # the latest answer of the uses poll
        self._poll_timer: Timer | None = None
        self._suspended = False

    def compose(self) -> ComposeResult:
        who = self.info.user_name or "the grower"
        yield LeafHeader()
        with Vertical(id="result"):
            yield Static(
                f"{self.info.kind.label} link created for {who}", id="result-title", markup=False
            )
            yield LinkText(self.info.link, id="result-link")
            yield Static("", id="result-countdown", markup=False)
            yield Static("", id="result-uses", markup=False)
            yield Static(copy_lines(self.copied), id="result-copy")
            again = " again" if self.copied else ""
            yield Static(
                f"c copy{again} · m copy a message for the grower · o open · n another · esc back",
                id="result-keys",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Link created"
        self._tick()
        self._show_uses()
        self.set_interval(1.0, self._tick)
        self._poll()

    # -- live parts ---------------------------------------------------------------------------
    def _tick(self) -> None:
        if redrawn_when_back(self):
            return  # covered (the wizard, from the palette): ticked again on resume
        expires_at = self.link.expires_at if self.link else self.info.expires_at
        text, urgency = countdown(expires_at, clock.now())
        line = self.query_one("#result-countdown", Static)
        line.update(
            f"Expires in {text}" + (f" · at {format_when(expires_at)}" if expires_at else "")
        )
        for u in Urgency:
            line.set_class(u is urgency, f"-{u.value}")

    def _show_uses(self) -> None:
        line = self.query_one("#result-uses", Static)
        if self.link is None:
            line.update("Uses: checking…")
            return
        line.update(
            f"Uses {uses_bar(self.link.usage_count, self.link.max_usage)}"
            f" · last opened {ago(self.link.last_accessed_at, clock.now())}"
        )

    @ui_work(exclusive=True, group="result-poll", exit_on_error=False)
    async def _poll(self) -> None:
        try:
            self.link = await leaf_app(self).client.links.get(self.info.kind, self.info.id)
        except LeafError as exc:
            self.query_one("#result-uses", Static).update(f"Uses: could not check ({exc.message})")
        else:
            self._show_uses()
            self._tick()
        if not self._suspended:
            self._poll_timer = self.set_timer(self.POLL_SECONDS, self._poll)

    def on_screen_suspend(self) -> None:
        self._suspended = True
        if self._poll_timer is not None:
            self._poll_timer.stop()

    def on_screen_resume(self) -> None:
        self._tick()  # not ticked while covered
        if self._suspended:
            self._suspended = False
            self._poll()

    # -- actions -------------------------------------------------------------------------------
    @ui_work(group="result-copy", exit_on_error=False)
    async def _copy(self, text: str, what: str) -> None:
        self.copied = await leaf_app(self).copy_and_notify(text, what)
        self.query_one("#result-copy", Static).update(copy_lines(self.copied))

    def action_copy_link(self) -> None:
        self._copy(self.info.link, "Link")

    def message(self) -> str:
        return share_message(
            self.info.user_name,
            self.info.providers,
            self.info.link,
            self.link.expires_at if self.link else self.info.expires_at,
            file_upload=self.info.kind is LinkKind.FILE_UPLOAD,
        )

    def action_copy_message(self) -> None:
        self._copy(self.message(), "Message")

    @ui_work(group="result-open", exit_on_error=False)
    async def action_open_link(self) -> None:
        try:
            opened = await asyncio.to_thread(browser.open_in_gui_browser, self.info.link)
        except Exception:
            opened = False
        if opened:
            self.notify("Opened the link in your browser.")
        else:
            self.notify(
                "No browser could be opened here: press c to copy the link instead.",
                severity="warning",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not account.hides(self.app, action)

    def action_another(self) -> None:
        from leaf_tui.tui.screens.wizard import WizardPrefill, WizardScreen

        user = self.info.user
        if user is None and self.info.leaf_user_id:
            index = leaf_app(self).user_index
            user = index.get(self.info.leaf_user_id) or LeafUser(
                id=self.info.leaf_user_id, name=self.info.user_name
            )
        self.app.switch_screen(WizardScreen(WizardPrefill(user=user)))

    def action_back(self) -> None:
        self.dismiss()
