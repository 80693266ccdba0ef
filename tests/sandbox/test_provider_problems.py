"""Connections that break and heal (issue 16): the demo's problem growers, /_sandbox/providers
break/heal/sync/events, the activity simulator, and magic links completed by a grower."""

from __future__ import annotations

import json
import logging
import random

import httpx
import pytest
from starlette.applications import Starlette

from leaf_tui.sandbox import activity, provider_store
from leaf_tui.sandbox.app import create_app
from leaf_tui.sandbox.config import SandboxConfig
from leaf_tui.sandbox.provider_world import PROBLEMS, STATUS_OF

from .helpers import ML, UM, assert_problem

USERS = f"{UM}/users"
CONTROL = "/_sandbox/providers"


async def _events(http: httpx.AsyncClient, auth: dict[str, str], uid: str, seg: str) -> list:
    r = await http.get(f"{USERS}/{uid}/{seg}-credentials/events", headers=auth)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def _healthy(
    http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette, name: str
) -> str:
    for row in provider_store.credentials(sandbox_app.state.sandbox.store):
        if row["provider"] == name and row["status"] == "OK" and not row["problem"]:
            r = await http.get(f"{USERS}/{row['user_id']}", headers=auth)
            if r.status_code == 200:
                return str(row["user_id"])
    raise AssertionError(f"no healthy {name} connection in the demo")


async def test_demo_has_every_problem_with_matching_events(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette
) -> None:
    rows = provider_store.credentials(sandbox_app.state.sandbox.store)
    seen = {r["problem"] for r in rows}
    assert set(PROBLEMS) <= seen
    codes = {
        "revoked": 400,
        "missing_permission": 403,
        "org_not_granted": 403,
        "stage_vs_production": 401,
        "rate_limited": 429,
    }
    for row in rows:
        if row["owner"] != "support@sandbox.local":
            continue
        seg = {"JohnDeere": "john-deere", "CNHI": "cnhi"}.get(row["provider"])
        if seg is None or not row["problem"]:
            continue
        cred = await asgi_http.get(f"{USERS}/{row['user_id']}/{seg}-credentials", headers=auth)
        assert cred.json()["status"] == STATUS_OF[row["problem"]]
        newest = (await _events(asgi_http, auth, row["user_id"], seg))[0]
        if row["problem"] == "outage":
            assert newest["statusCode"] >= 500
        else:
            assert newest["statusCode"] == codes[row["problem"]]
        headers = json.loads(newest["headers"])
        if row["problem"] == "rate_limited":
            assert int(headers["Retry-After"][0]) > 0
        if row["problem"] == "revoked":
            assert json.loads(newest["body"])["error"] == "invalid_grant"
        if row["problem"] == "org_not_granted":
            assert "has not granted access" in newest["body"]
    # healthy connections are syncing: their newest event is a 200
    healthy = next(r for r in rows if r["provider"] == "JohnDeere" and not r["problem"])
    newest = (await _events(asgi_http, auth, healthy["user_id"], "john-deere"))[0]
    assert newest["statusCode"] == 200


@pytest.mark.parametrize("problem", PROBLEMS)
async def test_break_and_heal_john_deere(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette, problem: str
) -> None:
    uid = await _healthy(asgi_http, auth, sandbox_app, "JohnDeere")
    path = f"{USERS}/{uid}/john-deere-credentials"
    r = await asgi_http.post(f"{CONTROL}/JohnDeere/{uid}/break", json={"problem": problem})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == STATUS_OF[problem]
    assert (await asgi_http.get(path, headers=auth)).json()["status"] == STATUS_OF[problem]
    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    assert user["johnDeereCredentials"]["status"] == STATUS_OF[problem]
    newest = (await _events(asgi_http, auth, uid, "john-deere"))[0]
    assert newest["statusCode"] == r.json()["event"]["statusCode"] != 200
    # a sync while broken fails again
    r = await asgi_http.post(f"{CONTROL}/john-deere/{uid}/sync")
    assert r.json()["event"]["statusCode"] != 200

    r = await asgi_http.post(f"{CONTROL}/JohnDeere/{uid}/heal")
    assert r.json()["status"] == "OK" and r.json()["event"]["statusCode"] == 200
    assert (await asgi_http.get(path, headers=auth)).json()["status"] == "OK"


async def test_break_refuses_what_cannot_happen(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette
) -> None:
    uid = await _healthy(asgi_http, auth, sandbox_app, "RavenSlingshot")
    r = await asgi_http.post(f"{CONTROL}/RavenSlingshot/{uid}/break", json={"problem": "revoked"})
    assert_problem(r, 400, "refresh token")
    r = await asgi_http.post(f"{CONTROL}/RavenSlingshot/{uid}/break", json={"problem": "gone"})
    assert_problem(r, 400, "unknown problem")
    assert_problem(await asgi_http.post(f"{CONTROL}/Tractor/{uid}/heal"), 404, "Provider")
    assert_problem(await asgi_http.post(f"{CONTROL}/Stara/nobody/heal"), 404, "Stara")


