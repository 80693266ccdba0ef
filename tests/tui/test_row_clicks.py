"""A click lands on the row it is on: in the Users table (a Line API ScrollView that draws its
rows without Textual's selection offsets) the row clicked is highlighted and acted on, as enter
would."""

from __future__ import annotations

from leaf_tui.tui.widgets.user_detail import UserDetail
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.screen_text import screen_lines


async def test_a_click_on_a_users_row_highlights_and_opens_that_user(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        region = table.content_region
        clicked_line = screen_lines(app)[region.y + 3][region.x : region.right]
        await pilot.click(UsersTable, offset=(4, 3))  # the third row, below the header
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "SenteraScreen"
                or app.screen.query_one(UserDetail).has_focus
            ),
            what="the clicked user opened",
        )
        user = app.screen.user if type(app.screen).__name__ == "SenteraScreen" else None
        if user is None:
            user = table.users[table.highlighted_key]
        assert (user.name or "")[:12] in clicked_line
