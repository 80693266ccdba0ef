"""A full screen covered by another full screen lets go of the lines it drew (tui/covered.py):
Textual keeps every drawn line as a `Strip` (a dozen objects each, plus a filtered and a cropped
copy) for the cyclic collector to walk while the screen on top polls. Counted with
`gc.get_objects()`; what comes back on screen is compared as text. Covered, it skips its timed
redraws too; back, it shows the time of then."""

from __future__ import annotations

import gc
from datetime import timedelta

from textual.app import ComposeResult
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Label

from leaf_tui.common import clock
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.screen_text import screen_lines
from tests.tui.test_users import detail_text

SIZE = (120, 40)


class Covering(Screen[None]):
    """A full screen that draws next to nothing of its own."""

    def compose(self) -> ComposeResult:
        yield Label("covering")


def strips_held() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is Strip)


def shown(app) -> str:
    return "\n".join(line.rstrip() for line in screen_lines(app))


async def test_users_under_a_full_screen_lets_go_of_its_lines_and_is_the_same_when_back(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: app.screen.is_ready, what="the Users screen settled")
        before = shown(app)
        held = strips_held()

        await app.push_screen(Covering())
        await pilot.pause()
        assert strips_held() < held / 2

        app.pop_screen()
        await wait_for(pilot, lambda: shown(app) == before, what="the Users screen drawn as it was")


async def test_under_a_dialog_the_screen_beneath_keeps_its_lines(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.screen.is_ready, what="the Users screen settled")
        held = strips_held()
        await pilot.press("question_mark")  # the key reference, a dialog over the screen
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen", what="help")
        await pilot.pause()
        assert strips_held() > held  # the dialog's lines added, none of the screen's let go


async def test_back_from_a_full_screen_the_users_screen_tells_the_time_of_now(
    make_app, ready, wait_for
):
    """Covered, Users stops its timed redraws (the header's token expiry, the detail's link
    countdowns): they would only have Textual draw the screen above whole. Back, both are as of
    the clock now, five minutes on."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        linked = {lk.leaf_user_id for lk in await app.client.links.list_all()}
        ids = table.keys
        table.move_cursor(row=next(row for row, key in enumerate(ids) if key in linked))
        await wait_for(pilot, lambda: app.screen.is_ready, what="the Users screen settled")
        await wait_for(pilot, lambda: " left · " in detail_text(app), what="a link's countdown")
        header, detail = screen_lines(app)[0], detail_text(app)

        await app.push_screen(Covering())
        await pilot.pause()
        clock.freeze(clock.now() + timedelta(minutes=5))
        app.pop_screen()

        def as_of_now() -> bool:
            now_header, now_detail = screen_lines(app)[0], detail_text(app)
            return now_header != header and " left · " in now_detail and now_detail != detail

        await wait_for(pilot, as_of_now, what="the header and the detail five minutes on")
