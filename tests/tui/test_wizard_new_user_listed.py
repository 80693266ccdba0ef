"""Issue 12: a user the wizard creates ("new user by externalId") is in Users as soon as the
link exists, not after `r`."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.search_box import SearchBox
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.test_wizard import result_screen, type_into


async def test_a_user_made_by_the_wizard_is_listed_at_once(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.press("ctrl+n")  # to the User step
        app.screen.query_one("#user-mode").focus()
        await pilot.press("right")  # New user by externalId
        await type_into(pilot, "#external_id", "crm-new-77")
        await type_into(pilot, "#new_name", "Nora Newfield")
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        new_id = result.info.leaf_user_id
        assert new_id
        await pilot.press("escape")  # back to Users, no reload
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="Users")
        table = app.screen.query_one(UsersTable)
        await wait_for(pilot, lambda: new_id in table.keys, what="the new user listed")
        await pilot.press("slash")
        app.screen.query_one("#users-search", SearchBox).value = "crm-new-77"
        await wait_for(pilot, lambda: table.keys == [new_id], what="the new user found")
        assert app.screen.current_user().name == "Nora Newfield"
