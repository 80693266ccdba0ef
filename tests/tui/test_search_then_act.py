"""Trust on the call: after a search, the key that follows acts on the first row shown.

Each search is typed two ways: in one terminal read (pasted, tmux send-keys) and at a steady 8
keys a second, each key not waiting for the one before. Then enter, `s` (the Sentera screen),
and back on the Users screen `n` `ctrl+s` (a link created): all for the first match shown.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList, Static

from leaf_tui.api.models import LeafUser, LinkKind
from leaf_tui.common import clock
from leaf_tui.domain.link_filters import matches
from leaf_tui.tui.screens.link_details import LinkDetailsScreen
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardPrefill
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.keyboard import ENTER, one_read, typed_steadily
from tests.tui.test_sentera import screen_text
from tests.tui.wizard_steps import open_wizard

TYPINGS = {"one read": one_read, "8 keys a second": typed_steadily}


def first_shown(app: Any) -> LeafUser:
    """The user on the table's first row, which the screen shows on its first line of rows."""
    table = app.screen.query_one(UsersTable)
    first = next(iter(table.users.values()))
    lines = screen_text(app).splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Name "))
    shown_name = lines[header + 1].strip().split("  ")[0].rstrip("…")  # cut to its column
    assert shown_name and first.name.startswith(shown_name), (shown_name, first.name)
    return first


async def search_users(pilot: Any, wait_for: Any, query: str, typing: str) -> LeafUser:
    """From the table at its first row, `/query` typed the given way; the first match shown."""
    app = pilot.app
    await pilot.press("home")
    await TYPINGS[typing](pilot, "/" + query)
    await wait_for(pilot, lambda: app.screen.query_text == query, what=f"the search {query!r}")
    assert isinstance(app.screen, UsersScreen)
    return first_shown(app)


async def sentera_opened(pilot: Any, wait_for: Any) -> SenteraScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen), what="Sentera screen")
    assert isinstance(app.screen, SenteraScreen)
    return app.screen


@pytest.mark.parametrize("typing", TYPINGS)
@pytest.mark.parametrize("query", ["kowalski", "dale"])
async def test_search_enter_s_then_n_ctrl_s_act_on_the_first_match(
    make_app: Any, ready: Any, wait_for: Any, query: str, typing: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await search_users(pilot, wait_for, query, typing)
        assert len(app.screen.query_one(UsersTable).users) > 1  # a later match to land on
        await pilot.press("enter", "s")
        sentera = await sentera_opened(pilot, wait_for)
        assert f"Sentera · {first.display_name}" in screen_text(app)
        assert sentera.user.id == first.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="back to Users")
        await pilot.press("n", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="the link")
        result = app.screen
        assert isinstance(result, LinkResultScreen)
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.leaf_user_id == first.id


async def test_search_enter_and_s_in_the_same_read(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    """enter leaves the search at once: the `s` right behind it is not typed into the box."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("home")
        await one_read(pilot, "/kowalski" + ENTER + "s")
        sentera = await sentera_opened(pilot, wait_for)
        users = app.screen_stack[-2]
        assert isinstance(users, UsersScreen) and users.query_text == "kowalski"
        assert sentera.user.name == "Bea Kowalski"  # the first of Bea, Carla, Dale


def eriksen(screen: LinksScreen) -> str:
    return next(uid for uid, name in screen.names.items() if "Eriksen" in name)


@pytest.mark.parametrize("typing", TYPINGS)
async def test_links_name_filter_then_enter_opens_the_first_link_shown(
    make_app: Any, ready: Any, wait_for: Any, typing: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_links()
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen), what="Links")
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        await wait_for(pilot, lambda: screen.is_ready and bool(screen.links), what="links")
        # the cursor on a later link of the same grower: the filter keeps it in, not first
        later = [link for link in screen.links.values() if link.leaf_user_id == eriksen(screen)]
        await pilot.press("home")
        for _ in range(len(screen.links)):
            if screen.table.current_link == later[1]:
                break
            await pilot.press("down")
        assert screen.table.current_link == later[1]
        await TYPINGS[typing](pilot, "/eriksen")
        await wait_for(pilot, lambda: screen.filters.user_text == "eriksen", what="the filter")
        now = clock.now()
        shown = [
            link
            for link in screen.links.values()
            if matches(link, screen.filters, now, screen.names.get(link.leaf_user_id or ""))
        ]
        assert len(shown) > 1  # a later match to land on
        await pilot.press("enter")  # leaves the filter for the table
        await pilot.press("enter")  # the highlighted link's details
        await wait_for(pilot, lambda: isinstance(app.screen, LinkDetailsScreen), what="details")
        details = app.screen
        assert isinstance(details, LinkDetailsScreen)
        assert details.link.id == shown[0].id


async def test_wizard_user_step_selects_the_highlighted_row(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    """The step never says "Selected: X" while another row is highlighted; ctrl+s makes the
    link for the row highlighted."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        dale = next(u for u in app.user_index.search("Dale Kowalski") if u.name == "Dale Kowalski")
        screen = await open_wizard(app, pilot, wait_for, WizardPrefill(user=dale), step="user")
        results = screen.query_one("#user-results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0, what="the user list")

        def highlighted() -> str | None:
            index = results.highlighted
            return None if index is None else results.get_option_at_index(index).id

        def selected_text() -> str:
            return str(screen.query_one("#selected-user", Static).content)

        assert highlighted() == dale.id
        assert selected_text().startswith(f"Selected: {dale.display_name}")
        await pilot.press("down")  # from the search box: the next row
        await wait_for(pilot, lambda: highlighted() != dale.id, what="the highlight to move")
        await pilot.pause()
        other = screen.draft.user
        assert other is not None and other.id == highlighted()
        assert selected_text().startswith(f"Selected: {other.display_name}")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="the link")
        result = app.screen
        assert isinstance(result, LinkResultScreen)
        assert result.info.leaf_user_id == other.id
