"""The Sentera screen's recreate, which deletes before it creates, against the sandbox's demo
growers: what the form says before and after a refused create, what the session keeps, the
diagnosis of an organization name's case, and the keys that do not apply."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Button, Input, Label, Static

from leaf_tui.api.models import LeafUser
from leaf_tui.domain.sentera_diagnosis import Problem
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from tests.tui.test_sentera import (
    SIZE,
    card,
    fill,
    form_error,
    open_form,
    open_screen,
    screen_text,
    sentera_users,
)
from tests.tui.toasts import toasts

QUINN = "CRM-10002"  # the demo's changed password
DALE = "CRM-10001"  # the demo's organization written "maple ranch"; Sentera has "Maple Ranch"


async def demo_user(app: Any, external_id: str) -> LeafUser:
    [user] = [u for u in await app.client.users.list_all() if u.external_id == external_id]
    return user


async def sentera_password(control: Any, username: str) -> str:
    """The grower's current Sentera password, as the sandbox's Sentera knows it."""
    accounts = (await control.get("/_sandbox/sentera/accounts")).json()
    return str(next(a["password"] for a in accounts if a["username"] == username))


def notes(app: Any) -> list[str]:
    """Every line of the toasts on screen (a title, then the message)."""
    return [line for _, said in toasts(app) for line in said.splitlines()]


def form_help(form: SenteraFormScreen) -> str:
    return str(form.query_one("#form-help", Static).content)


def form_title(form: SenteraFormScreen) -> str:
    return str(form.query_one("#form-title", Label).content)


async def test_a_refused_recreate_says_where_the_grower_is_and_keeps_the_details(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = await demo_user(app, QUINN)
        old = await app.client.sentera.get(user.id)
        screen = await open_screen(pilot, wait_for, user)
        await wait_for(pilot, lambda: len(screen.events_log.events) == 10, what="events")

        # before submitting, the form says that it deletes first, and what goes with it
        form = await open_form(pilot, wait_for, "r")
        assert form_title(form).endswith(": new password")
        help_text = form_help(form)
        assert "documented fix for a changed password" in help_text
        assert "first deletes the current credential and its 10 events" in help_text
        assert "the grower has no credential until a submit succeeds" in help_text

        await fill(pilot, form, password="not-it")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "login failed" in form_error(form), what="refused")
        said = form_error(form)
        assert "Quinn Peterson has NO Sentera credential now" in said
        assert "press ctrl+s to create it" in said
        # the form now only creates, and says so
        assert str(form.query_one("#form-submit", Button).label) == "Create"
        assert "Submitting now only creates" in form_help(form)
        assert form.query_one("#username", Input).value == old.username
        assert form.query_one("#organization", Input).value == old.organization_name

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert any("no Sentera credential now" in n and "Press c" in n for n in notes(app))
        assert card(screen, "status") == "Not connected"
        assert screen.diagnosis is not None and screen.diagnosis.problem is Problem.LOGIN_FAILED
        assert "the recreate deleted the old one" in screen.diagnosis.message

        # leave the grower and come back: the session still knows why, and what was typed
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SenteraScreen), what="left")
        screen = await open_screen(pilot, wait_for, user)
        assert screen.diagnosis is not None
        assert "the recreate deleted the old one" in screen.diagnosis.message
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraFormScreen), what="connect")
        form = app.screen
        assert form.query_one("#username", Input).value == old.username
        assert form.query_one("#organization", Input).value == old.organization_name
        assert form.query_one("#password", Input).value == ""
        assert form.focused is form.query_one("#password", Input)

        # the grower's current password finishes the job
        password = await sentera_password(sandbox_control, old.username or "")
        await pilot.press(*password, "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="connected")
        assert (await app.client.sentera.get(user.id)).status == "OK"
        assert app.sentera_attempts.get(user.id) is None
        assert password not in screen_text(app)
        assert all(password not in n for n in notes(app))


async def test_an_organization_case_problem_is_named_as_such_and_never_guessed(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = await demo_user(app, DALE)
        screen = await open_screen(pilot, wait_for, user)
        await wait_for(pilot, lambda: len(screen.events_log.events) > 0, what="events")
        # the demo's events echo "maple ranch" and suggest nothing: the right name is not known
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.ORG_NOT_FOUND
        assert screen.diagnosis.organization is None
        assert "Maple Ranch" not in screen_text(app)
        assert "Sentera's answers do not say the right one" in screen.diagnosis.message
        assert screen.query_one("#diagnosis", Static).content == screen.diagnosis.message
        assert card(screen, "status").endswith("(cause: organization name, not the password)")

        # the recreate form is about the organization, not a password change
        form = await open_form(pilot, wait_for, "r")
        assert form_title(form).endswith(": organization name")
        assert "changed password" not in form_help(form)
        assert 'no organization named exactly "maple ranch"' in form_help(form)
        assert "the password is not the problem" in form_help(form)
        assert "Ask the grower how it is written in Sentera" in form_help(form)

        # an attempt with the same name: Sentera's answer to the create names it
        cred = await app.client.sentera.get(user.id)
        password = await sentera_password(sandbox_control, cred.username or "")
        await fill(pilot, form, password=password)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "did you mean" in form_error(form), what="refused")
        assert 'did you mean "Maple Ranch"?' in form_error(form)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert screen.diagnosis is not None and screen.diagnosis.problem is Problem.ORG_CASE
        assert screen.diagnosis.organization == "Maple Ranch"
        assert 'did you mean "Maple Ranch"?' in screen_text(app)
        assert "Press c to connect" in screen_text(app)


async def test_sentera_own_spelling_in_an_event_names_the_organization(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = await demo_user(app, DALE)
        # a sync that once worked, whose answer spelled the organization Sentera's way
        body = json.dumps({"data": {"organization": {"name": "Maple Ranch"}}})
        await sandbox_control.post("/_sandbox/clock", json={"advance": 1})
        answer = await sandbox_control.post(
            f"/_sandbox/sentera/{user.id}/events", json={"statusCode": 200, "body": body}
        )
        assert answer.status_code == 201, answer.text
        await sandbox_control.post("/_sandbox/clock", json={"advance": 60})
        await sandbox_control.post(f"/_sandbox/sentera/{user.id}/sync")  # a 404 again
        screen = await open_screen(pilot, wait_for, user)
        await wait_for(
            pilot,
            lambda: screen.diagnosis is not None and screen.diagnosis.problem is Problem.ORG_CASE,
            what="the case diagnosis",
        )
        assert 'not found: did you mean "Maple Ranch"?' in screen_text(app)
        form = await open_form(pilot, wait_for, "r")
        assert 'Sentera writes it "Maple Ranch"' in form_help(form)


async def test_keys_that_do_not_apply_say_why(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        groups = await sentera_users(app)
        screen = await open_screen(pilot, wait_for, groups[None][0])
        name = screen.user.display_name
        for key, what in (("r", "recreate"), ("D", "delete")):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen  # nothing opens
            expected = f"{name} has no Sentera credential to {what}. Press c to connect one."
            await wait_for(pilot, lambda e=expected: e in notes(app), what=f"why not {key}")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SenteraScreen), what="left")

        screen = await open_screen(pilot, wait_for, groups["OK"][0])
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        name = screen.user.display_name
        assert f"{name} is already connected to Sentera: r recreates it, D deletes it." in notes(
            app
        )
