"""Opening a long events log (issue 15): the newest page is on screen while the older pages are
still on their way; once they come, the rows are in order, none twice, none lost, and the
highlighted row is still the event the person was on (an action lands on it)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import httpx
from textual.worker import WorkerState

from leaf_tui.api import LeafClient
from leaf_tui.api.paging import PAGE_SIZE
from leaf_tui.domain.sentera_diagnosis import sort_key
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from tests.tui.conftest import BASE_URL, app_through
from tests.tui.screen_text import screen_lines
from tests.tui.test_sentera import GROWER, SIZE, record_event

EVENTS = 130
"""Two pages: the newest 100, then 30 older ones."""


class HoldOlderPages:
    """A slow network for the older pages only: a request for an events page after the first
    waits at the gate until `release()` (the newest page and everything else pass at once)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.gate = asyncio.Event()
        self.waiting = 0

    def release(self) -> None:
        self.gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/sentera-credentials/events"):
            page = parse_qs(scope["query_string"].decode()).get("page", ["0"])[0]
            if page != "0" and not self.gate.is_set():
                self.waiting += 1
                await self.gate.wait()
        await self.app(scope, receive, send)


async def grower_with_events(
    sandbox_app: Any, token: str, control: Any, code: Callable[[int], int] | None = None
) -> Any:
    """A new grower with a Sentera credential and EVENTS events, one a second apart: its
    first, then event i (0, 1, ...) with status `code(i)` (by default a 401 now and then)."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with LeafClient(BASE_URL, token=token, transport=transport) as client:
        user = await client.users.create(name="Long Log", external_id="crm-long-log")
        await client.sentera.create(user.id, *GROWER)  # its first event
    for i in range(EVENTS - 1):
        await record_event(control, user.id, code(i) if code else 401 if i % 9 == 4 else 200)
    return user


async def all_events(sandbox_app: Any, token: str, user_id: str) -> list[Any]:
    """The grower's whole log, read by a client of its own (not through the gate)."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with LeafClient(BASE_URL, token=token, transport=transport) as client:
        return await client.sentera.events(user_id)


@asynccontextmanager
async def opened_with_older_held(
    sandbox_app: Any, token: str, user: Any, ready: Any, wait_for: Any
) -> AsyncIterator[tuple[Any, Any, SenteraScreen, HoldOlderPages]]:
    """The app with `user`'s Sentera screen open, its newest page in the log and the older
    page held back by the network: (app, pilot, screen, network)."""
    network = HoldOlderPages(sandbox_app)
    app = app_through(sandbox_app, token, network)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_sentera(user)
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, SenteraScreen) and network.waiting > 0,
            what="the older page asked",
        )
        screen = app.screen
        assert isinstance(screen, SenteraScreen)
        await wait_for(
            pilot, lambda: len(screen.events_log.events) == PAGE_SIZE, what="the newest page"
        )
        await pilot.pause()
        yield app, pilot, screen, network


ROW = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  \d{3}")
"""A log row's time and status (the rest of the line holds the scrollbar, which moves)."""


def rows_in_view(app: Any) -> list[str]:
    return [m.group() for line in screen_lines(app) if (m := ROW.search(line))]


def time_of(event: Any) -> str:
    return str(event.created_date.strftime("%Y-%m-%d %H:%M:%S"))


async def test_the_newest_page_shows_first_and_the_rest_fills_in_behind(
    sandbox_app, owner_token, tui_home, frozen_clock, sandbox_control, ready, wait_for
):
    user = await grower_with_events(sandbox_app, owner_token, sandbox_control)
    expected = await all_events(sandbox_app, owner_token, user.id)
    assert len(expected) == EVENTS
    async with opened_with_older_held(sandbox_app, owner_token, user, ready, wait_for) as (
        app,
        pilot,
        screen,
        network,
    ):
        log = screen.events_log

        # The newest page is on screen, the older one still held back by the network.
        assert [e.id for e in log.events] == [e.id for e in expected[-PAGE_SIZE:]]
        lines = screen_lines(app)
        assert any(time_of(expected[-1]) in line for line in lines)
        assert f"{PAGE_SIZE} events" in "\n".join(lines)

        # The person moves the highlight up three rows while the rest is on its way.
        await pilot.press("up", "up", "up")
        await pilot.pause()
        on = log.selected_event
        assert on is not None and on.id == expected[-4].id

        network.release()
        await wait_for(pilot, lambda: len(log.events) == EVENTS, what="all the events")
        await pilot.pause()

        # In order, none twice, none lost: the sandbox's own log, event for event.
        ids = [e.id for e in log.events]
        assert ids == [e.id for e in expected]
        assert len(set(ids)) == EVENTS
        assert list(log.events) == sorted(log.events, key=sort_key)
        assert f"{EVENTS} events" in "\n".join(screen_lines(app))

        # The highlight stayed on the same event, and enter opens that one.
        assert log.selected_event is not None and log.selected_event.id == on.id
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailScreen), what="detail")
        assert time_of(on) in "\n".join(screen_lines(app))


