"""Keys typed faster than the app handles them take effect in the order they were typed, and
land in the field (or screen) they were typed for.

The keys of one terminal read go through Textual's own parser and reach the app back to back
(tests/tui/keyboard.py): a paste without bracketed paste, tmux send-keys, typing on a busy
machine."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.search_box import SearchBox
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.keyboard import BACKSPACE, CTRL_U, LEFT, SHIFT_TAB, TAB, bracketed, one_read
from tests.tui.test_sentera import open_connect_form
from tests.tui.wizard_steps import open_wizard


def value_of(app: Any, selector: str) -> str:
    box = app.screen.query_one(selector)
    assert isinstance(box, (Input, SearchBox)), box
    return box.value


async def test_ctrl_u_then_text_replaces_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"xyz")
        await one_read(pilot, CTRL_U + "anderson")
        await wait_for(pilot, lambda: app.screen.query_text == "anderson", what="the search")
        assert value_of(app, "#users-search") == "anderson"


async def test_slash_then_text_types_into_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # from the table: `a`, `n`, `e`, `D`... are the table's keys until `/` has moved focus
        await one_read(pilot, "/anderson")
        await wait_for(pilot, lambda: app.screen.query_text == "anderson", what="the search")
        assert isinstance(app.screen, UsersScreen)
        assert value_of(app, "#users-search") == "anderson"


async def test_slash_then_a_paste_lands_in_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await one_read(pilot, "/" + bracketed("ava.ulrich"))
        await wait_for(pilot, lambda: app.screen.query_text == "ava.ulrich", what="the search")


async def test_editing_keys_act_where_they_were_typed(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await one_read(pilot, "abc" + BACKSPACE + "d" + LEFT + "X")
        await wait_for(pilot, lambda: value_of(app, "#users-search") == "abXd", what="abXd")


async def test_escape_in_the_search_clears_it_and_goes_to_the_table(
    make_app: Any, ready: Any, wait_for: Any
):
    """As in k9s (and as the README says): the first escape clears the search."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        everyone = len(table.users)
        await pilot.press("slash", *"kowalski")
        await wait_for(pilot, lambda: len(table.users) < everyone, what="the search")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(table.users) == everyone, what="everyone back")
        assert value_of(app, "#users-search") == ""
        assert app.focused is table


async def test_sentera_password_ctrl_u_then_text(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_connect_form(pilot, wait_for)
        await one_read(pilot, "grower@sentera.example" + TAB + "typo" + CTRL_U + "harvest-2026")
        await wait_for(
            pilot, lambda: value_of(app, "#password") == "harvest-2026", what="the password"
        )
        assert value_of(app, "#username") == "grower@sentera.example"
        assert app.focused is app.screen.query_one("#password")


async def test_wizard_new_user_fields_in_one_read(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        await pilot.press("ctrl+n")
        screen.query_one("#user-mode").focus()
        await pilot.press("right")  # New user by externalId
        screen.query_one("#external_id").focus()
        await pilot.pause()
        await one_read(pilot, "crm-77" + TAB + "Nora New" + TAB + "nora@newfarm.example")
        await wait_for(
            pilot, lambda: screen.draft.new_email == "nora@newfarm.example", what="the email"
        )
        assert (screen.draft.external_id, screen.draft.new_name) == ("crm-77", "Nora New")
        # back to the name with shift+tab and retype it: no escape, nothing asks to discard
        await one_read(pilot, SHIFT_TAB + CTRL_U + "Nina Next")
        await wait_for(pilot, lambda: screen.draft.new_name == "Nina Next", what="the new name")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.screen is screen
        assert screen.draft.new_email == "nora@newfarm.example"
