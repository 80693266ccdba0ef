"""The list paths stay fast at scale: stamps are emitted without parsing, every user sort walks
an index, ties page stably both ways, and loopback answers are not held back by Nagle."""

from __future__ import annotations

import socket
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaf_tui.sandbox import sentera_world
from leaf_tui.sandbox.app import SandboxConfig, create_app
from leaf_tui.sandbox.link_requests import KINDS
from leaf_tui.sandbox.server import RunningSandbox
from leaf_tui.sandbox.store import EVENT_COLUMNS, USER_SORT
from leaf_tui.sandbox.timefmt import db_to_iso, from_db, iso, to_db

from .helpers import ML, UM, login, read_pages

USERS = f"{UM}/users"
NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@given(
    st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    st.sampled_from([0, 3, 6, 9]),
)
def test_stored_stamps_are_emitted_as_iso_would_write_them(when: datetime, digits: int) -> None:
    stored = to_db(when)
    assert len(stored) == 27 and stored.endswith("Z")
    assert db_to_iso(stored, digits) == iso(when, digits)
    assert from_db(stored) == when


def test_a_stamp_not_in_storage_form_still_comes_out_right() -> None:
    assert db_to_iso("2026-03-02T09:00:00.5Z", 3) == "2026-03-02T09:00:00.500Z"
    assert db_to_iso("2026-03-02T09:00:00.123456Z", 9) == "2026-03-02T09:00:00.123456000Z"


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", list(USER_SORT))
def test_every_user_sort_walks_an_index(field: str, direction: str) -> None:
    app = create_app(SandboxConfig(users=5, links=0, events=0, now=lambda: NOW))
    store = app.state.sandbox.store
    plans: list[str] = []
    real = store._conn

    class Spy:
        def execute(self, sql: str, args: object = ()) -> object:
            if sql.startswith("SELECT * FROM users"):
                plans.extend(r[3] for r in real.execute(f"EXPLAIN QUERY PLAN {sql}", args))
            return real.execute(sql, args)

    store._conn = Spy()
    try:
        store.list_users(
            "support@sandbox.local",
            name=None,
            email=None,
            external_id=None,
            sort=[(field, direction == "asc")],
            offset=300,
            limit=100,
        )
    finally:
        store._conn = real
        app.state.sandbox.close()
    assert plans and all("TEMP B-TREE" not in p for p in plans), plans
    assert any("USING INDEX users_" in p for p in plans), plans


async def test_descending_pages_are_ascending_reversed_even_with_ties(
    asgi_http: httpx.AsyncClient,
) -> None:
    auth = await login(asgi_http)
    for n in range(7):  # same name, told apart only by creation order
        r = await asgi_http.post(
            USERS, json={"name": "Tie Twin", "externalId": f"T{n}"}, headers=auth
        )
        assert r.status_code == 201

    async def walk(sort: str) -> list[str]:
        ids: list[str] = []
        for page in range(20):
            r = await asgi_http.get(
                USERS, params={"page": page, "size": 3, "sort": sort}, headers=auth
            )
            ids += [u["id"] for u in r.json()]
            if "next" not in r.links:
                return ids
        raise AssertionError("paging did not end")

    up, down = await walk("name,asc"), await walk("name,desc")
    assert len(up) == len(set(up)) == 47
    assert down == up[::-1]


async def test_exact_filters_use_their_own_index(asgi_http: httpx.AsyncClient) -> None:
    auth = await login(asgi_http)
    everyone = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    target = everyone[-1]
    for key in ("email", "externalId"):
        r = await asgi_http.get(
            USERS, params={key: target[key].lower(), "sort": "name,desc"}, headers=auth
        )
        assert [u["id"] for u in r.json()] == [target["id"]]


def test_the_listener_turns_nagle_off(live_sandbox: RunningSandbox) -> None:
    sock = live_sandbox.sock
    assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on accepted sockets
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


async def test_loopback_answers_are_not_held_by_delayed_acks(live_sandbox: RunningSandbox) -> None:
    # with Nagle on, each answer waited for the client's delayed ACK: ~40 ms at best
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as http:
        auth = await login(http)
        took = []
        for page in range(15):
            start = time.perf_counter()
            r = await http.get(USERS, params={"page": page % 2, "size": 20}, headers=auth)
            took.append(time.perf_counter() - start)
            assert r.status_code == 200
    assert statistics.median(took) < 0.03, [f"{t * 1000:.0f} ms" for t in took]


async def test_events_and_links_at_scale_list_quickly() -> None:
    app = create_app(SandboxConfig(users=200, links=2_000, events=0, now=lambda: NOW))
    sandbox = app.state.sandbox
    cred = sandbox.store.credentials()[0]
    rows = []
    for i in range(20_000):
        ev = sentera_world.event_row(cred, NOW - timedelta(seconds=60 + i * 30), 200, f"ev-{i}")
        rows.append([ev[c] for c in EVENT_COLUMNS])
    sandbox.store.bulk_insert("sentera_events", EVENT_COLUMNS, rows)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
        auth = await login(http)
        start = time.perf_counter()
        path = f"{USERS}/{cred['user_id']}/sentera-credentials/events"
        newest = {"sort": "createdDate,desc", "size": 100}
        r = await http.get(path, params=newest, headers=auth)
        deep = await http.get(path, params={**newest, "page": 199}, headers=auth)
        events_took = time.perf_counter() - start
        events = r.json()
        assert len(events) == 100 and r.headers["x-total-count"] == "20000"
        assert (
            events[0]["id"] == "ev-0" and events[0]["createdDate"] == "2026-03-02T08:59:00.000000Z"
        )
        assert deep.json()[-1]["id"] == "ev-19999"
        start = time.perf_counter()
        kinds = [await read_pages(http, f"{ML}/{k}", auth) for k in KINDS]
        links_took = time.perf_counter() - start
        assert sum(len(k) for k in kinds) == 2_000
        assert all(len(link["expiresAt"]) == 24 for k in kinds for link in k)
    sandbox.close()
    # was 0.6 s and 0.1 s in process before stamps were sliced instead of parsed
    assert events_took < 2.0, f"20,000 events took {events_took:.2f}s"
    assert links_took < 1.0, f"2,000 links took {links_took:.2f}s"
