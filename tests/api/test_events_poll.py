"""Polling the events log reads only what is new (issue 14): newest first, one small page,
stopping at the first event already held; against a server that ignores the sort it reads from
the last page by X-Total-Count, and against one that ignores paging it takes the whole list.
In process and over a real loopback socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from leaf_tui.api import LeafClient, LeafUser, NotFound
from leaf_tui.api.sentera import HELD_EVENTS, POLL_PAGE

from .conftest import DEMO_OWNER, GROWER, Env

EVENTS = "/sentera-credentials/events"


class Counting(httpx.AsyncBaseTransport):
    """Records the query of each events request and the bytes of each events answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.queries: list[dict[str, str]] = []
        self.bytes: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith(EVENTS):
            await response.aread()
            self.queries.append(dict(request.url.params))
            self.bytes.append(len(response.content))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@asynccontextmanager
async def counted(env: Env) -> AsyncIterator[tuple[LeafClient, Counting]]:
    inner: httpx.AsyncBaseTransport = (
        httpx.ASGITransport(app=env.sandbox_app)
        if env.sandbox_app is not None
        else httpx.AsyncHTTPTransport()
    )
    transport = Counting(inner)
    async with LeafClient(env.base_url, transport=transport) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        yield client, transport


async def with_events(env: Env, count: int) -> LeafUser:
    """A user with a credential and `count` events (its first, recorded on connect, included),
    one second apart."""
    user = await env.client.users.create(name="Poll Grower", external_id=f"crm-poll-{count}")
    await env.client.sentera.create(user.id, *GROWER)
    for i in range(count - 1):
        await env.control("POST", "clock", json={"advance": 1})
        code = 401 if i % 7 == 3 else 200
        await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": code})
    return user


async def record(env: Env, user: LeafUser, code: int) -> None:
    await env.control("POST", "clock", json={"advance": 5})
    await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": code})


@pytest.fixture(autouse=True)
async def _reset_behaviour(env: Env) -> AsyncIterator[None]:
    yield
    await env.control("POST", "behaviour", json={"reset": True})


async def test_a_poll_reads_one_small_newest_page(env: Env) -> None:
    user = await with_events(env, 45)
    async with counted(env) as (client, wire):
        first = await client.sentera.events(user.id)
        assert len(first) == 45 and first == sorted(first, key=lambda e: e.created_date)
        wire.queries.clear()
        again = await client.sentera.events(user.id)
        assert again == first and all(a is b for a, b in zip(again, first, strict=True))
        assert wire.queries == [{"page": "0", "size": str(POLL_PAGE), "sort": "createdDate,desc"}]
        await record(env, user, 500)
        await record(env, user, 200)
        after = await client.sentera.events(user.id)
    assert [e.status_code for e in after[-2:]] == [500, 200]
    assert after[:45] == first and all(a is b for a, b in zip(after, first, strict=False))
    assert len(wire.queries) == 2  # one small page per poll
    assert max(wire.bytes) < 20_000


async def test_more_new_events_than_a_page_reads_on(env: Env) -> None:
    user = await with_events(env, 3)
    async with counted(env) as (client, wire):
        await client.sentera.events(user.id)
        for _ in range(POLL_PAGE + 5):
            await record(env, user, 200)
        wire.queries.clear()
        after = await client.sentera.events(user.id)
    assert len(after) == 3 + POLL_PAGE + 5
    assert [q["page"] for q in wire.queries] == ["0", "1"]


async def test_a_server_that_ignores_the_sort_is_read_from_the_end(env: Env) -> None:
    await env.control("POST", "behaviour", json={"eventSort": False})
    user = await with_events(env, 250)
    async with counted(env) as (client, wire):
        first = await client.sentera.events(user.id)
        assert len(first) == 250 and first == sorted(first, key=lambda e: e.created_date)
        await record(env, user, 503)
        wire.queries.clear()
        after = await client.sentera.events(user.id)
    assert after[-1].status_code == 503 and after[:250] == first
    # straight to the last small page by X-Total-Count (events 241-251)
    assert wire.queries == [{"page": "12", "size": str(POLL_PAGE), "sort": "createdDate,desc"}]


async def test_a_server_that_ignores_paging_is_read_whole(env: Env) -> None:
    await env.control("POST", "behaviour", json={"paging": False})
    user = await with_events(env, 130)
    async with counted(env) as (client, wire):
        first = await client.sentera.events(user.id)
        await record(env, user, 200)
        after = await client.sentera.events(user.id)
    assert len(first) == 130 and len(after) == 131
    assert after[:130] == first
    assert len(wire.queries) == 2  # once each: no asking again and again


