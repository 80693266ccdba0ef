"""The add/edit-user form's checks against the sandbox: another user's externalId is named at the
field as it is typed and asked about before saving (a 409 from Leaf is said at the field), and
the phone number follows the shared rule (link_draft.validate_phone)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from textual.widgets import Input, Static

from leaf_tui.api.models import LeafUser
from leaf_tui.domain.link_draft import MSG_PHONE
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from tests.tui.conftest import SIZE, app_through

USERS = "/services/usermanagement/api/users"
TAKEN = "CRM-10001"  # a demo grower's externalId (Dale Schmidt in the seed-7 demo)


def shown(form: UserFormScreen, widget_id: str) -> str:
    """What a Static shows, "" when it is hidden."""
    widget = form.query_one(f"#{widget_id}", Static)
    return str(widget.content) if widget.display else ""


async def with_external_id(app: Any, external_id: str) -> list[LeafUser]:
    return [u for u in await app.client.users.list_all() if u.external_id == external_id]


async def open_add_form(pilot: Any, wait_for: Any) -> UserFormScreen:
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UserFormScreen), what="the form")
    form = pilot.app.screen
    assert isinstance(form, UserFormScreen)
    return form


async def test_a_taken_external_id_is_named_as_typed_and_asked_about_before_saving(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        [owner] = await with_external_id(app, TAKEN)
        form = await open_add_form(pilot, wait_for)
        await pilot.press(*"Dale Second", "tab", "tab", *TAKEN[:-1])
        assert shown(form, "external_id-match") == ""  # CRM-1000 is nobody's
        await pilot.press(TAKEN[-1])
        await wait_for(pilot, lambda: owner.display_name in shown(form, "external_id-match"))
        assert shown(form, "external_id-match").startswith("Existing user with this externalId")

        # save: asked first, and no is no
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        question = app.screen.question
        assert f"{owner.display_name} already has externalId {TAKEN}" in question
        assert "Create a second user with the same externalId?" in question
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form, what="the form again")
        assert "Not saved" in shown(form, "user-form-error")
        assert form.focused is form.query_one("#external_id", Input)
        assert [u.id for u in await with_external_id(app, TAKEN)] == [owner.id]

        # yes creates the second user
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="asked again")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        both = await with_external_id(app, TAKEN)
        assert sorted(u.name or "" for u in both) == sorted([owner.name or "", "Dale Second"])


async def test_changing_a_users_external_id_to_another_users_asks_first(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        [owner] = await with_external_id(app, TAKEN)
        target = app.screen.current_user()
        assert target.id != owner.id
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="the form")
        form = app.screen
        # its own externalId is not "another user's"
        assert shown(form, "external_id-match") == ""
        field = form.query_one("#external_id", Input)
        field.focus()
        field.value = ""
        await pilot.press(*TAKEN, "tab")
        await wait_for(pilot, lambda: owner.display_name in shown(form, "external_id-match"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert f"Give {target.display_name} the same externalId?" in app.screen.question
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        assert (await app.client.users.get(target.id)).external_id == TAKEN


class RefuseTakenExternalId:
    """A Leaf that refuses a second user with an externalId (409), in front of the sandbox,
    which accepts one: the answer a stricter Leaf would give, nothing else changed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == USERS:
            body = json.dumps(
                {
                    "title": "Conflict",
                    "status": 409,
                    "detail": f"A Leaf user with externalId {TAKEN} already exists",
                }
            ).encode()
            headers = [(b"content-type", b"application/problem+json")]
            await send({"type": "http.response.start", "status": 409, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


async def test_a_409_from_leaf_is_said_at_the_field_and_keeps_the_form(
    sandbox_app, owner_token, tui_home, ready, wait_for
):
    app = app_through(sandbox_app, owner_token, RefuseTakenExternalId(sandbox_app))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        form = await open_add_form(pilot, wait_for)
        await pilot.press(*"Dale Second", "tab", "tab", *TAKEN)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Leaf refused" in shown(form, "user-form-error"))
        assert app.screen is form
        assert "already exists" in shown(form, "user-form-error")
        assert "HTTP 409" in shown(form, "user-form-error")
        assert shown(form, "external_id-error") == "Leaf refused: this externalId is taken"
        assert form.query_one("#name", Input).value == "Dale Second"
        assert len(await with_external_id(app, TAKEN)) == 1


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("abc", MSG_PHONE), ("555-01a0", MSG_PHONE), ("+1 (555) 010-4222 ext. 12", "")],
)
async def test_the_phone_is_checked_at_the_field(make_app, ready, wait_for, typed, problem):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        form = await open_add_form(pilot, wait_for)
        await pilot.press(*"Phone Check")
        form.query_one("#phone", Input).focus()
        await pilot.press(*typed)
        await pilot.pause()
        assert shown(form, "phone-error") == problem
        await pilot.press("ctrl+s")
        if problem:
            await pilot.pause()
            assert app.screen is form  # refused here: nothing sent, nothing lost
            assert form.query_one("#phone", Input).value == typed
            assert "Fix the fields" in shown(form, "user-form-error")
        else:
            await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
            saved = [u for u in await app.client.users.list_all() if u.name == "Phone Check"]
            assert [u.phone for u in saved] == [typed]
