"""Every modal form fits the terminal: at 120x40 and 80x24 its buttons are whole and on top (what
a click at their centre reaches), inside the dialog, below the scrolling body, and the body's
last field can be scrolled to. Against the sandbox's demo data."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input

from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.login import LoginScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from tests.tui.test_sentera import (
    form_error,
    open_form,
    open_screen,
    recreate_with_a_wrong_password,
    sentera_users,
)

SIZES = [(120, 40), (80, 24)]

# (dialog, scrolling body, buttons) of each modal
PARTS = {
    UserFormScreen: ("#user-form", "#user-form-fields", "#user-form-buttons Button"),
    SenteraFormScreen: ("#form-dialog", "#form-body", "#form-buttons Button"),
    LoginScreen: ("#login-dialog", "#login-body", "#login-buttons Button"),
    ConfirmScreen: ("#confirm-dialog", "#confirm-body", "#confirm-buttons Button"),
}


def on_top_at_centre(screen: Screen[Any], widget: Widget) -> bool:
    region = widget.region
    found, _ = screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
    return found is widget


async def assert_fits(pilot: Any, screen: Screen[Any]) -> None:
    dialog_id, body_id, buttons_query = PARTS[type(screen)]
    await pilot.pause()
    width, height = pilot.app.size
    dialog = screen.query_one(dialog_id).region
    body = screen.query_one(body_id)
    buttons = list(screen.query(buttons_query).results(Button))
    assert buttons
    assert Region(0, 0, width, height).contains_region(dialog), (dialog, (width, height))
    for button in buttons:
        assert button.region.height == 3, (str(button.label), button.region)  # whole, not cut
        assert dialog.contains_region(button.region), (str(button.label), button.region, dialog)
        assert on_top_at_centre(screen, button), str(button.label)
        assert body.region.bottom <= button.region.y, (body.region, button.region)
    # the last field (or line) can be scrolled to and is then seen whole, inside the body
    last = list(body.query(Input)) or list(body.children)
    last[-1].scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    assert body.region.contains_region(last[-1].region), (last[-1].region, body.region)


@pytest.mark.parametrize("size", SIZES)
async def test_add_and_edit_user_forms_fit(make_app, ready, wait_for, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="add form")
        await assert_fits(pilot, app.screen)
        # with every field in error the form is at its tallest
        form = app.screen
        for ident in ("email", "phone"):
            form.query_one(f"#{ident}", Input).value = "x" * 300
        await pilot.press("ctrl+s")
        await assert_fits(pilot, form)
        form.query_one("#email", Input).value = ""
        form.query_one("#phone", Input).value = ""
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: not isinstance(app.screen, UserFormScreen), what="closed")

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="edit form")
        await assert_fits(pilot, app.screen)


@pytest.mark.parametrize("size", SIZES)
async def test_sentera_connect_and_refused_recreate_forms_fit(make_app, ready, wait_for, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        user, screen, form = await recreate_with_a_wrong_password(app, pilot, ready, wait_for)
        await wait_for(pilot, lambda: "login failed" in form_error(form), what="refused")
        await assert_fits(pilot, form)
        # the refusal (at the end of the body) is brought into view
        error = form.query_one("#form-error")
        assert form.query_one("#form-body").region.overlaps(error.region)

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        await assert_fits(pilot, await open_form(pilot, wait_for, "c"))

        # a grower never connected: the plain connect form
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back again")
        await pilot.press("escape")
        other = next(u for u in (await sentera_users(app))[None] if u.id != user.id)
        await open_screen(pilot, wait_for, other)
        await assert_fits(pilot, await open_form(pilot, wait_for, "c"))


@pytest.mark.parametrize("size", SIZES)
async def test_login_and_confirm_dialogs_fit(make_app, ready, wait_for, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await assert_fits(pilot, app.screen)
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="closed")

        app.request_login(reason="Your session has ended while trying to load users.")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="login")
        await assert_fits(pilot, app.screen)
