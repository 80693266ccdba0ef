"""Every provider's credential endpoints (issue 16): create, read, delete, the paged events
log, owner isolation, and the user object's `*Credentials` fields."""

from __future__ import annotations

import httpx
import pytest

from leaf_tui.sandbox.providers import PROVIDERS, USER_FIELDS, Provider
from leaf_tui.sandbox.server import RunningSandbox

from .helpers import UM, assert_problem, login

USERS = f"{UM}/users"


def body_for(provider: Provider) -> dict[str, str]:
    return {
        k: ("PRODUCTION" if k == "clientEnvironment" else f"{provider.segment}-{k}-value")
        for k in provider.body
    }


async def _user_without(http: httpx.AsyncClient, auth: dict[str, str], p: Provider) -> str:
    users = (await http.get(USERS, params={"size": 100}, headers=auth)).json()
    for user in users:
        path = f"{USERS}/{user['id']}/{p.segment}-credentials"
        if (await http.get(path, headers=auth)).status_code == 404:
            return str(user["id"])
    raise AssertionError(f"every demo user has {p.name} credentials")


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
async def test_create_read_events_delete(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], provider: Provider
) -> None:
    uid = await _user_without(asgi_http, auth, provider)
    path = f"{USERS}/{uid}/{provider.segment}-credentials"
    assert_problem(await asgi_http.get(path, headers=auth), 404, provider.label)
    assert_problem(await asgi_http.get(f"{path}/events", headers=auth), 404, provider.label)

    body = body_for(provider)
    r = await asgi_http.post(path, json=body, headers=auth)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["status"] == "OK"
    assert created["createdTime"] == "2026-03-02T09:00:00.000000Z"
    for key, value in body.items():
        # secrets come back in clear, as Leaf's docs show; passwords never
        assert created.get(key) == (None if key in provider.hidden else value)
    assert ("accessToken" in created) == (provider.access_token or "accessToken" in body)
    assert ("tokenMetadata" in created) == bool(provider.scopes)
    if provider.scopes:
        assert created["tokenMetadata"]["scopes"] == list(provider.scopes)

    assert (await asgi_http.get(path, headers=auth)).json() == created
    again = await asgi_http.post(path, json=body, headers=auth)
    assert_problem(again, 409, "already")

    events = await asgi_http.get(f"{path}/events", headers=auth)
    assert events.status_code == 200
    assert events.headers["X-Total-Count"] == "1"
    [event] = events.json()
    assert list(event) == ["id", "createdDate", "statusCode", "headers", "body"]
    assert event["statusCode"] == 200
    assert isinstance(event["headers"], str) and isinstance(event["body"], str)

    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    if provider.user_field:
        assert user[provider.user_field] == created
    assert not any(k.startswith(provider.name[0].lower() + provider.name[1:]) for k in user) or (
        provider.user_field
    )

    assert (await asgi_http.delete(path, headers=auth)).status_code == 204
    assert_problem(await asgi_http.get(path, headers=auth), 404, provider.label)
    assert_problem(await asgi_http.delete(path, headers=auth), 404, provider.label)
    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    assert provider.user_field not in user or user[provider.user_field].get("id") != created["id"]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
async def test_bad_bodies_name_the_field(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], provider: Provider
) -> None:
    uid = await _user_without(asgi_http, auth, provider)
    path = f"{USERS}/{uid}/{provider.segment}-credentials"
    required = next(k for k in provider.body if k not in provider.optional)
    body: dict[str, object] = {**body_for(provider), required: None}
    assert_problem(await asgi_http.post(path, json=body, headers=auth), 400, required)
    body = {**body_for(provider), required: 42}
    assert_problem(await asgi_http.post(path, json=body, headers=auth), 400, required)
    if provider.environments:
        body = {**body_for(provider), "clientEnvironment": "production"}
        assert_problem(await asgi_http.post(path, json=body, headers=auth), 400, "STAGE")
    assert_problem(await asgi_http.get(path, headers=auth), 404)  # nothing was made


