"""Sentera credentials: create against the fake Sentera world, the 400/404/409 paths, events,
and a changed password turning the credential UNAUTHENTICATED."""

from __future__ import annotations

import re

import httpx
import pytest

from .helpers import UM, assert_problem, login, sentera_of

USERS = f"{UM}/users"
GROWER = {
    "username": "grower@sentera.example",
    "password": "harvest-2026",
    "organizationName": "Prairie Farms",
}


async def _unconnected_user(http: httpx.AsyncClient, auth: dict[str, str]) -> str:
    return next(u for u, c in (await sentera_of(http, auth)).items() if c is None)


async def test_create_get_events_delete(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    path = f"{USERS}/{uid}/sentera-credentials"
    assert_problem(await asgi_http.get(path, headers=auth), 404, "sentera")

    r = await asgi_http.post(path, json=GROWER, headers=auth)
    assert r.status_code == 201
    cred = r.json()
    assert list(cred) == [
        "id",
        "status",
        "createdTime",
        "username",
        "authToken",
        "organizationId",
        "organizationName",
    ]
    assert cred["status"] == "OK"
    assert cred["username"] == GROWER["username"]
    assert cred["organizationName"] == "Prairie Farms"
    assert cred["createdTime"] == "2026-03-02T09:00:00.000000Z"  # six fractional digits
    assert cred["authToken"] and cred["authToken"] != GROWER["password"]
    assert "password" not in r.text.replace("password for", "")
    accounts = (await asgi_http.get("/_sandbox/sentera/accounts")).json()
    assert (
        "Prairie Farms"
        in next(a for a in accounts if a["username"] == GROWER["username"])["organizations"]
    )

    assert (await asgi_http.get(path, headers=auth)).json() == cred
    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    assert "senteraCredentials" not in user  # Leaf's user object does not carry it

    events = (await asgi_http.get(f"{path}/events", headers=auth)).json()
    assert len(events) == 1
    assert set(events[0]) == {"id", "createdDate", "statusCode", "headers", "body"}
    assert events[0]["statusCode"] == 200
    assert isinstance(events[0]["headers"], str) and isinstance(events[0]["body"], str)

    assert (await asgi_http.delete(path, headers=auth)).status_code == 204
    assert_problem(await asgi_http.get(path, headers=auth), 404)
    assert_problem(await asgi_http.get(f"{path}/events", headers=auth), 404)
    assert_problem(await asgi_http.delete(path, headers=auth), 404)


async def test_second_credential_is_409(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    path = f"{USERS}/{uid}/sentera-credentials"
    assert (await asgi_http.post(path, json=GROWER, headers=auth)).status_code == 201
    assert_problem(await asgi_http.post(path, json=GROWER, headers=auth), 409, "already")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"password": "wrong"}, ["sentera login failed", "grower@sentera.example"]),
        ({"username": "nobody@sentera.example"}, ["sentera login failed"]),
        ({"organizationName": "Nowhere Farms"}, ['"Nowhere Farms" not found', "Prairie Farms"]),
    ],
)
async def test_bad_login_or_organization_is_400(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], change: dict[str, str], words: list[str]
) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    r = await asgi_http.post(
        f"{USERS}/{uid}/sentera-credentials", json={**GROWER, **change}, headers=auth
    )
    assert_problem(r, 400, *words)
    assert_problem(await asgi_http.get(f"{USERS}/{uid}/sentera-credentials", headers=auth), 404)


async def test_organization_case_is_named_in_the_error(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    r = await asgi_http.post(
        f"{USERS}/{uid}/sentera-credentials",
        json={**GROWER, "organizationName": "prairie farms"},
        headers=auth,
    )
    body = assert_problem(r, 400)
    assert body["title"] == (
        'Organization "prairie farms" not found in Sentera; did you mean "Prairie Farms"? '
        "Names are case-sensitive."
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "x", "organizationName": "o"}, "username"),
        ({"username": "u", "organizationName": "o"}, "password"),
        ({"username": "u", "password": "p"}, "organizationName"),
        ({"username": 1, "password": "p", "organizationName": "o"}, "username"),
        ({"username": "u", "password": "p", "organizationName": "o" * 300}, "organizationName"),
    ],
)
async def test_create_validation(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], body: dict[str, object], field: str
) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    problem = assert_problem(
        await asgi_http.post(f"{USERS}/{uid}/sentera-credentials", json=body, headers=auth), 400
    )
    assert field in [e["field"] for e in problem["fieldErrors"]]  # type: ignore[union-attr]