async def test_recorded_event_sets_status(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette
) -> None:
    uid = await _healthy(asgi_http, auth, sandbox_app, "ClimateFieldView")
    r = await asgi_http.post(
        f"{CONTROL}/ClimateFieldView/{uid}/events",
        json={"statusCode": 403, "body": '{"error":"insufficient_scope"}'},
    )
    assert r.status_code == 201 and r.json()["status"] == "MISSING_PERMISSION"
    newest = (await _events(asgi_http, auth, uid, "climate-field-view"))[0]
    assert newest["body"] == '{"error":"insufficient_scope"}'
    r = await asgi_http.post(f"{CONTROL}/ClimateFieldView/{uid}/events", json={"statusCode": 42})
    assert_problem(r, 400, "statusCode")


async def test_creating_a_link_keeps_the_credential_and_completing_it_replaces_it(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], sandbox_app: Starlette
) -> None:
    uid = await _healthy(asgi_http, auth, sandbox_app, "JohnDeere")
    await asgi_http.post(f"{CONTROL}/JohnDeere/{uid}/break", json={"problem": "revoked"})
    path = f"{USERS}/{uid}/john-deere-credentials"
    before = (await asgi_http.get(path, headers=auth)).json()
    r = await asgi_http.post(
        f"{ML}/users/{uid}/authentication",
        json={"expiresIn": 3600, "provider": "JohnDeere"},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    assert (await asgi_http.get(path, headers=auth)).json() == before  # untouched
    visit = await asgi_http.post(f"/_sandbox/links/{r.json()['id']}/visit")
    assert visit.status_code == 200, visit.text
    after = (await asgi_http.get(path, headers=auth)).json()
    assert after["id"] != before["id"] and after["status"] == "OK"
    assert after["clientKey"] == before["clientKey"]  # the app's keys, a new grant
    assert after["refreshToken"] != before["refreshToken"]
    assert [e["statusCode"] for e in await _events(asgi_http, auth, uid, "john-deere")] == [200]


async def test_activity_ticks_sync_providers_and_statuses_change(
    asgi_http: httpx.AsyncClient, sandbox_app: Starlette
) -> None:
    store = sandbox_app.state.sandbox.store
    before = {r["id"]: r["status"] for r in provider_store.credentials(store)}
    r = await asgi_http.post("/_sandbox/activity", json={"ticks": 1000, "seed": 5})
    happened = r.json()["happened"]
    assert any("synced JohnDeere" in h for h in happened)
    assert any("began" in h for h in happened) and any("passed" in h for h in happened)
    after = {r["id"]: r["status"] for r in provider_store.credentials(store)}
    assert before != after


def test_provider_demo_and_ticks_are_deterministic(sandbox_config: SandboxConfig) -> None:
    def run() -> tuple[list[dict[str, object]], list[tuple[str, ...]]]:
        app = create_app(sandbox_config)
        try:
            sandbox = app.state.sandbox
            rng = random.Random(9)
            dump = sandbox.store.dump()
            seeded = dump["provider_credentials"] + dump["provider_events"]
            for _ in range(300):
                activity.tick(sandbox, rng)
            # a grower completing a link makes new ids; who is in which state is the same
            states = sorted(
                (r["user_id"], r["provider"], r["status"], r["problem"])
                for r in provider_store.credentials(sandbox.store)
            )
            return seeded, states
        finally:
            app.state.sandbox.close()

    first, second = run(), run()
    assert first == second
    assert len(first[0]) > 100 and first[1]


async def test_logs_never_carry_secrets(
    asgi_http: httpx.AsyncClient,
    auth: dict[str, str],
    sandbox_app: Starlette,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    uid = await _healthy(asgi_http, auth, sandbox_app, "RavenSlingshot")
    path = f"{USERS}/{uid}/raven-slingshot-credentials"
    secret = (await asgi_http.get(path, headers=auth)).json()["apiKey"]
    await asgi_http.post("/_sandbox/activity", json={"ticks": 300, "seed": 1})
    await asgi_http.post(f"{CONTROL}/RavenSlingshot/{uid}/break", json={"problem": "outage"})
    await asgi_http.delete(path, headers=auth)
    r = await asgi_http.post(path, json={"apiKey": 5}, headers=auth)  # a 400 echoes no secret
    assert r.status_code == 400
    assert secret not in caplog.text and secret not in r.text
