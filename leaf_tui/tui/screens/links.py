"""Magic links: every link of the three kinds in one live table, with filters and the actions a
support engineer needs during a call (copy, copy a message, open, renew, delete, new)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Static

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LinkKind, MagicLink
from leaf_tui.common import browser, clock
from leaf_tui.common.formatting import share_message
from leaf_tui.domain.link_cells import short_id
from leaf_tui.domain.link_filters import LinkFilters, StateFilter
from leaf_tui.domain.links_view import LinksView
from leaf_tui.tui import account
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.covered import LetsGoWhenCovered
from leaf_tui.tui.screens.links_commands import LinkFilterCommands
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.widgets.links_table import LinksTable
from leaf_tui.tui.widgets.search_box import TEXT_FIELDS, SearchBox
from leaf_tui.tui.workers import ui_work

if TYPE_CHECKING:
    from leaf_tui.api.models import LeafUser


class LinksScreen(LetsGoWhenCovered, Screen[None]):
    """All links, or one user's (`user_id`). Polls while shown; countdowns tick once a second."""

    CSS_PATH = "links.tcss"
    COMMANDS = {LinkFilterCommands}
    AUTO_FOCUS = "LinksTable"

    POLL_SECONDS = 5.0  # tests shorten this
    MAX_BACKOFF_SECONDS = 60.0
    TICK_SECONDS = 1.0

    BINDINGS = [
        Binding("c", "copy_link", "Copy link", id="links.copy"),
        Binding("m", "copy_message", "Copy message", id="links.message"),
        Binding("o", "open_link", "Open", id="links.open"),
        Binding("r", "renew", "Renew", id="links.renew"),
        Binding("D", "delete", "Delete", id="links.delete"),
        Binding("n", "new_link", "New", tooltip="New link for this grower", id="links.new"),
        # the filter keys are shown in the filter bar's hint rather than the footer, which is full
        Binding("f", "cycle_state", "State filter", show=False, id="links.state"),
        # K, not k: k moves up, as in every table
        Binding("K", "cycle_kind", "Kind filter", show=False, id="links.kind"),
        # `/`, and enter and esc in the name filter, move the focus as the app takes the key in
        # (priority): the keys typed after them then go where the user meant, even in the same
        # terminal read (a paste, tmux send-keys, a busy machine)
        Binding("slash", "filter_name", "Name filter", show=False, priority=True, id="links.name"),
        Binding("enter,escape", "name_done", show=False, priority=True, id="links.name_done"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="links.clear"),
        Binding("enter", "details", "Details", id="links.details"),
        Binding("ctrl+r", "refresh", "Refresh now", show=False, id="links.refresh"),
    ]

    def __init__(self, user_id: str | None = None) -> None:
        super().__init__()
        self.view = LinksView(
            LinkFilters(user_id=user_id),
            poll_seconds=self.POLL_SECONDS,
            max_backoff_seconds=self.MAX_BACKOFF_SECONDS,
        )
        self.is_ready = False  # the first answer (or failure) is in
        self.is_live = False  # polling and ticking: shown, or under a dialog
        self._poll_timer: Timer | None = None
        self._ticker: Timer | None = None
        self._filters_line: Text | None = None  # what the filter bar shows

    @property
    def filters(self) -> LinkFilters:
        return self.view.filters

    @property
    def links(self) -> dict[str, MagicLink]:
        """Every link of the last answer, newest first."""
        return self.view.links

    @property
    def names(self) -> dict[str, str]:
        """leafUserId -> display name, as resolved."""
        return self.view.names

    @property
    def polls(self) -> int:
        return self.view.polls

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        with Horizontal(id="links-bar"):
            yield Static(id="links-filters")
            yield SearchBox(placeholder="user name or id…", id="links-name")
        yield LinksTable(id="links-table")
        yield Static("Loading links…", id="links-status")
        yield Footer()

    @property
    def table(self) -> LinksTable:
        return self.query_one(LinksTable)

    def on_mount(self) -> None:
        self._ticker = self.set_interval(self.TICK_SECONDS, self._tick, pause=not self.is_live)
        self._show_filters()
        if self.filters.user_id:
            self._name_pinned_user(self.filters.user_id)

    @ui_work(group="links-user", exit_on_error=False)
    async def _name_pinned_user(self, user_id: str) -> None:
        """The filter bar names the user even when they have no links yet."""
        user = await self._resolve_user(user_id)
        if user is not None:
            self.names[user_id] = user.display_name
            self._show_filters()

    # -- live: polling and the ticker ----------------------------------------------------------

    def on_screen_resume(self) -> None:
        if not self.is_live:
            self.is_live = True
            if self._ticker is not None:
                self._ticker.resume()
            self.action_refresh()

    def on_screen_suspend(self) -> None:
        # A dialog on top leaves the table in view: keep it live. Anything else hides it.
        if isinstance(self.app.screen, ModalScreen):
            return
        self.is_live = False
        if self._ticker is not None:
            self._ticker.pause()
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        self.workers.cancel_group(self, "links-poll")

    def action_refresh(self) -> None:
        """Poll now (the next poll is scheduled after the answer)."""
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        self._poll()

    @ui_work(exclusive=True, group="links-poll", exit_on_error=False)
    async def _poll(self) -> None:
        try:
            links = await leaf_app(self).client.links.list_all()
        except Exception as exc:  # any failure: say so, back off, keep polling
            self._poll_failed(exc)
        else:
            self._poll_answered(links)
        if self.is_live:
            self._poll_timer = self.set_timer(self.view.next_delay(), self.action_refresh)

    def _poll_answered(self, links: list[MagicLink]) -> None:
        answer = self.view.answered(links, clock.now())
        if answer.reconnected:
            self.notify("Magic links are loading again.", title="Reconnected")
        self._learn_names()
        if answer.same and not self.view.depends_on_time():
            self._show_status()  # what is shown depends only on the links and names
        else:
            self._show_rows()
        self.is_ready = True

    def _poll_failed(self, exc: Exception) -> None:
        # one notification per streak of the same failure, not one every few seconds
        if self.view.failed(type(exc).__name__):
            leaf_app(self).show_error(exc, "load the magic links", retry=self.action_refresh)
        self.is_ready = True
        self._show_status()

    def _tick(self) -> None:
        self.table.tick(clock.now())

    # -- user names ------------------------------------------------------------------------------

    def _learn_names(self) -> None:
        """Names the user index already knows now; the rest are fetched in the background."""
        index = leaf_app(self).user_index

        def known(user_id: str) -> str | None:
            user = index.get(user_id)
            return user.display_name if user is not None else None

        unknown = self.view.learn_names(known)
        if unknown and not self.view.resolving:
            self.view.resolving = True  # now: the next poll must not start another worker
            self._resolve_names(unknown)

    @ui_work(group="links-names", exit_on_error=False)
    async def _resolve_names(self, ids: list[str]) -> None:
        try:
            found = await leaf_app(self).user_index.resolve(ids, concurrency=8)
        except Exception as exc:  # names are a nicety: the ids stay, the next poll retries
            self.log.warning("resolving link users failed", type(exc).__name__)
            return
        finally:
            self.view.resolving = False
        self.names.update({user_id: user.display_name for user_id, user in found.items()})
        if self.filters.user_text.strip():
            self._show_rows()  # the name filter may match rows it could not before
        else:
            self.table.set_names(self.names)
        self._show_filters()

    # -- rendering -------------------------------------------------------------------------------

    def _show_rows(self) -> None:
        now = clock.now()
        self.table.sync(self.view.shown(now), self.names, now)
        self._show_filters()
        self._show_status()

    def _show_filters(self) -> None:
        line = Text("Filters ", style="bold")
        line.append(self.filters.describe(self.view.user_label()))
        line.append("   f state · K kind · / name · x clear · enter details", style="dim")
        if line != self._filters_line:  # the same after most polls: no re-layout for nothing
            self._filters_line = line
            self.query_one("#links-filters", Static).update(line)

    def _show_status(self) -> None:
        status = self.query_one("#links-status", Static)
        line = self.view.status(self.table.row_count)
        text = Text(line.summary)
        if line.updated:
            text.append(line.updated, style="dim")
        if line.failing:
            text.append(line.failing, style="bold")
        status.set_class(line.failing is not None, "-failing")
        status.update(text, layout=False)  # one line, full width: its size never changes

    # -- filters ---------------------------------------------------------------------------------

    def set_filters(self, filters: LinkFilters) -> None:
        self.view.filters = filters
        self._show_rows()

    def action_cycle_state(self) -> None:
        self.set_filters(self.filters.next_state())

    def action_cycle_kind(self) -> None:
        self.set_filters(self.filters.next_kind())

    def action_clear_filters(self) -> None:
        name_input = self.query_one("#links-name", SearchBox)
        name_input.value = ""
        name_input.remove_class("-shown")
        self.set_filters(LinkFilters())
        self.table.focus()

    def show_state(self, state: StateFilter) -> None:
        self.set_filters(replace(self.filters, state=state))

    def show_kind(self, kind: LinkKind | None) -> None:
        self.set_filters(replace(self.filters, kind=kind))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if account.hides(self.app, action):
            return False
        if action == "filter_name":
            return not isinstance(self.focused, TEXT_FIELDS)  # in a text field, `/` is typed
        if action == "name_done":
            return self.focused is self.query_one("#links-name", SearchBox)
        return True

    def action_filter_name(self) -> None:
        name_input = self.query_one("#links-name", SearchBox)
        name_input.add_class("-shown")
        self.set_focus(name_input)  # at once (not after a refresh): the name is being typed

    @on(SearchBox.Changed, "#links-name")
    def _name_changed(self, event: SearchBox.Changed) -> None:
        self.set_filters(replace(self.filters, user_text=event.value))
        # a new name puts the cursor on the first link shown: the actions then act on it
        self.table.move_cursor(row=0)

    def action_name_done(self) -> None:
        """enter or escape in the name filter: back to the table, keeping what was typed."""
        self.set_focus(self.table)
        # Shown while it holds a name: asked through the box's own queue, after the keys it has
        # not taken yet (typed in the same read).
        name_input = self.query_one("#links-name", SearchBox)
        name_input.call_later(self._show_name_filter_if_set)

    def _show_name_filter_if_set(self) -> None:
        name_input = self.query_one("#links-name", SearchBox)
        name_input.set_class(bool(name_input.value.strip()), "-shown")

    # -- actions on the selected link ------------------------------------------------------------

    def _selected(self) -> MagicLink | None:
        link = self.table.current_link
        if link is None:
            self.notify("No link selected.", severity="warning")
        return link

    async def _user_of(self, link: MagicLink) -> LeafUser | None:
        return await self._resolve_user(link.leaf_user_id) if link.leaf_user_id else None

    async def _resolve_user(self, user_id: str) -> LeafUser | None:
        """From the index, or fetched (cached there); None when unknown or unreachable: the
        wizard then asks for the user."""
        try:
            found = await leaf_app(self).user_index.resolve([user_id])
        except Exception as exc:
            self.log.warning("could not fetch user", type(exc).__name__)
            return None
        return found.get(user_id)

    def action_copy_link(self) -> None:
        link = self._selected()
        if link is not None:
            leaf_app(self).copy_in_background(link.link, "Link")

    def action_copy_message(self) -> None:
        link = self._selected()
        if link is None:
            return
        message = share_message(
            self.names.get(link.leaf_user_id or ""),
            link.providers,
            link.link,
            link.expires_at,
            file_upload=link.kind is LinkKind.FILE_UPLOAD,
        )
        leaf_app(self).copy_in_background(message, "Message")

    def action_open_link(self) -> None:
        link = self._selected()
        if link is not None:
            self._open_in_browser(link.link)

    @ui_work(group="links-open", exit_on_error=False)
    async def _open_in_browser(self, url: str) -> None:
        try:
            opened = await asyncio.to_thread(browser.open_in_gui_browser, url)
        except Exception as exc:
            opened, detail = False, f" ({type(exc).__name__})"
        else:
            detail = ""
        if opened:
            self.notify("Opened the link in your browser.", markup=False)
        else:
            self.notify(
                f"No browser could be opened here{detail}: press c to copy the link instead.",
                severity="warning",
                markup=False,
            )

    def action_renew(self) -> None:
        link = self._selected()
        if link is not None:
            self._renew(link)

    @ui_work(group="links-renew", exclusive=True, exit_on_error=False)
    async def _renew(self, link: MagicLink) -> None:
        from leaf_tui.tui.screens.wizard import WizardPrefill

        user = await self._user_of(link)
        leaf_app(self).open_wizard(WizardPrefill.from_link(link, user))

    def grower_in_view(self) -> str | None:
        """The highlighted link's grower, else the one whose links are shown."""
        link = self.table.current_link
        if link is not None and link.leaf_user_id:
            return link.leaf_user_id
        return self.filters.user_id

    def action_new_link(self) -> None:
        user_id = self.grower_in_view()
        known = leaf_app(self).user_index.get(user_id) if user_id else None
        if known is not None:
            # at once, not in a worker: the keys typed next go to the wizard
            from leaf_tui.tui.screens.wizard import WizardPrefill

            leaf_app(self).open_wizard(WizardPrefill(user=known))
        else:
            self._new_link(user_id)

    @ui_work(group="links-renew", exclusive=True, exit_on_error=False)
    async def _new_link(self, user_id: str | None) -> None:
        """For that user once fetched (the wizard asks for one when they cannot be)."""
        from leaf_tui.tui.screens.wizard import WizardPrefill

        user = await self._resolve_user(user_id) if user_id else None
        leaf_app(self).open_wizard(WizardPrefill(user=user) if user else None)

    def action_delete(self) -> None:
        link = self._selected()
        if link is None:
            return
        from leaf_tui.tui.screens.confirm import ConfirmScreen

        kind = link.kind.label.lower() if link.kind else "magic"
        who = self.names.get(link.leaf_user_id or "") or short_id(link.leaf_user_id)
        question = f"Delete the {kind} link for {who}?\n{link.link}\nIt stops working at once."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete(link)

        self.app.push_screen(ConfirmScreen(question, "Delete"), confirmed)

    @ui_work(group="links-delete", exit_on_error=False)
    async def _delete(self, link: MagicLink) -> None:
        if link.kind is None:
            self.notify("This link's kind is unknown, so it cannot be deleted.", severity="error")
            return
        try:
            await leaf_app(self).client.links.delete(link.kind, link.id)
        except NotFound:
            self.notify("That link was already gone.", severity="warning")
        except Exception as exc:
            leaf_app(self).show_error(exc, "delete the magic link")
            return
        else:
            self.notify("Link deleted.", markup=False)
        self.view.forget(link.id)
        self._show_rows()

    def action_details(self) -> None:
        link = self._selected()
        if link is None:
            return
        from leaf_tui.tui.screens.link_details import LinkDetailsScreen

        name = self.names.get(link.leaf_user_id or "")
        self.app.push_screen(LinkDetailsScreen(link, name))

    @on(LinksTable.Selected, "#links-table")
    def _row_selected(self, event: LinksTable.Selected) -> None:
        event.stop()
        self.action_details()