async def test_unknown_user_is_404(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    for method in ("GET", "POST", "DELETE"):
        r = await asgi_http.request(
            method, f"{USERS}/nope/sentera-credentials", json=GROWER, headers=auth
        )
        assert_problem(r, 404, "leaf user")
    assert_problem(
        await asgi_http.get(f"{USERS}/nope/sentera-credentials/events", headers=auth), 404
    )


async def test_changed_password_turns_unauthenticated_on_next_sync(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    path = f"{USERS}/{uid}/sentera-credentials"
    await asgi_http.post(path, json=GROWER, headers=auth)
    r = await asgi_http.post(
        "/_sandbox/sentera/password",
        json={"username": GROWER["username"], "password": "new-pass-1"},
    )
    assert r.status_code == 200 and r.json()["credentials"] == 1
    assert (await asgi_http.get(path, headers=auth)).json()["status"] == "OK"  # not until a sync

    await asgi_http.post("/_sandbox/clock", json={"advance": 60})
    sync = (await asgi_http.post(f"/_sandbox/sentera/{uid}/sync")).json()
    assert sync["status"] == "UNAUTHENTICATED" and sync["event"]["statusCode"] == 401
    assert (await asgi_http.get(path, headers=auth)).json()["status"] == "UNAUTHENTICATED"
    events = (await asgi_http.get(f"{path}/events", headers=auth)).json()
    assert sorted(e["statusCode"] for e in events) == [200, 401]
    assert "password" in next(e for e in events if e["statusCode"] == 401)["body"]

    # the documented fix: delete and recreate with the new password
    assert_problem(await asgi_http.post(path, json=GROWER, headers=auth), 409)
    await asgi_http.delete(path, headers=auth)
    assert_problem(await asgi_http.post(path, json=GROWER, headers=auth), 400, "login failed")
    r = await asgi_http.post(path, json={**GROWER, "password": "new-pass-1"}, headers=auth)
    assert r.status_code == 201 and r.json()["status"] == "OK"


async def test_demo_has_healthy_and_broken_connections(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    creds = {u: c for u, c in (await sentera_of(asgi_http, auth)).items() if c is not None}
    statuses = {c["status"] for c in creds.values()}
    assert statuses == {"OK", "UNAUTHENTICATED"}
    bodies: list[str] = []
    for uid, cred in creds.items():
        events = (
            await asgi_http.get(f"{USERS}/{uid}/sentera-credentials/events", headers=auth)
        ).json()
        codes = [e["statusCode"] for e in sorted(events, key=lambda e: e["createdDate"])]
        if cred["status"] == "UNAUTHENTICATED":
            assert codes and codes[-1] in (401, 404), codes  # recent failures explain it
        bodies += [e["body"] for e in events if e["statusCode"] == 404]
    assert any(re.search(r"not found.*case-sensitive", b) for b in bodies)


async def test_events_are_kept_30_days(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    uid = await _unconnected_user(asgi_http, auth)
    path = f"{USERS}/{uid}/sentera-credentials"
    await asgi_http.post(path, json=GROWER, headers=auth)
    await asgi_http.post("/_sandbox/clock", json={"advance": 31 * 86400})
    await asgi_http.post(f"/_sandbox/sentera/{uid}/events", json={"statusCode": 200})
    auth = await login(asgi_http)  # the 30-day token has expired meanwhile
    events = (await asgi_http.get(f"{path}/events", headers=auth)).json()
    assert len(events) == 1 and events[0]["createdDate"].startswith("2026-04-02")
