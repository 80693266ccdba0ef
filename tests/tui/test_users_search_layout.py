"""A key typed in the Users search repaints the table: it lays out the screen only when the
table's scrollbar comes or goes (once, not twice), and the table and the pane beside it keep
their sizes (issue 15: a layout of the screen, and the pane drawn again at a new width, were
most of a slow key). Layouts are counted with Textual's public `screen_layout_refresh_signal`."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.screen import Screen

from leaf_tui.tui.screens.users import ROW_LOOKUPS
from leaf_tui.tui.widgets.user_detail import UserDetail
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import app_through
from tests.tui.keyboard import BACKSPACE, typed_steadily
from tests.tui.screen_text import screen_lines

SIZE = (120, 24)  # the table shows 18 rows, fewer than the demo's 40 users: it scrolls
SENTERA = "/sentera-credentials"


def shown_names(app: Any, table: UsersTable) -> list[str]:
    """The start of each row's name as the terminal shows the table (below its header line);
    "" for an empty line."""
    region = table.content_region
    lines = screen_lines(app)[region.y + 1 : region.bottom]
    return [line[region.x : region.right].strip()[:10].rstrip() for line in lines]


def first_names(table: UsersTable, count: int) -> list[str]:
    """The start of the first `count` users' names, in the table's order."""
    return [(user.name or "")[:10].rstrip() for user in list(table.users.values())[:count]]


def count_layouts(screen: Screen[Any]) -> list[Screen[Any]]:
    layouts: list[Screen[Any]] = []
    screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
    return layouts


async def test_a_new_number_of_matches_repaints_the_table_without_laying_out_the_screen(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        total = table.row_count
        assert total > table.size.height
        first = table.highlighted_key
        await pilot.press("slash")
        await pilot.pause()
        layouts = count_layouts(app.screen)

        await pilot.press("s")  # most users, not all: still more than the table's lines
        await wait_for(pilot, lambda: app.screen.query_text == "s", what="the search 's'")
        await pilot.pause()
        matches = table.row_count
        assert table.size.height < matches < total
        assert table.highlighted_key == first  # the pane beside it stays as it was
        assert layouts == []
        assert f"{matches} of {total} users" in "\n".join(screen_lines(app))
        rows = shown_names(app, table)
        assert rows[:5] == first_names(table, 5)
        assert table.vertical_scrollbar.window_virtual_size == matches + 1  # the thumb's range
        assert table.max_scroll_y == matches + 1 - table.size.height

        await pilot.press("backspace")  # all of them again
        await wait_for(pilot, lambda: table.row_count == total, what="every user again")
        await pilot.pause()
        assert layouts == []
        assert table.vertical_scrollbar.window_virtual_size == total + 1
        assert f"{total} users" in "\n".join(screen_lines(app))
        assert shown_names(app, table)[:5] == first_names(table, 5)


async def test_fewer_matches_than_lines_keep_the_table_and_the_pane_in_place(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        detail = app.screen.query_one(UserDetail)
        total = table.row_count
        first = table.highlighted_key
        regions = (table.region, detail.region)
        await pilot.press("slash")
        await pilot.pause()
        layouts = count_layouts(app.screen)

        await pilot.press("g")  # fewer matches than lines: the scrollbar goes
        await wait_for(pilot, lambda: app.screen.query_text == "g", what="the search 'g'")
        await pilot.pause()
        matches = table.row_count
        assert 1 < matches < table.size.height - 1
        assert table.highlighted_key == first  # the pane beside it stays as it was
        assert not table.show_vertical_scrollbar
        assert (table.region, detail.region) == regions  # the table kept its gutter
        assert len(layouts) == 1  # for the scrollbar, once (Textual would lay out twice)
        rows = shown_names(app, table)
        assert rows[:matches] == first_names(table, matches)
        assert not any(rows[matches:])  # nothing left from before

        layouts.clear()
        await pilot.press("backspace")  # more than the lines again: the scrollbar is back
        await wait_for(pilot, lambda: table.row_count == total, what="every user again")
        await pilot.pause()
        assert table.show_vertical_scrollbar
        assert table.vertical_scrollbar.window_virtual_size == total + 1
        assert (table.region, detail.region) == regions
        assert len(layouts) == 1


async def test_a_search_from_the_bottom_of_the_table_shows_its_matches_from_the_top(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        await pilot.press("end")
        await wait_for(pilot, lambda: table.scroll_y > 0, what="the table scrolled")
        for query, fewer_than_lines in (("s", False), ("g", True)):
            await pilot.press("slash", *query)
            await wait_for(pilot, lambda q=query: app.screen.query_text == q, what=repr(query))
            await pilot.pause()
            matches = table.row_count
            assert matches and (matches < table.size.height - 1) == fewer_than_lines, matches
            assert table.scroll_y == 0 and table.cursor_row == 0
            rows = shown_names(app, table)
            shown = min(matches, table.size.height - 1)
            assert rows[:shown] == first_names(table, shown)
            await pilot.press("escape", "end")  # the search cleared, the last user again
            await wait_for(pilot, lambda: table.scroll_y > 0, what="the table scrolled")


class HoldSenteraReads:
    """A slow network, not a mock: each GET of a Sentera credential reaches the sandbox only
    once `release()` is called; `asked` lists the users asked for, in the order they arrived."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.asked: list[str] = []
        self._gate = asyncio.Event()

    def release(self) -> None:
        self._gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and scope["method"] == "GET" and path.endswith(SENTERA):
            self.asked.append(path.removesuffix(SENTERA).rsplit("/", 1)[-1])
            await self._gate.wait()
        await self.app(scope, receive, send)


