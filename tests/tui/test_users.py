"""The Users screen against the sandbox: search, detail pane, add/edit/delete, errors."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from textual.widgets import Input, Static

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.user_index import record_of
from leaf_tui.api.users import USERS as USERS_PATH
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.search_box import SearchBox
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import app_through
from tests.tui.screen_text import widget_text
from tests.tui.sentera_users import with_sentera
from tests.tui.toasts import toasts

SIZE = (120, 40)


def table_ids(app: Any) -> list[str]:
    table = app.screen.query_one(UsersTable)
    return table.keys


def detail_text(app: Any) -> str:
    return widget_text(app.screen.query_one("#user-detail-body", Static))


async def all_users(app: Any) -> list[LeafUser]:
    return await app.client.users.list_all()


async def search(pilot: Any, text: str, *, type_it: bool = False) -> None:
    """Focus the search with `/` and enter `text` (typed key by key, or pasted at once)."""
    await pilot.press("slash")
    search_input = pilot.app.screen.query_one("#users-search", SearchBox)
    assert search_input.has_focus
    if type_it:
        search_input.value = ""
        await pilot.press(*list(text))
    else:
        search_input.value = text
    await pilot.pause()


def matching(users: list[LeafUser], piece: str) -> set[str]:
    piece = piece.casefold()
    return {
        u.id
        for u in users
        if any(piece in (v or "").casefold() for v in (u.name, u.email, u.external_id, u.id))
    }


async def test_lists_every_user_sorted_by_name(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await all_users(app)
        ids = table_ids(app)
        assert set(ids) == {u.id for u in users}
        names = [u.display_name.casefold() for u in sorted(users, key=lambda u: ids.index(u.id))]
        assert names == sorted(names)
        count = app.screen.query_one("#users-count", Static)
        assert widget_text(count).strip() == f"{len(users)} users"


async def test_search_by_part_of_the_name(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await all_users(app)
        target = next(u for u in users if u.name and " " in u.name)
        piece = target.name.split()[-1][1:5]  # from the middle of the last name
        expected = matching(users, piece)
        assert target.id in expected and len(expected) < len(users)
        await search(pilot, piece.upper(), type_it=True)  # case does not matter
        assert set(table_ids(app)) == expected


async def test_search_by_email_and_by_external_id(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await all_users(app)
        target = next(u for u in users if u.email and u.external_id)
        await search(pilot, target.email or "")
        assert table_ids(app) == [target.id]
        await search(pilot, target.external_id or "")
        assert table_ids(app)[0] == target.id  # exact match ranks first
        # enter leaves the search for the table and keeps the query
        await pilot.press("enter")
        assert isinstance(app.focused, UsersTable)
        assert app.screen.query_one("#users-search", SearchBox).value == target.external_id
        # escape (from the table, as from the box) clears it: everyone is back
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#users-search", SearchBox).value == ""
        assert len(table_ids(app)) == len(users)


async def test_search_no_match_says_so(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "zzqx-no-such-grower")
        assert table_ids(app) == []
        assert "No user matches" in detail_text(app)


class HoldIndexPages:
    """A slow network for the index, not a mock: the reads of the whole user list after the
    first (the screen's first page) wait until `release()`; filtered reads (the server's
    exact search) and every other request pass."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.reads = 0
        self.held = 0
        self._gate = asyncio.Event()

    def release(self) -> None:
        self._gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == USERS_PATH:
            params = parse_qs(scope["query_string"].decode())
            if not {"email", "externalId", "name"} & params.keys():
                self.reads += 1
                if self.reads > 1 and not self._gate.is_set():
                    self.held += 1
                    await self._gate.wait()
        await self.app(scope, receive, send)


async def test_search_asks_the_server_while_the_index_is_loading(
    sandbox_app, owner_token, tui_home, wait_for
):
    hold = HoldIndexPages(sandbox_app)
    app = app_through(sandbox_app, owner_token, hold)
    async with app.run_test(size=SIZE) as pilot:
        count = app.screen.query_one("#users-count", Static)
        await wait_for(pilot, lambda: hold.held > 0, what="the index reading its first page")
        assert table_ids(app)  # the first page is shown
        assert "indexing" in widget_text(count)
        # A user created elsewhere after the first page was loaded: only the server knows it.
        created = await app.client.users.create(
            name="Late Arrival", email="late.arrival@example.com", external_id="LATE-001"
        )
        await search(pilot, "LATE-001")
        await wait_for(pilot, lambda: created.id in table_ids(app), what="server search hit")
        await search(pilot, "late.arrival@example.com")
        await wait_for(pilot, lambda: table_ids(app) == [created.id], what="email hit")
        assert not app.user_index.loaded  # the answer came from the server, the index still reads
        # The index arrives (read after the user was made): the same answer, from the index now.
        hold.release()
        await wait_for(pilot, lambda: "of" in widget_text(count), what="the index loaded")
        assert table_ids(app) == [created.id]
        assert widget_text(count).strip().startswith("1 of ")