async def test_a_reader_scrolled_up_keeps_the_rows_in_view(
    sandbox_app, owner_token, tui_home, frozen_clock, sandbox_control, ready, wait_for
):
    user = await grower_with_events(sandbox_app, owner_token, sandbox_control)
    async with opened_with_older_held(sandbox_app, owner_token, user, ready, wait_for) as (
        app,
        pilot,
        screen,
        network,
    ):
        log = screen.events_log

        # Paged up, away from the bottom: the view no longer follows.
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert not log.following
        on = log.selected_event
        before = rows_in_view(app)
        assert on is not None and before

        network.release()
        await wait_for(pilot, lambda: len(log.events) == EVENTS, what="all the events")
        await pilot.pause()

        # 30 older events went in above: the reader still sees the same rows, same highlight.
        after = rows_in_view(app)
        assert after == before
        assert log.selected_event is not None and log.selected_event.id == on.id


async def test_the_diagnosis_waits_for_the_older_events(
    sandbox_app, owner_token, tui_home, frozen_clock, sandbox_control, ready, wait_for
):
    """The newest page alone is 100 failures in a row; the older page holds 10 more and the
    last success. The diagnosis says neither "100 failed in a row" nor "never succeeded"
    while the older page is on its way: it says it is reading, then the whole story."""
    user = await grower_with_events(
        sandbox_app, owner_token, sandbox_control, code=lambda i: 200 if i < 19 else 503
    )
    async with opened_with_older_held(sandbox_app, owner_token, user, ready, wait_for) as (
        app,
        pilot,
        screen,
        network,
    ):
        text = "\n".join(screen_lines(app))
        assert "Reading the Sentera events…" in text
        assert "failed in a row" not in text
        assert f"{PAGE_SIZE} events · " in text and "reading older…" in text
        assert screen.diagnosis is None

        network.release()
        await wait_for(
            pilot, lambda: len(screen.events_log.events) == EVENTS, what="all the events"
        )
        await wait_for(
            pilot,
            lambda: "110 failed in a row; last success" in "\n".join(screen_lines(app)),
            what="the diagnosis of the whole log",
        )
        text = "\n".join(screen_lines(app))
        assert "Reading the Sentera events…" not in text and "reading older…" not in text
        assert f"{EVENTS} events · " in text


class HoldCredentialAndOlderPages(HoldOlderPages):
    """HoldOlderPages, and `user_id`'s credential GET held until `answer_credential()`;
    records whether the events poll was still running when an older page's request was
    cancelled."""

    def __init__(self, app: Any, user_id: str) -> None:
        super().__init__(app)
        self.user_id = user_id
        self.credential_gate = asyncio.Event()
        self.holding = False  # set once the app is ready (its start-up asks too)
        self.leaf: Any = None  # the LeafApp, to look at its workers
        self.cancelled_while_polling: list[bool] = []

    def answer_credential(self) -> None:
        self.credential_gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            self.holding
            and scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].endswith(f"/{self.user_id}/sentera-credentials")
        ):
            await self.credential_gate.wait()
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            polling = any(
                w.group == "sentera-events" and w.state == WorkerState.RUNNING
                for w in self.leaf.workers
            )
            self.cancelled_while_polling.append(polling)
            raise


async def test_a_read_dropped_for_a_deleted_credential_cancels_its_older_pages_at_once(
    sandbox_app, owner_token, tui_home, frozen_clock, sandbox_control, ready, wait_for
):
    """The credential was deleted while its log's first read was under way: the events that
    came are for nobody, and the read is closed by the poll that drops it (its older pages'
    request cancelled before the poll ends), not some loop turns later by asyncio's finaliser."""
    user = await grower_with_events(sandbox_app, owner_token, sandbox_control)
    network = HoldCredentialAndOlderPages(sandbox_app, user.id)
    app = app_through(sandbox_app, owner_token, network)
    network.leaf = app
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        network.holding = True
        app.open_sentera(user)
        await wait_for(pilot, lambda: network.waiting > 0, what="the older page asked")
        transport = httpx.ASGITransport(app=sandbox_app)
        async with LeafClient(BASE_URL, token=owner_token, transport=transport) as client:
            await client.sentera.delete(user.id)
        network.answer_credential()

        screen = app.screen
        assert isinstance(screen, SenteraScreen)
        await wait_for(pilot, lambda: screen.loaded, what="the credential's answer")
        await wait_for(pilot, lambda: network.cancelled_while_polling, what="the older page")
        assert network.cancelled_while_polling == [True]
        assert screen.credential is None and len(screen.events_log.events) == 0
        assert "No Sentera credential for this grower" in "\n".join(screen_lines(app))
