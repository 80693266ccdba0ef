"""Keys typed faster than the app handles them take effect in the order they were typed.

`pilot.press` waits for the app to go idle after every key, so it never shows this: here the keys
of one terminal read go through Textual's own terminal parser and reach the app back to back, as
the Linux driver's input thread sends them (tmux send-keys, or typing on a busy machine)."""

from __future__ import annotations

from typing import Any

from textual._xterm_parser import XTermParser
from textual.widgets import Input

from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from tests.tui.conftest import SIZE
from tests.tui.test_sentera import open_screen, sentera_users

CTRL_U = "\x15"
BACKSPACE = "\x7f"
LEFT = "\x1b[D"
TAB = "\t"
SHIFT_TAB = "\x1b[Z"


def pasted(text: str) -> str:
    """`text` as a terminal pastes it (bracketed paste)."""
    return f"\x1b[200~{text}\x1b[201~"


async def type_in_one_read(pilot: Any, wait_for: Any, data: str) -> None:
    """`data` as the terminal delivers it in one read: every key posted without waiting."""
    app = pilot.app
    for event in XTermParser().feed(data):
        app._driver.send_message(event)
    # generous: on a loaded machine each key can take a while; what is asserted is the order
    await wait_for(
        pilot, lambda: getattr(app, "keys_settled", True), timeout=30, what="the keys handled"
    )
    await pilot.pause()


def value_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Input).value)


async def test_ctrl_u_then_text_replaces_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"xyz")
        await type_in_one_read(pilot, wait_for, CTRL_U + "anderson")
        assert value_of(app, "#users-search") == "anderson"
        assert app.screen.query_text == "anderson"


async def test_slash_then_text_types_into_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # from the table: `a`, `n`, `e`, `D`... are the table's keys until `/` has moved focus
        await type_in_one_read(pilot, wait_for, "/anderson")
        assert isinstance(app.screen, UsersScreen)
        assert value_of(app, "#users-search") == "anderson"


async def test_slash_then_a_paste_lands_in_the_search(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_in_one_read(pilot, wait_for, "/" + pasted("ava.ulrich"))
        assert value_of(app, "#users-search") == "ava.ulrich"


async def test_editing_keys_act_where_they_were_typed(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_in_one_read(pilot, wait_for, "abc" + BACKSPACE + "d" + LEFT + "X")
        assert value_of(app, "#users-search") == "abXd"


async def test_sentera_password_ctrl_u_then_text(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await open_screen(pilot, wait_for, user)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraFormScreen), what="form")
        await type_in_one_read(
            pilot, wait_for, "grower@sentera.example" + TAB + "typo" + CTRL_U + "harvest-2026"
        )
        assert value_of(app, "#username") == "grower@sentera.example"
        assert value_of(app, "#password") == "harvest-2026"
        assert app.focused is app.screen.query_one("#password")


async def test_wizard_new_user_fields_in_one_read(make_app: Any, ready: Any, wait_for: Any):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_wizard(None)
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
        screen = app.screen
        await pilot.press("ctrl+n")
        screen.query_one("#user-mode").focus()
        await pilot.press("right")  # New user by externalId
        screen.query_one("#external_id").focus()
        await pilot.pause()
        await type_in_one_read(
            pilot, wait_for, "crm-77" + TAB + "Nora New" + TAB + "nora@newfarm.example"
        )
        assert (screen.draft.external_id, screen.draft.new_name, screen.draft.new_email) == (
            "crm-77",
            "Nora New",
            "nora@newfarm.example",
        )
        # back to the name with shift+tab and retype it: no escape, nothing asks to discard
        await type_in_one_read(pilot, wait_for, SHIFT_TAB + CTRL_U + "Nina Next")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.screen is screen
        assert (screen.draft.new_name, screen.draft.new_email) == (
            "Nina Next",
            "nora@newfarm.example",
        )
