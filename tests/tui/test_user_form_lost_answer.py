"""The add-user form after a create whose answer was lost (a timeout after sending): it checks
whether Leaf created the user before anything is sent again, also for a name-only user, whose
name a user that existed before may share."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Static

from leaf_tui.api import LeafClient
from leaf_tui.api.models import LeafUser
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from tests.tui.conftest import SIZE, LoseFirstPostAnswer, _client, app_through

USERS = "/services/usermanagement/api/users"
NAME = "Dana Twin"


async def named(app: Any, name: str) -> list[LeafUser]:
    return [u for u in await app.client.users.list_all() if u.name == name]


async def open_form_with_a_twin(
    app: Any, pilot: Any, ready: Any, wait_for: Any, direct: LeafClient
) -> LeafUser:
    """The Users screen's add form with NAME typed, and a user of that name already in Leaf
    (made by `direct`, a client that does not pass through the fault)."""
    await ready(pilot)
    twin = await direct.users.create(name=NAME)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="the form")
    await pilot.press(*NAME)
    return twin


@pytest.fixture
def lossy(sandbox_app: Any, owner_token: str, tui_home: Any) -> Any:
    """`lossy(deliver)` -> (app, fault, direct): an app whose first create-user POST loses its
    answer (sent or not), and a client around the fault."""

    def make(deliver: bool) -> tuple[Any, LoseFirstPostAnswer, LeafClient]:
        lose = LoseFirstPostAnswer(sandbox_app, USERS, deliver=deliver)
        app = app_through(sandbox_app, owner_token, lose)
        return app, lose, _client(sandbox_app, owner_token)

    return make


def message(form: UserFormScreen) -> str:
    return str(form.query_one("#user-form-error", Static).content)


async def test_name_only_create_whose_answer_is_lost_is_found_not_sent_again(
    lossy: Any, ready: Any, wait_for: Any
) -> None:
    app, lose, direct = lossy(deliver=True)
    async with app.run_test(size=SIZE) as pilot:
        twin = await open_form_with_a_twin(app, pilot, ready, wait_for, direct)
        form = app.screen
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        assert lose.lost == 1 and not form.is_attached
        # one user made by the form: the twin from before, and the one the lost POST created
        users = await named(app, NAME)
        assert len(users) == 2 and twin.id in {u.id for u in users}
        saved = app.screen.current_user()  # the Users screen highlights what the form saved
        assert saved is not None and saved.name == NAME and saved.id != twin.id


async def test_name_only_create_that_never_arrived_is_sent_on_the_next_press(
    lossy: Any, ready: Any, wait_for: Any
) -> None:
    app, lose, direct = lossy(deliver=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_form_with_a_twin(app, pilot, ready, wait_for, direct)
        form = app.screen
        assert isinstance(form, UserFormScreen)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: not form.saving and "did not create" in message(form), what="checked"
        )
        assert lose.lost == 1 and "ctrl+s creates it now" in message(form)
        assert form.query_one("#name", Input).value == NAME  # nothing typed is lost
        assert len(await named(app, NAME)) == 1  # only the twin from before
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        assert len(await named(app, NAME)) == 2