async def test_unknown_provider_is_404(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    uid = (await asgi_http.get(USERS, params={"size": 1}, headers=auth)).json()[0]["id"]
    r = await asgi_http.get(f"{USERS}/{uid}/acme-credentials", headers=auth)
    assert_problem(r, 404)


async def test_another_owners_user_is_404(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    p = PROVIDERS[0]
    uid = await _user_without(asgi_http, auth, p)
    path = f"{USERS}/{uid}/{p.segment}-credentials"
    assert (await asgi_http.post(path, json=body_for(p), headers=auth)).status_code == 201
    for method in ("GET", "DELETE"):
        r = await asgi_http.request(method, path, headers=other_auth)
        assert_problem(r, 404, "Leaf user")
    assert_problem(await asgi_http.get(f"{path}/events", headers=other_auth), 404, "Leaf user")
    r = await asgi_http.post(path, json=body_for(p), headers=other_auth)
    assert_problem(r, 404, "Leaf user")
    assert (await asgi_http.get(path, headers=auth)).status_code == 200


async def test_events_page_like_other_lists(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    p = PROVIDERS[0]
    uid = await _user_without(asgi_http, auth, p)
    path = f"{USERS}/{uid}/{p.segment}-credentials"
    await asgi_http.post(path, json=body_for(p), headers=auth)
    for n in range(44):
        r = await asgi_http.post(
            f"/_sandbox/providers/{p.name}/{uid}/events",
            json={"statusCode": 200 if n % 2 else 503, "body": f"event {n}"},
        )
        assert r.status_code == 201, r.text
        await asgi_http.post("/_sandbox/clock", json={"advance": 60})

    first = await asgi_http.get(f"{path}/events", headers=auth)
    assert first.headers["X-Total-Count"] == "45"
    assert len(first.json()) == 20  # default size
    assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
    assert first.json()[0]["body"] == "event 43"  # newest first by default
    last = await asgi_http.get(f"{path}/events", params={"page": 2}, headers=auth)
    assert len(last.json()) == 5
    assert 'rel="next"' not in last.headers["Link"]
    big = await asgi_http.get(f"{path}/events", params={"size": 1000}, headers=auth)
    assert len(big.json()) == 45  # size is capped at 100
    oldest = await asgi_http.get(
        f"{path}/events", params={"sort": "createdDate,asc", "size": 2}, headers=auth
    )
    assert [e["statusCode"] for e in oldest.json()] == [200, 503]
    dates = [e["createdDate"] for e in big.json()]
    assert dates == sorted(dates, reverse=True)
    r = await asgi_http.get(f"{path}/events", params={"sort": "statusCode,asc"}, headers=auth)
    assert_problem(r, 400, "sort")
    assert_problem(await asgi_http.get(f"{path}/events?page=-1", headers=auth), 400, "page")


async def test_user_object_carries_only_documented_fields(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    r = await asgi_http.post(
        USERS,
        json={
            "name": "Fields Test",
            "johnDeereCredentials": {"id": "earlier-jd-credential"},
            "agvanceCredentials": {"id": "not-in-the-user-object"},
            "acmeCredentials": {"id": "nobody-documents-this"},
        },
        headers=auth,
    )
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    extra = {k for k in user if k.endswith("Credentials")} - {"senteraCredentials"}
    assert extra <= set(USER_FIELDS)
    assert "agvanceCredentials" not in user and "acmeCredentials" not in user
    listed = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    for u in listed:
        assert {k for k in u if k.endswith("Credentials")} - {"senteraCredentials"} <= set(
            USER_FIELDS
        )


async def test_contract_over_a_real_socket(live_sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=live_sandbox.base_url, timeout=10) as http:
        auth = await login(http)
        users = (await http.get(USERS, params={"size": 100}, headers=auth)).json()
        uid = users[-1]["id"]
        for p in PROVIDERS:
            path = f"{USERS}/{uid}/{p.segment}-credentials"
            await http.delete(path, headers=auth)  # the demo may have given one
            r = await http.post(path, json=body_for(p), headers=auth)
            assert r.status_code == 201, (p.name, r.text)
            got = await http.get(path, headers=auth)
            assert got.json() == r.json()
            events = await http.get(f"{path}/events", params={"size": 5}, headers=auth)
            assert events.headers["X-Total-Count"] == "1"
            assert events.json()[0]["statusCode"] == 200
        user = (await http.get(f"{USERS}/{uid}", headers=auth)).json()
        assert {k for k in user if k.endswith("Credentials")} - {"senteraCredentials"} == set(
            USER_FIELDS
        )
        for p in PROVIDERS:
            r = await http.delete(f"{USERS}/{uid}/{p.segment}-credentials", headers=auth)
            assert r.status_code == 204


async def test_put_unlinks_the_user_object_credentials_it_leaves_out(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = (await asgi_http.post(USERS, json={"name": "Put Test"}, headers=auth)).json()["id"]
    for name in ("JohnDeere", "Lindsay", "Agvance"):
        p = next(x for x in PROVIDERS if x.name == name)
        r = await asgi_http.post(
            f"{USERS}/{uid}/{p.segment}-credentials", json=body_for(p), headers=auth
        )
        assert r.status_code == 201
    user = (await asgi_http.get(f"{USERS}/{uid}", headers=auth)).json()
    # sent back whole (as the client does), every credential stays
    r = await asgi_http.put(USERS, json={**user, "name": "Put Test 2"}, headers=auth)
    assert r.status_code == 200
    assert r.json()["johnDeereCredentials"] == user["johnDeereCredentials"]
    # a reference by id keeps it too; leaving Lindsay out unlinks it; Agvance is not in the
    # user object, so a PUT never touches it
    body = {"id": uid, "name": "Put Test 3", "johnDeereCredentials": {"id": "x"}}
    r = await asgi_http.put(USERS, json=body, headers=auth)
    assert r.json()["johnDeereCredentials"]["status"] == "OK"
    assert "lindsayCredentials" not in r.json()
    assert (
        await asgi_http.get(f"{USERS}/{uid}/lindsay-credentials", headers=auth)
    ).status_code == 404
    assert (
        await asgi_http.get(f"{USERS}/{uid}/agvance-credentials", headers=auth)
    ).status_code == 200


async def test_patch_null_unlinks_and_leaves_the_rest(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = (await asgi_http.post(USERS, json={"name": "Patch Test"}, headers=auth)).json()["id"]
    for name in ("Trimble", "Valley"):
        p = next(x for x in PROVIDERS if x.name == name)
        r = await asgi_http.post(
            f"{USERS}/{uid}/{p.segment}-credentials", json=body_for(p), headers=auth
        )
        assert r.status_code == 201
    r = await asgi_http.patch(f"{USERS}/{uid}", json={"trimbleCredentials": None}, headers=auth)
    assert r.status_code == 200, r.text
    assert "trimbleCredentials" not in r.json() and r.json()["valleyCredentials"]["status"] == "OK"
    gone = await asgi_http.get(f"{USERS}/{uid}/trimble-credentials", headers=auth)
    assert gone.status_code == 404
