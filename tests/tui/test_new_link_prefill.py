"""Issue 12: `n` on a screen about one grower (Sentera, an event, a link and its details)
opens the wizard for that grower, never an empty one."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.screens.link_details import LinkDetailsScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.test_links import open_links
from tests.tui.test_sentera import sentera_users


async def wizard_user_id(app: Any, pilot: Any, wait_for: Any) -> str | None:
    await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
    user = app.screen.draft.user
    return None if user is None else user.id


async def sentera_of_a_connected_grower(app: Any, pilot: Any, wait_for: Any) -> Any:
    """From Users, by keys: highlight a grower with a healthy credential, `s`."""
    user = (await sentera_users(app))["OK"][0]
    table = app.screen.query_one(UsersTable)
    table.move_cursor(row=table.get_row_index(user.id))
    await pilot.press("s")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded,
        what="the Sentera screen",
    )
    return user


async def test_n_on_the_sentera_screen_is_for_its_grower(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await sentera_of_a_connected_grower(app, pilot, wait_for)
        await pilot.press("n")
        assert await wizard_user_id(app, pilot, wait_for) == user.id


async def test_n_on_an_event_is_for_its_grower(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await sentera_of_a_connected_grower(app, pilot, wait_for)
        log = app.screen.events_log
        await wait_for(pilot, lambda: bool(log.events), what="events")
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailScreen), what="event")
        await pilot.press("n")
        assert await wizard_user_id(app, pilot, wait_for) == user.id
        assert not any(isinstance(s, EventDetailScreen) for s in app.screen_stack)


async def test_n_on_all_links_is_for_the_highlighted_links_grower(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        table = screen.table
        await pilot.press("down", "down", "down")
        link = table.current_link
        assert link is not None and link.leaf_user_id
        await pilot.press("n")
        assert await wizard_user_id(app, pilot, wait_for) == link.leaf_user_id


async def test_n_on_a_links_details_is_for_its_grower(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        await pilot.press("down", "down")
        link = screen.table.current_link
        assert link is not None and link.leaf_user_id
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkDetailsScreen), what="details")
        await pilot.press("n")
        assert await wizard_user_id(app, pilot, wait_for) == link.leaf_user_id