async def test_detail_pane_shows_fields_sentera_and_links(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await all_users(app)
        links = await app.client.links.list_all()
        linked = {lk.leaf_user_id for lk in links}
        target = (await with_sentera(app.client, [u for u in users if u.id in linked]))[0]
        cred = await app.client.sentera.get(target.id)
        await search(pilot, target.email or "")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.is_ready, what="detail loaded")
        text = detail_text(app)
        assert target.display_name in text
        assert (target.external_id or "") in text
        assert cred.status in text
        assert (cred.organization_name or "") in text
        mine = [lk for lk in links if lk.leaf_user_id == target.id]
        assert f"of {len(mine)}" in text  # "Links N live of M"
        assert cred.auth_token not in text  # never a secret


async def test_add_user(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = (await sandbox_control.get("/_sandbox/counts")).json()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, UserFormScreen)
        await pilot.press(*"Nora Field")
        await pilot.press("tab", *"nora@field.example", "tab", *"CRM-NEW-1")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="form closed")
        found = [u for u in await all_users(app) if u.external_id == "CRM-NEW-1"]
        assert len(found) == 1
        assert (found[0].name, found[0].email) == ("Nora Field", "nora@field.example")
        assert found[0].id in table_ids(app)
        assert app.screen.current_user().id == found[0].id  # the new user is highlighted
        after = (await sandbox_control.get("/_sandbox/counts")).json()
        assert after != before


async def test_add_user_validates_at_the_field(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, UserFormScreen)
        await pilot.press("tab", *"not-an-email")
        await pilot.pause()
        assert "Use an email address" in widget_text(form.query_one("#email-error", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused locally, nothing sent, nothing lost
        assert form.query_one("#email", Input).value == "not-an-email"
        # an empty form names the rule
        form.query_one("#email", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "give a name" in widget_text(form.query_one("#name-error", Static))


async def test_escape_from_a_typed_form_asks_before_dropping_it(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, UserFormScreen)
        await pilot.press(*"Nora")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert app.screen.question == "Discard this new user?"
        await pilot.press("n")  # keep typing: nothing lost
        await wait_for(pilot, lambda: app.screen is form, what="form again")
        assert form.query_one("#name", Input).value == "Nora"
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="form closed")
        # an untouched form closes at once
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, UserFormScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="closed at once")


async def test_edit_user(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        target = app.screen.current_user()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, UserFormScreen)
        assert form.query_one("#name", Input).value == target.name
        form.query_one("#name", Input).value = "Renamed Grower"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="form closed")
        fresh = await app.client.users.get(target.id)
        assert fresh.name == "Renamed Grower"
        assert fresh.email == target.email
        assert fresh.providers == target.providers  # credentials were kept
        table = app.screen.query_one(UsersTable)
        assert table.get_cell(target.id, "name") == "Renamed Grower"


async def test_delete_user_is_confirmed(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        target = app.screen.current_user()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert target.id in table_ids(app)
        await app.client.users.get(target.id)

        await pilot.press("D")
        await pilot.pause()
        await pilot.press("enter")  # enter lands on Cancel, never on Delete
        await pilot.pause()
        assert target.id in table_ids(app)

        await pilot.press("D", "y")
        await wait_for(pilot, lambda: target.id not in table_ids(app), what="row removed")
        try:
            await app.client.users.get(target.id)
        except NotFound:
            pass
        else:
            raise AssertionError("the user is still in the sandbox")


async def test_rows_shown_after_a_dialog_closed_get_their_sentera_status(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="back")
        await pilot.press("pagedown", "pagedown")  # rows not on screen before the dialog

        def statuses_known() -> bool:
            cells = [str(table.get_cell(key, "sentera")) for key in table.visible_keys()]
            return bool(cells) and "…" not in cells

        await wait_for(pilot, statuses_known, what="the new rows' Sentera status")


async def test_failed_save_keeps_the_form_and_says_what_to_do(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("a", *"Kept Typing", "tab", *"kept@typing.example")
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1, "error_status": [500]}
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(toasts(app)), what="error notification")
        severity, said = toasts(app)[-1]
        assert severity == "error"
        assert said.startswith("Could not save the user")
        assert "try again" in said
        form = app.screen
        assert isinstance(form, UserFormScreen)
        assert form.query_one("#name", Input).value == "Kept Typing"
        assert form.query_one("#email", Input).value == "kept@typing.example"

        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        assert any(u.email == "kept@typing.example" for u in await all_users(app))


