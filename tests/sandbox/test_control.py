"""The /_sandbox/ control API: health, clock, Sentera world, events, sync, counts, faults."""

from __future__ import annotations

import httpx
import pytest

from .helpers import ML, UM, assert_problem, sentera_of


async def test_health_and_clock(asgi_http: httpx.AsyncClient) -> None:
    health = (await asgi_http.get("/_sandbox/health")).json()
    assert health["status"] == "ok" and health["now"] == "2026-03-02T09:00:00.000000Z"
    assert health["owners"] == ["other@sandbox.local", "support@sandbox.local"]
    r = await asgi_http.post("/_sandbox/clock", json={"advance": 90.5})
    assert r.json() == {"now": "2026-03-02T09:01:30.500000Z", "offsetSeconds": 90.5}
    r = await asgi_http.post("/_sandbox/clock", json={"set": "2026-04-01T00:00:00+02:00"})
    assert r.json()["now"] == "2026-03-31T22:00:00.000000Z"
    assert (await asgi_http.get("/_sandbox/clock")).json()["now"] == "2026-03-31T22:00:00.000000Z"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"advance": "soon"},
        {"advance": True},
        {"advance": 1e20},
        {"set": "yesterday"},
        {"set": "2026-03-02T09:00:00"},
        {"set": 5},
    ],
)
async def test_clock_rejects_nonsense(asgi_http: httpx.AsyncClient, body: dict) -> None:
    assert_problem(await asgi_http.post("/_sandbox/clock", json=body), 400)


async def test_accounts_include_the_free_grower(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    accounts = (await asgi_http.get("/_sandbox/sentera/accounts")).json()
    grower = next(a for a in accounts if a["username"] == "grower@sentera.example")
    assert grower == {
        "username": "grower@sentera.example",
        "password": "harvest-2026",
        "organizations": ["Prairie Farms"],
    }
    creds = await sentera_of(asgi_http, auth)
    connected = [c["username"] for c in creds.values() if c is not None]
    assert "grower@sentera.example" not in connected
    assert set(connected) <= {a["username"] for a in accounts}


async def test_password_change_for_unknown_account_is_404(asgi_http: httpx.AsyncClient) -> None:
    r = await asgi_http.post(
        "/_sandbox/sentera/password", json={"username": "ghost@sentera.example", "password": "x"}
    )
    assert_problem(r, 404)
    assert_problem(await asgi_http.post("/_sandbox/sentera/password", json={"username": 1}), 400)


async def test_record_event_and_sync(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    creds = await sentera_of(asgi_http, auth)
    uid = next(u for u, c in creds.items() if c is not None and c["status"] == "OK")
    r = await asgi_http.post(
        f"/_sandbox/sentera/{uid}/events", json={"statusCode": 401, "body": "nope"}
    )
    assert r.status_code == 201
    assert r.json()["status"] == "UNAUTHENTICATED"
    assert r.json()["event"]["createdDate"] == "2026-03-02T09:00:00.000000Z"
    events = (
        await asgi_http.get(
            f"{UM}/users/{uid}/sentera-credentials/events",
            params={"sort": "createdDate,desc"},
            headers=auth,
        )
    ).json()
    assert {"statusCode": 401, "body": "nope"}.items() <= events[0].items()
    # a sync with the right password heals it
    r = await asgi_http.post(f"/_sandbox/sentera/{uid}/sync")
    assert r.json()["status"] == "OK" and r.json()["event"]["statusCode"] == 200
    assert_problem(await asgi_http.post("/_sandbox/sentera/nope/sync"), 404)
    assert_problem(
        await asgi_http.post(f"/_sandbox/sentera/{uid}/events", json={"statusCode": 99}),
        400,
        "statusCode",
    )


async def test_counts(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    before = (await asgi_http.get("/_sandbox/counts")).json()
    assert before["support@sandbox.local"]["users"] == 40
    assert before["support@sandbox.local"]["links"] == 60
    uid = (await asgi_http.get(f"{UM}/users", params={"size": 1}, headers=auth)).json()[0]["id"]
    await asgi_http.post(f"{ML}/users/{uid}/file-upload", json={}, headers=auth)
    after = (await asgi_http.get("/_sandbox/counts")).json()
    assert after["support@sandbox.local"]["links"] == 61
    assert after["other@sandbox.local"] == before["other@sandbox.local"]


async def test_faults_settings_round_trip(asgi_http: httpx.AsyncClient) -> None:
    assert (await asgi_http.get("/_sandbox/faults")).json()["active"] is False
    r = await asgi_http.post("/_sandbox/faults", json={"error_rate": 1, "error_status": [503]})
    assert r.json()["error_rate"] == 1.0 and r.json()["active"] is True
    assert_problem(await asgi_http.post("/_sandbox/faults", json={"error_rate": 2}), 400)
    assert_problem(await asgi_http.post("/_sandbox/faults", json={"bogus": 1}), 400, "bogus")
    r = await asgi_http.post("/_sandbox/faults", json={"reset": True})
    assert r.json()["active"] is False


async def test_activity_ticks_on_demand(asgi_http: httpx.AsyncClient) -> None:
    """A test steps the simulator itself, so each of its steps holds the same activity."""
    before = (await asgi_http.get("/_sandbox/counts")).json()
    r = await asgi_http.post("/_sandbox/activity", json={"ticks": 50, "seed": 3})
    assert r.status_code == 200
    happened = r.json()["happened"]
    assert len(happened) == 50 and any(h.startswith("synced ") for h in happened)
    after = (await asgi_http.get("/_sandbox/counts")).json()
    assert after != before  # the syncs left events behind
    for body in ({}, {"ticks": 0}, {"ticks": 1001}, {"ticks": "many"}):
        r = await asgi_http.post("/_sandbox/activity", json=body)
        assert r.status_code == 400, body
