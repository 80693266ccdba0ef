"""Users, the home screen: instant search, a diffed table, a detail pane for the highlighted user.

Search runs over `app.user_index` (loaded in the background with progress). Until the index is
loaded, the first page of users is shown and a query also asks the server's exact filters (email and
externalId exact, name substring); both answers are merged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from leaf_tui.api.errors import AuthError, LeafError, NotFound
from leaf_tui.api.models import LeafUser, SenteraCredential, UserPage
from leaf_tui.domain.first_page import first_page_size
from leaf_tui.domain.users_view import Shown, UsersView
from leaf_tui.tui import account
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.covered import LetsGoWhenCovered, redrawn_when_back
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.widgets.search_box import TEXT_FIELDS, SearchBox
from leaf_tui.tui.widgets.user_detail import UserDetail
from leaf_tui.tui.widgets.users_table import TABLE_WIDTH, UsersTable
from leaf_tui.tui.workers import ui_work

SERVER_SEARCH_DELAY = 0.25
DETAIL_DELAY = 0.15
ROW_LOOKUP_EVERY = 0.5  # seconds between checks for rows on screen whose Sentera is not known
ROW_LOOKUPS = 8  # credential requests for rows on screen at once
SIDE_PANE_FROM = TABLE_WIDTH + 2 + 31  # the table, its scrollbar and a readable detail pane


class UsersScreen(LetsGoWhenCovered, Screen[None]):
    CSS_PATH = "users.tcss"
    BINDINGS = [
        # `/`, and enter and esc in the search box, move the focus: they run as the app takes
        # each key in (priority), so the keys typed after them go where the user meant, even
        # in the same terminal read (a paste, tmux send-keys, a busy machine).
        Binding("slash", "search", "Search", priority=True, id="users.search"),
        Binding("escape", "clear", "Clear search", show=False, priority=True, id="users.clear"),
        # (enter in the table opens the user: the table's own binding, listed there)
        Binding("enter", "search_done", show=False, priority=True, id="users.search_done"),
        Binding("s", "sentera", "Sentera", tooltip="Sentera credentials", id="users.sentera"),
        Binding(
            "c",
            "connections",
            "Connections",
            show=False,
            tooltip="Every provider's connection",
            id="users.connections",
        ),
        Binding("t", "app.open_triage", "Triage", show=False, id="users.triage"),
        Binding("l", "user_links", "Links", tooltip="Links of this user", id="users.links"),
        Binding("L", "app.open_links", "All links", id="users.all_links"),
        Binding("n", "new_link", "New link", tooltip="New link for this user", id="users.new_link"),
        Binding("a", "add", "Add", tooltip="Add user", id="users.add"),
        Binding("e", "edit", "Edit", tooltip="Edit user", id="users.edit"),
        Binding("D", "delete", "Delete", tooltip="Delete user", id="users.delete"),
        Binding("r", "reload", "Reload", show=False, id="users.reload"),
        # below SIDE_PANE_FROM columns the detail pane gives way; this shows it (esc: back)
        Binding("i", "show_detail", "Details", id="users.detail"),
        # the footer is full at 120 columns: the detail pane shows this key next to the ID
        Binding(
            "y", "copy_id", "Copy ID", show=False, tooltip="Copy the Leaf ID", id="users.copy_id"
        ),
    ]
    USER_ACTIONS = frozenset(
        {"sentera", "connections", "user_links", "new_link", "edit", "delete", "copy_id"}
    )

    def __init__(self, first_page: asyncio.Future[UserPage] | None = None) -> None:
        """`first_page`: the request for the first page, already sent (the app sends it as
        soon as it is connected, before building this screen)."""
        super().__init__()
        app = leaf_app(self)  # the app pushing this screen (its context is active)
        # what is shown and why (Textual-free, domain/users_view.py); this screen draws it
        self.view = UsersView(lambda: app.user_index)
        self._search_box = SearchBox(
            placeholder="/ search name, email, externalId or id", id="users-search"
        )
        self._search_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._count_text = ""
        self._count_width = 0  # columns the count takes
        self._under_dialog = False
        self._sentera_opened_for: str | None = None  # the user of the Sentera screen on top
        self._bindings_had_user: bool | None = None
        # Leaf's user object has no Sentera: each row on screen asks the credential endpoint
        # (at most ROW_LOOKUPS at once); the answers are kept in view.sentera until a reload
        self._row_lookups = asyncio.Semaphore(ROW_LOOKUPS)
        self._early_first_page = first_page

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        with Horizontal(id="users-bar"):
            yield self._search_box
            yield Static("", id="users-count", markup=False)
            yield ProgressBar(id="users-progress", show_eta=False, show_percentage=False)
        with Horizontal(id="users-body"):
            yield UsersTable(id="users-table")
            with Vertical(id="users-side"):
                yield Static("esc or i: back to the list", id="users-side-hint")
                yield UserDetail(id="users-detail")
        yield Footer()

    def on_resize(self) -> None:
        # Narrow, the table takes the width and the detail pane shows on `i` or enter, alone.
        narrow = self.size.width < SIDE_PANE_FROM
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        detail = isinstance(event.widget, UserDetail)
        self.set_class(detail, "-detail")

    def action_show_detail(self) -> None:
        if self.has_class("-detail"):  # i again: back to the list
            self.query_one(UsersTable).focus()
            return
        self.add_class("-detail")  # shown before it takes the focus
        self.query_one(UserDetail).focus()

    def on_mount(self) -> None:
        self.query_one(UserDetail).show_nothing("Loading users…")
        self.view.detail_cleared()
        self.query_one(UsersTable).focus()
        # The results follow each key as the box takes it, before the box is drawn again
        # (SearchBox.Changed comes a message later: a frame more per key).
        self.watch(self._search_box, "value", self._search_typed, init=False)
        self.load()
        # The links' "expires in" in the detail pane: refresh now and then, not every second.
        self.set_interval(30, self._refresh_detail)
        self.set_interval(ROW_LOOKUP_EVERY, self._look_up_rows_on_screen)

    def _refresh_detail(self) -> None:
        if redrawn_when_back(self):
            return  # and on resume the detail is drawn for the clock then
        self.view.detail_cleared()
        self._render_detail()

    def on_screen_suspend(self) -> None:
        from leaf_tui.tui.screens.sentera import SenteraScreen

        covering = self.app.screen
        self._under_dialog = isinstance(covering, ModalScreen)
        self._sentera_opened_for = covering.user.id if isinstance(covering, SenteraScreen) else None

    def on_screen_resume(self) -> None:
        # Back from Links/Sentera/the wizard: links and the highlighted user's Sentera status
        # may have changed there. A dialog closing changes nothing we would not know.
        under_dialog, self._under_dialog = self._under_dialog, False  # rows are looked up again
        if not self.view.first_page_loaded or under_dialog:
            return
        self.view.detail_cleared()  # its "expires in" was not refreshed while covered
        self.view.sentera.forget(self.view.detail_for)
        if self._sentera_opened_for is not None:
            # Its row, not only the detail pane: the cursor may move on before the detail's check.
            self.view.sentera.asking(self._sentera_opened_for)
            self.refresh_sentera_row(self._sentera_opened_for)
            self._sentera_opened_for = None
        self.load_links()
        self._schedule_detail()

    @ui_work(exclusive=True, group="users-sentera-row")
    async def refresh_sentera_row(self, user_id: str) -> None:
        """The credential of the user whose Sentera screen just closed: for its row and, while
        highlighted, the detail (the detail's own check skips a user already being checked)."""
        try:
            cred: SenteraCredential | None = await leaf_app(self).client.sentera.get(user_id)
        except NotFound:
            cred = None
        except LeafError:
            # Unknown again: the detail's check says why when the user is highlighted.
            self.view.sentera.forget(user_id)
            self._schedule_detail()
            return
        finally:
            self.view.sentera.settle(user_id)
        self.view.sentera.answered(user_id, cred)
        self._render_detail()
        self._statuses_changed()

    def _rows_not_known(self) -> list[str]:
        """Users on screen whose Sentera credential was not asked for yet."""
        if not self.view.first_page_loaded or self._under_dialog or not self.is_attached:
            return []
        return self.view.sentera.not_asked(self.query_one(UsersTable).visible_keys())

    def _look_up_rows_on_screen(self) -> None:
        if self.app.screen is not self:
            return  # covered: the rows are looked up when it shows again
        for user_id in self._rows_not_known():
            self.view.sentera.asking(user_id)
            self.look_up_row(user_id)

    @ui_work(group="users-sentera-rows")
    async def look_up_row(self, user_id: str) -> None:
        """One row's Sentera status, for the table (and the detail, when highlighted)."""
        app = leaf_app(self)
        try:
            async with self._row_lookups:
                if self._answer_too_late():
                    return  # the app closed while this lookup waited for its turn
                if user_id not in self.query_one(UsersTable).visible_keys():
                    return  # searched or scrolled away while waiting: asked when back on screen
                cred: SenteraCredential | None = await app.client.sentera.get(user_id)
        except NotFound:
            cred = None
        except LeafError as exc:
            if self._answer_too_late():
                return
            self.view.sentera.failed(user_id, exc.message)
            self._render_detail()
            return
        finally:
            self.view.sentera.settle(user_id)  # cancelled: ask again when on screen
        if self._answer_too_late():
            return
        self.view.sentera.answered(user_id, cred)
        self.query_one(UsersTable).update_known(self.view.sentera.known(), changed=user_id)
        if user_id == self.view.detail_for:
            self._render_detail()

    @property
    def is_ready(self) -> bool:
        """Everything the first view needs has arrived (tests and screenshots wait for this)."""
        return (
            self.view.settled(self.query_one(UsersTable).visible_keys())
            and self._search_timer is None
            and self._detail_timer is None
        )

    # -- loading --------------------------------------------------------------------------------

    def load(self) -> None:
        # The first page alone, then the rest: the index (100 pages) and the links would
        # otherwise compete with it for the loop and delay the first rows (benchmarks, start-up).
        early = self._early_first_page
        if early is not None and early.done() and not early.cancelled() and not early.exception():
            # already here (the app waits a moment for it): shown now, so the screen's first
            # frame has the rows, not "Loading users…" drawn over a moment later
            self._early_first_page = None
            self._first_page_arrived(early.result(), then_the_rest=True)
            return
        self.load_first_page(then_the_rest=True)

    def _load_the_rest(self) -> None:
        self.load_index()
        self.load_links()

    @ui_work(exclusive=True, group="users-first-page")
    async def load_first_page(self, then_the_rest: bool = False) -> None:
        app = leaf_app(self)
        early, self._early_first_page = self._early_first_page, None
        try:
            size = first_page_size(self.app.size.height)
            page = await (early or app.client.users.list(page=0, size=size))
        except LeafError as exc:
            if self._answer_too_late():
                return
            app.show_error(exc, "load users", retry=self.load_first_page)
            self.query_one(UserDetail).show_nothing("Could not load users: r to reload")
            self.view.detail_cleared()
            if then_the_rest:
                self._load_the_rest()
            return
        if self._answer_too_late():
            return
        self._first_page_arrived(page, then_the_rest)

    def _first_page_arrived(self, page: UserPage, then_the_rest: bool) -> None:
        self._cursor_from_table()
        self._apply(self.view.first_page_loaded_with(page.items))
        if then_the_rest:
            self.call_after_refresh(self._load_the_rest)  # once the rows are on screen

    @ui_work(exclusive=True, group="users-index")
    async def load_index(self) -> None:
        app = leaf_app(self)
        bar = self.query_one("#users-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

        def progress(loaded: int, total: int | None) -> None:
            bar.update(total=total, progress=loaded)
            self._set_count(f"indexing {loaded}/{total if total is not None else '?'}")

        try:
            await app.user_index.load(on_progress=progress)
        except LeafError as exc:
            if self._answer_too_late():
                return
            bar.display = False
            app.show_error(exc, "index users for search", retry=self.load_index)
            self._set_count("index failed: r to reload")
            return
        if self._answer_too_late():
            return
        bar.display = False
        self.apply_search()

    @ui_work(exclusive=True, group="users-links")
    async def load_links(self) -> None:
        app = leaf_app(self)
        try:
            self.view.links_loaded(await app.client.links.list_all())
        except LeafError as exc:
            if isinstance(exc, AuthError):
                app.show_error(exc, "load links", retry=self.load_links)
            self.view.links_failed(exc.message)
        if not self._answer_too_late():
            self._render_detail()

    def _answer_too_late(self) -> bool:
        """An answer came back after the screen lost its widgets (the app is closing): there
        is nothing left to show it in."""
        return not self.is_attached or not self.query(UsersTable)

    def action_reload(self) -> None:
        self.view.reloading()  # every Sentera status asked again, the highlighted user's first
        self.load()

    # -- search ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if account.hides(self.app, action):
            return False
        if action == "show_detail":  # only where the pane gave way
            return self.has_class("-narrow")
        if action in self.USER_ACTIONS:
            return self.current_user() is not None
        searching = self.focused is self._search_box
        if action == "search":
            # in a text field `/` is typed (None: the footer still shows the key, dimmed)
            return None if isinstance(self.focused, TEXT_FIELDS) else True
        if action == "search_done":
            return searching
        if action == "clear":
            table = self.query_one(UsersTable)
            return searching or not table.has_focus or bool(self._search_box.value)
        return True

    def action_search(self) -> None:
        # At once, not after a refresh (Widget.focus): the next keys are already coming.
        self.set_focus(self._search_box)

    def action_search_done(self) -> None:
        """enter in the search: to the table, keeping the query (the cursor is on the first
        match)."""
        self.set_focus(self.query_one(UsersTable))

    def action_clear(self) -> None:
        """escape, as in k9s: in the search box or the table, clear the search (and go to the
        table); in the detail pane, back to the table, the search kept."""
        table = self.query_one(UsersTable)
        from_detail = not table.has_focus and self.focused is not self._search_box
        self.set_focus(table)
        if not from_detail:
            # Through the box's own queue, after the keys typed before escape that it has not
            # taken yet (one terminal read): those must not come back after the clearing.
            self._search_box.call_later(self._clear_search_box)

    def _clear_search_box(self) -> None:
        self._search_box.value = ""

    def _search_typed(self, value: str) -> None:
        self._cursor_from_table()
        self._apply(self.view.typed(value))

    @property
    def query_text(self) -> str:
        return self.view.query_text

    def apply_search(self) -> None:
        """Show the best answer we have now; ask the server too while the index is loading."""
        self._cursor_from_table()
        self._apply(self.view.show())

    def _cursor_from_table(self) -> None:
        """The table's cursor is the truth for who is highlighted (its Highlighted message may
        still be queued): a redraw for a background answer keeps the row the user sees."""
        self.view.cursor_on(self.query_one(UsersTable).highlighted_key)

    def _apply(self, shown: Shown) -> None:
        if shown.ask_server is not None:
            self._schedule_server_search()
        self._show(shown)
        if shown.count is not None:
            self._set_count(shown.count.text, widest=shown.count.widest)

    def _schedule_server_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SERVER_SEARCH_DELAY, self._fire_server_search)

    def _fire_server_search(self) -> None:
        self._search_timer = None
        if not self.view.index.loaded:
            self.server_search(self.view.query)

    @ui_work(exclusive=True, group="users-server-search")
    async def server_search(self, query: str) -> None:
        if not query:
            return
        users = leaf_app(self).client.users
        try:
            by_email, by_external, by_name = await asyncio.gather(
                users.list(email=query, size=20),
                users.list(external_id=query, size=20),
                users.list(name=query, size=50),
            )
        except LeafError as exc:
            leaf_app(self).show_error(exc, f"search for {query!r}")
            return
        if self.view.server_answered(query, by_email.items, by_external.items, by_name.items):
            self.apply_search()

    def _set_count(self, text: str, *, widest: str = "") -> None:
        """Show `text` in the count. With `widest` (the widest text it will show for now, such
        as "10000 of 10000 users") the count takes that width, else it only ever grows: a
        change of width lays out the bar again, which redraws the whole screen, and typing
        then repaints the count alone."""
        if text == self._count_text:
            return
        self._count_text = text
        count = self.query_one("#users-count", Static)
        width = max(cell_len(text), cell_len(widest)) + count.styles.gutter.width
        if width > self._count_width or (widest and width != self._count_width):
            self._count_width = width
            count.styles.width = width
        count.update(text, layout=False)

    def _show(self, shown: Shown) -> None:
        table = self.query_one(UsersTable)
        table.show_users(shown.users, self.view.sentera.known())
        if shown.first_row:
            table.move_cursor(row=0)
        elif shown.keep is not None and shown.keep != table.highlighted_key:
            row = table.index.get(shown.keep)
            if row is not None:
                table.move_cursor(row=row)
        # The rows now on screen, looked up right after this frame: deferred until the typing
        # paused (tried: 0.25 s), the lookups' burst met the next key typed at 4-6 keys a second
        # (75-111 ms keys through the pty, where this way they run between the keys).
        self.call_after_refresh(self._look_up_rows_on_screen)
        if shown.nothing is not None:
            self.query_one(UserDetail).show_nothing(shown.nothing)
        self._highlight_changed(new_list=True)
        self._sync_bindings()

    def _statuses_changed(self) -> None:
        """A Sentera status arrived: the table's cells (and a sort by them) follow."""
        self._cursor_from_table()
        self._show(self.view.again())

    # -- highlighted user and its detail ------------------------------------------------------

    @property
    def _shown(self) -> Mapping[str, LeafUser]:
        """The users in the table, by id, in order."""
        return self.query_one(UsersTable).users

    def current_user(self) -> LeafUser | None:
        key = self.query_one(UsersTable).highlighted_key
        return self._shown.get(key) if key else None

    @on(UsersTable.Highlighted, "#users-table")
    def _row_highlighted(self) -> None:
        self._highlight_changed()

    def _highlight_changed(self, *, new_list: bool = False) -> None:
        user = self.current_user()
        if user is None:
            return
        if self.view.highlight(user.id):
            # The pane always shows the highlighted user; only its Sentera check waits, so
            # that holding an arrow key or typing does not ask for every user passed by. A
            # new list (a key typed in the search): the results are drawn first, the pane in
            # the frame after (~8 ms of a key's work, measured over 10,000 users).
            if new_list:
                self.call_after_refresh(self._render_detail)
            else:
                self._render_detail()
            self._schedule_detail(DETAIL_DELAY)
        self._sync_bindings()

    def _sync_bindings(self) -> None:
        # refresh_bindings rebuilds the footer (a dozen widgets mounted and styled, ~20 ms):
        # only when the user actions turn on or off, not on every keystroke or arrow key.
        has_user = self.current_user() is not None
        if has_user != self._bindings_had_user:
            self._bindings_had_user = has_user
            self.refresh_bindings()

    def _schedule_detail(self, delay: float = DETAIL_DELAY) -> None:
        # A small debounce so holding the arrow key does not fire a request per row.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(delay, self._fire_detail)

    def _fire_detail(self) -> None:
        self._detail_timer = None
        user = self.current_user()
        if user is None:
            return
        if user.id not in self.view.sentera:
            self.view.sentera.asking(user.id)
            self.fetch_sentera(user)
        self._render_detail()

    @ui_work(exclusive=True, group="users-detail")
    async def fetch_sentera(self, user: LeafUser) -> None:
        app = leaf_app(self)
        try:
            cred: SenteraCredential | None = await app.client.sentera.get(user.id)
        except NotFound:
            cred = None
        except LeafError as exc:
            if self._answer_too_late():
                return
            self.view.sentera.forget(user.id)
            if isinstance(exc, AuthError):
                app.show_error(exc, "check Sentera", retry=self._schedule_detail)
            else:
                self.view.sentera.failed(user.id, exc.message)
            self._render_detail()
            return
        finally:
            # A cancelled fetch (the cursor moved on) must not leave "checking…" behind.
            self.view.sentera.settle(user.id)
        if self._answer_too_late():
            return
        self.view.sentera.answered(user.id, cred)
        self._render_detail()
        self._statuses_changed()

    def _render_detail(self) -> None:
        user = self.current_user()
        if user is None:
            return
        shown = self.view.detail(user)
        if shown is not None:
            self.query_one(UserDetail).show(*shown)

    # -- actions on the highlighted user ------------------------------------------------------

    @on(UsersTable.Selected, "#users-table")
    def _row_selected(self) -> None:
        user = self.current_user()
        if user is None:
            return
        if self.view.sentera.has_credential(user.id):
            leaf_app(self).open_sentera(user)
        else:
            self.action_show_detail()

    def action_sentera(self) -> None:
        if (user := self.current_user()) is not None:
            leaf_app(self).open_sentera(user)

    def action_connections(self) -> None:
        if (user := self.current_user()) is not None:
            leaf_app(self).open_connections(user)

    def action_copy_id(self) -> None:
        if (user := self.current_user()) is not None:
            leaf_app(self).copy_in_background(user.id, f"Leaf ID of {user.display_name}")

    def action_user_links(self) -> None:
        if (user := self.current_user()) is not None:
            leaf_app(self).open_links(user.id)

    def action_new_link(self) -> None:
        from leaf_tui.tui.screens.wizard import WizardPrefill

        if (user := self.current_user()) is not None:
            leaf_app(self).open_wizard(WizardPrefill(user=user))

    def action_add(self) -> None:
        from leaf_tui.tui.screens.user_form import UserFormScreen

        self.app.push_screen(UserFormScreen(None), self._saved)

    def action_edit(self) -> None:
        from leaf_tui.tui.screens.user_form import UserFormScreen

        if (user := self.current_user()) is not None:
            self.app.push_screen(UserFormScreen(user), self._saved)

    def adopt_user(self, user: LeafUser) -> None:
        """A user made or changed here or elsewhere (the wizard's new user by externalId): in
        the list at once, not after the next reload."""
        self.view.adopt(user)
        if self.view.first_page_loaded:
            self.apply_search()

    def _saved(self, user: LeafUser | None) -> None:
        if user is None:
            return
        self.view.saved(user)  # adopted, and the cursor goes to it
        if self.view.first_page_loaded:
            self.apply_search()
        self._highlight_changed()
        leaf_app(self).notify(f"Saved {user.display_name}", markup=False)

    def action_delete(self) -> None:
        user = self.current_user()
        if user is None:
            return
        question = (
            f"Delete user {user.display_name}"
            + (f" <{user.email}>" if user.email and user.email != user.display_name else "")
            + "?\nThis cannot be undone."
        )

        from leaf_tui.tui.screens.confirm import ConfirmScreen  # not needed before (start-up)

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_user(user)

        self.app.push_screen(ConfirmScreen(question, "Delete"), answered)

    @ui_work(group="users-delete")
    async def delete_user(self, user: LeafUser) -> None:
        app = leaf_app(self)
        try:
            await app.client.users.delete(user.id)
        except NotFound:
            pass  # already gone: same outcome
        except LeafError as exc:
            app.show_error(exc, f"delete {user.display_name}", retry=lambda: self.delete_user(user))
            return
        self.view.removed(user.id)
        self.apply_search()
        app.notify(f"Deleted {user.display_name}", markup=False)
