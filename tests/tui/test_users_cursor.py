"""The Users cursor stays where the user put it when a background answer redraws the table:
an action always lands on the row the user sees highlighted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from textual import events

from leaf_tui.api.users import USERS as USERS_PATH
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import app_through
from tests.tui.test_users import SIZE

DOWNS = 3


class HoldAnswers:
    """A slow network, not a mock: the sandbox answers the requests `held(scope)` picks at
    once, but the answers reach the app only on `release()`, so they land at a chosen moment
    (one loop turn after it), as a real answer lands whenever it lands."""

    def __init__(self, app: Any, held: Callable[[Any], bool]) -> None:
        self.app = app
        self.held = held
        self.waiting = 0
        self._gate = asyncio.Event()

    def release(self) -> None:
        self._gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self._gate.is_set() or not self.held(scope):
            await self.app(scope, receive, send)
            return
        answer: list[Any] = []

        async def keep(message: Any) -> None:
            answer.append(message)

        await self.app(scope, receive, keep)
        self.waiting += 1
        await self._gate.wait()
        for message in answer:
            await send(message)


async def cursor_moved(table: UsersTable, key: str, timeout: float = 5.0) -> None:
    """Back as soon as the table's cursor is on `key` (a loop turn at a time, bounded), before
    the messages that follow the move have gone their way."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while table.highlighted_key != key:
        assert loop.time() < deadline, "the arrow keys did not move the cursor"
        await asyncio.sleep(0)


async def arrows_down_then_release(app: Any, table: UsersTable, hold: HoldAnswers) -> str:
    """From the first row, DOWNS arrow keys as one terminal read brings them; the held answer
    lands as soon as the table's cursor has moved, before its Highlighted messages reach the
    screen. The key of the row the arrows went to."""
    assert table.highlighted_key == table.keys[0]
    target = table.keys[DOWNS]
    for _ in range(DOWNS):
        app.post_message(events.Key("down", None))
    await cursor_moved(table, target)
    hold.release()
    return target


def index_reads(first_page_read: list[bool]) -> Callable[[Any], bool]:
    """The reads of the whole user list after the first (the screen's first page)."""

    def held(scope: Any) -> bool:
        if scope["method"] != "GET" or scope["path"] != USERS_PATH:
            return False
        if {"email", "externalId", "name"} & parse_qs(scope["query_string"].decode()).keys():
            return False
        if not first_page_read:
            first_page_read.append(True)
            return False
        return True

    return held


async def test_the_index_landing_under_arrow_keys_leaves_the_cursor_where_they_put_it(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    wait_for: Any,
    clipboard_backend: list[str],
) -> None:
    hold = HoldAnswers(sandbox_app, index_reads([]))
    app = app_through(sandbox_app, owner_token, hold)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: hold.waiting > 0, what="the index's answer on its way")
        table = app.screen.query_one(UsersTable)
        await wait_for(pilot, lambda: table.row_count > DOWNS, what="the first page")
        target = await arrows_down_then_release(app, table, hold)
        await wait_for(pilot, lambda: app.user_index.loaded, what="the index loaded")
        await pilot.pause()
        assert table.highlighted_key == target  # what is on screen
        await pilot.press("y")  # and what `y` acts on
        await wait_for(pilot, lambda: bool(clipboard_backend), what="the copy")
        assert clipboard_backend == [target]


async def test_a_sentera_answer_landing_under_arrow_keys_leaves_the_cursor_where_they_put_it(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    ready: Any,
    wait_for: Any,
    clipboard_backend: list[str],
) -> None:
    holding: list[bool] = []

    def sentera_reads(scope: Any) -> bool:
        return bool(holding) and scope["path"].endswith("/sentera-credentials")

    hold = HoldAnswers(sandbox_app, sentera_reads)
    app = app_through(sandbox_app, owner_token, hold)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        holding.append(True)
        await pilot.press("r")  # every status asked again: the highlighted user's first
        await wait_for(
            pilot,
            lambda: hold.waiting > 0 and app.user_index.loaded and table.row_count > DOWNS,
            what="the highlighted user's Sentera check on its way",
        )
        await pilot.pause()
        target = await arrows_down_then_release(app, table, hold)
        await ready(pilot)
        assert table.highlighted_key == target
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(clipboard_backend), what="the copy")
        assert clipboard_backend == [target]