async def test_rows_searched_away_while_waiting_are_not_looked_up(
    sandbox_app, owner_token, tui_home, wait_for
):
    """The Sentera statuses of the rows on screen are asked a few at a time; a key typed in
    the search meanwhile shows other rows, and the ones that left the screen before their turn
    are not asked for (each was a request, an answer and a repaint for nothing)."""
    hold = HoldSenteraReads(sandbox_app)
    app = app_through(sandbox_app, owner_token, hold)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(UsersTable)
        await wait_for(pilot, lambda: len(hold.asked) >= ROW_LOOKUPS, what="the first lookups")
        first_screen = table.visible_keys()
        # asked in screen order, ROW_LOOKUPS at a time (one more: the detail pane's own check
        # of the highlighted user may be one of those held)
        behind = first_screen[ROW_LOOKUPS + 1 :]
        assert behind  # some rows wait for their turn
        await pilot.press("slash", "g")
        await wait_for(pilot, lambda: app.screen.query_text == "g", what="the search 'g'")
        searched = table.visible_keys()
        waiting = set(behind) - set(searched) - set(hold.asked)
        assert waiting  # rows that left the screen before their turn

        hold.release()
        await wait_for(pilot, lambda: app.screen.is_ready, what="the search's rows looked up")
        assert not waiting & set(hold.asked)
        assert set(searched) <= set(hold.asked)  # every row on screen was asked for
        region = table.content_region
        rows = screen_lines(app)[region.y + 1 : region.y + 1 + len(searched)]
        assert not [row for row in rows if row[region.x : region.right].rstrip().endswith("…")]


async def test_rows_passed_by_while_typing_are_not_looked_up(
    sandbox_app, owner_token, tui_home, ready, wait_for
):
    """Typed at a steady 8 keys a second, each key shows other rows; their Sentera statuses are
    asked for once the typing pauses, for the rows it stopped on, not for every row passed by."""
    hold = HoldSenteraReads(sandbox_app)
    hold.release()  # a quick network: every request answered at once
    app = app_through(sandbox_app, owner_token, hold)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        seen = set(hold.asked)
        passed_by: set[str] = set()
        highlighted: set[str] = set()  # the detail pane checks its user on its own
        for key in ("/", "s", BACKSPACE, "g"):
            await typed_steadily(pilot, key)
            passed_by |= set(table.visible_keys())
            highlighted.add(table.highlighted_key or "")
        await wait_for(pilot, lambda: app.screen.is_ready, what="the rows looked up")
        stopped_on = set(table.visible_keys())
        assert passed_by - stopped_on - seen  # rows shown on the way, never looked up before
        assert set(hold.asked) - seen - highlighted <= stopped_on
        assert stopped_on <= set(hold.asked)