async def test_at_most_the_newest_held_events(env: Env) -> None:
    user = await with_events(env, 3)
    async with counted(env) as (client, _):
        events = await client.sentera.events(user.id)
    assert len(events) <= HELD_EVENTS


async def test_deleted_credential_is_not_answered_from_what_was_held(env: Env) -> None:
    user = await with_events(env, 3)
    assert await env.client.sentera.events(user.id)
    await env.client.sentera.delete(user.id)
    with pytest.raises(NotFound):
        await env.client.sentera.events(user.id)


async def test_a_recreated_credential_starts_a_new_log(env: Env) -> None:
    user = await with_events(env, 4)
    await env.client.sentera.get(user.id)
    old = await env.client.sentera.events(user.id)
    await env.raw.delete(
        f"/services/usermanagement/api/users/{user.id}/sentera-credentials",
        headers={"Authorization": f"Bearer {env.client.token}"},
    )
    created = await env.raw.post(
        f"/services/usermanagement/api/users/{user.id}/sentera-credentials",
        json=dict(zip(("username", "password", "organizationName"), GROWER, strict=True)),
        headers={"Authorization": f"Bearer {env.client.token}"},
    )
    assert created.status_code == 201
    await env.client.sentera.get(user.id)  # the poll reads the credential with the events
    new = await env.client.sentera.events(user.id)
    assert len(new) == 1 and new[0].id not in {e.id for e in old}


async def test_each_user_has_their_own_events(env: Env) -> None:
    one = await with_events(env, 3)
    other = await env.client.users.create(name="Other Grower", external_id="crm-other")
    await env.client.sentera.create(other.id, *GROWER)
    first = await env.client.sentera.events(one.id)
    theirs = await env.client.sentera.events(other.id)
    assert {e.id for e in first}.isdisjoint({e.id for e in theirs})
    assert await env.client.sentera.events(one.id) == first


async def test_a_first_read_hands_over_the_newest_page_before_the_rest(env: Env) -> None:
    user = await with_events(env, 130)
    async with counted(env) as (client, wire):
        parts = [part async for part in client.sentera.event_reads(user.id)]
        whole = parts[-1]
        assert [len(part) for part in parts] == [100, 130]
        # the newest page, the same objects the whole read then holds
        assert all(a is b for a, b in zip(parts[0], whole[-100:], strict=True))
        assert whole == sorted(whole, key=lambda e: (e.created_date, e.id))
        assert len({e.id for e in whole}) == 130
        assert sorted(q["page"] for q in wire.queries) == ["0", "1"]
        # read once: a later read is one small poll, in one part
        await record(env, user, 200)
        wire.queries.clear()
        later = [part async for part in client.sentera.event_reads(user.id)]
    assert [len(part) for part in later] == [131]
    assert wire.queries == [{"page": "0", "size": str(POLL_PAGE), "sort": "createdDate,desc"}]


async def test_a_first_read_abandoned_after_its_newest_page_is_read_again_whole(env: Env) -> None:
    user = await with_events(env, 130)
    async with counted(env) as (client, _):
        reads = client.sentera.event_reads(user.id)
        assert len(await anext(reads)) == 100
        await reads.aclose()  # the log closed before the older pages came
        assert len(await client.sentera.events(user.id)) == 130


class HoldOlderPages(Counting):
    """Holds every request for an events page after the first until the test ends, and records
    the pages whose request was cancelled while held."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        super().__init__(inner)
        self.asked = asyncio.Event()
        self.cancelled: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("page", "0")
        if request.url.path.endswith(EVENTS) and page != "0":
            self.asked.set()
            try:
                await asyncio.Event().wait()  # never answered
            except asyncio.CancelledError:
                self.cancelled.append(page)
                raise
        return await super().handle_async_request(request)


async def test_a_first_read_closed_after_its_newest_page_cancels_the_older_pages_at_once(
    env: Env,
) -> None:
    user = await with_events(env, 130)
    inner: httpx.AsyncBaseTransport = (
        httpx.ASGITransport(app=env.sandbox_app)
        if env.sandbox_app is not None
        else httpx.AsyncHTTPTransport()
    )
    transport = HoldOlderPages(inner)
    async with LeafClient(env.base_url, transport=transport) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        reads = client.sentera.event_reads(user.id)
        assert len(await anext(reads)) == 100
        await asyncio.wait_for(transport.asked.wait(), 10)  # the older page is on its way
        await reads.aclose()
        # Cancelled by the close itself, before it returned (not left to asyncio's finaliser
        # to close the inner read some loop turns later, or never if the loop ends first).
        assert transport.cancelled == ["1"]
