"""Start-up: the Users screen's first page holds as many users as the terminal has rows. Asked
for early (the entry point's thread, domain/first_page.py), the screen is built once it is there
(its first frame then has the rows) and the app does not ask again; asked for only once
connected, the screen is built beside the request and says it is loading meanwhile."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import Any
from urllib.parse import parse_qs

import httpx

from leaf_tui.api import LeafClient
from leaf_tui.tui.app import FIRST_PAGE_WAIT, LeafApp
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.user_detail import UserDetail
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import BASE_URL, OWNER, _session

USERS_PATH = "/services/usermanagement/api/users"


class FirstPageWatch:
    """ASGI around the sandbox: notes each first users page asked for (its size, and the screen
    the app showed when the answer left; the index's own, 100 users, comes after the screen's)
    and can hold the first one's answer back."""

    def __init__(self, sandbox_app: Any, hold: asyncio.Event | None = None) -> None:
        self.sandbox_app = sandbox_app
        self.hold = hold
        self.app: LeafApp | None = None
        self.pages: list[tuple[int, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        first_page = (
            scope["type"] == "http"
            and scope["path"] == USERS_PATH
            and parse_qs(scope["query_string"].decode()).get("page") == ["0"]
        )
        if first_page:
            if self.hold is not None and not self.pages:
                await self.hold.wait()
            size = int(parse_qs(scope["query_string"].decode())["size"][0])
            assert self.app is not None
            self.pages.append((size, type(self.app.screen).__name__))
        await self.sandbox_app(scope, receive, send)


def connecting_app(
    sandbox_app: Any, watch: FirstPageWatch, asked: Future[Any] | None = None
) -> LeafApp:
    """`asked`: the first page as the entry point asked for it (domain/first_page.py)."""

    async def connect() -> Any:
        client = LeafClient(BASE_URL, transport=httpx.ASGITransport(app=watch))
        await client.auth.authenticate(*OWNER)
        session = _session(client, sandbox_app)
        session.first_page = asked
        return session

    app = LeafApp(connect=connect)
    watch.app = app
    return app


async def test_asked_only_once_connected_the_screen_is_built_beside_the_request(
    sandbox_app, tui_home, ready
):
    watch = FirstPageWatch(sandbox_app)
    app = connecting_app(sandbox_app, watch)
    async with app.run_test(size=(120, 44)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        # the rows a 44-line terminal shows, answered with the screen already there
        assert watch.pages[0] == (44, "UsersScreen")


async def test_a_small_terminal_still_asks_for_forty(sandbox_app, tui_home, ready):
    watch = FirstPageWatch(sandbox_app)
    app = connecting_app(sandbox_app, watch)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert watch.pages[0] == (40, "UsersScreen")


async def test_asked_early_the_screen_is_built_once_the_page_is_there(
    sandbox_app, tui_home, ready, wait_for
):
    async with LeafClient(BASE_URL, transport=httpx.ASGITransport(app=sandbox_app)) as client:
        await client.auth.authenticate(*OWNER)
        early = await client.users.list(page=0, size=40)
    asked: Future[Any] = Future()
    watch = FirstPageWatch(sandbox_app)
    app = connecting_app(sandbox_app, watch, asked)
    shown_when_answered: list[str] = []

    def answer() -> None:  # the entry point's thread getting its answer, a moment later
        shown_when_answered.append(type(app.screen).__name__)
        asked.set_result(early)

    async with app.run_test(size=(120, 40)) as pilot:
        asyncio.get_running_loop().call_later(FIRST_PAGE_WAIT / 4, answer)
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="Users")
        await ready(pilot)
        assert shown_when_answered == ["Screen"]  # no Users screen yet when the rows came
        # the app sent no first page of its own: only the index's pages
        assert [size for size, _ in watch.pages] == [100]


async def test_a_slow_first_page_does_not_hold_the_screen_back(
    sandbox_app, tui_home, ready, wait_for
):
    hold = asyncio.Event()
    watch = FirstPageWatch(sandbox_app, hold)
    app = connecting_app(sandbox_app, watch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="the Users screen")
        await pilot.pause(FIRST_PAGE_WAIT / 2)
        screen = app.screen
        # what it says while the page is on its way: no rows, and that they are loading
        assert screen.query_one(UsersTable).row_count == 0
        detail = screen.query_one(UserDetail)
        assert "Loading users…" in str(detail.query_one("#user-detail-body").render())
        hold.set()
        await ready(pilot)
        assert screen.query_one(UsersTable).row_count > 0


async def test_a_failed_early_page_is_asked_again_by_the_app(sandbox_app, tui_home, ready):
    asked: Future[Any] = Future()
    asked.set_exception(httpx.ConnectError("the early request never got through"))
    watch = FirstPageWatch(sandbox_app)
    app = connecting_app(sandbox_app, watch, asked)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert watch.pages[0] == (40, "Screen")
        assert app.screen.query_one(UsersTable).row_count > 0