async def test_keys_open_sentera_links_and_wizard_for_the_user(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await all_users(app)
        target = (await with_sentera(app.client, users))[0]
        await search(pilot, target.email or "")
        await pilot.press("enter")
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SenteraScreen", what="sentera")
        assert app.screen.user.id == target.id
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="back home")
        await pilot.press("enter")  # enter on a user with Sentera opens the Sentera screen
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SenteraScreen", what="enter")
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="home again")
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LinksScreen", what="links")
        assert len(app.screen_stack) == 3  # default, users, links: never deeper
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="home 3")
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WizardScreen", what="wizard")
        draft = app.screen.draft
        assert draft.user is not None and draft.user.id == target.id


async def test_back_from_sentera_refreshes_the_detail(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        target = (await with_sentera(app.client, await all_users(app)))[0]
        await search(pilot, target.email or "")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.is_ready, what="detail")
        assert "not connected" not in detail_text(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SenteraScreen", what="sentera")
        await app.client.sentera.delete(target.id)  # e.g. deleted on that screen
        await pilot.press("u")
        await wait_for(pilot, lambda: "not connected" in detail_text(app), what="refreshed")


async def test_back_from_sentera_refreshes_its_row_even_when_the_cursor_moves_on(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        ids = table_ids(app)
        row = ids.index((await with_sentera(app.client, ids[:-1]))[0])
        target = ids[row]
        table.move_cursor(row=row)
        await wait_for(pilot, lambda: app.screen.is_ready, what="detail")
        assert "OK" in str(table.get_cell(target, "sentera"))
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SenteraScreen", what="sentera")
        await app.client.sentera.delete(target)  # e.g. deleted on that screen
        app.pop_screen()  # back, and on to the next user before anything was checked
        table.move_cursor(row=row + 1)
        await wait_for(
            pilot, lambda: str(table.get_cell(target, "sentera")) == "—", what="row refreshed"
        )


async def test_enter_without_sentera_focuses_the_detail(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        target = (await with_sentera(app.client, await all_users(app), connected=False))[0]
        await search(pilot, target.email or "")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.is_ready, what="detail")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        assert app.focused is app.screen.query_one("#users-detail")
        await pilot.press("escape")  # back to the table, the search kept
        assert isinstance(app.focused, UsersTable)
        assert app.screen.query_one("#users-search", SearchBox).value == target.email


async def test_table_is_diffed_not_rebuilt(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        users = list(table.users.values())
        rows_before = {key: table.rows[key] for key in table.rows}
        # Narrow, then widen again: rows that stayed are the very same rows.
        await search(pilot, users[0].email or "")
        kept = set(table.rows)
        assert kept == {users[0].id}
        assert table.rows[users[0].id] is rows_before[users[0].id]
        await pilot.press("escape")  # to the table, the search cleared
        await search(pilot, "")
        assert table.rows[users[0].id] is rows_before[users[0].id]
        assert table_ids(app) == [u.id for u in users]  # same order as before
        # A changed cell is updated in place.
        row = table.rows[users[1].id]
        renamed = type(users[1])(**{**users[1].__dict__, "name": "Zed Changed"})
        table.show_users([record_of(u) for u in (users[0], renamed, *users[2:])], {})
        assert table.rows[users[1].id] is row
        assert table.get_cell(users[1].id, "name") == "Zed Changed"


async def test_every_user_is_reachable_with_the_keys(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        ids = table_ids(app)
        assert len(ids) > table.size.height  # more users than lines: the table scrolls
        await pilot.press("end")
        await wait_for(pilot, lambda: app.screen.current_user().id == ids[-1], what="last user")
        last = app.screen.current_user()
        assert last.display_name[:10] in widget_text(table)  # scrolled into view
        await wait_for(pilot, lambda: last.display_name in detail_text(app), what="its detail")
        await pilot.press("up")
        assert app.screen.current_user().id == ids[-2]
        await pilot.press("home", "pagedown")
        assert app.screen.current_user().id == ids[table.size.height - 1]  # the rows on screen
        await pilot.press("home")
        assert app.screen.current_user().id == ids[0]
        assert ids[0] == table.keys[0]
