"""Magic links of all three kinds: list/get/create/delete, create with user creation, shapes,
defaults and validation."""

from __future__ import annotations

import re

import httpx
import pytest

from .helpers import ML, UM, assert_problem, read_pages

KINDS = {"provider": "PROVIDER", "authentication": "AUTHENTICATION", "file-upload": "FILEUPLOAD"}
PROVIDERS = [
    "JohnDeere",
    "ClimateFieldView",
    "CNHI",
    "AgLeader",
    "Trimble",
    "RavenSlingshot",
    "Stara",
]
BODIES = {
    "provider": {"allowedProviders": ["JohnDeere", "CNHI"]},
    "authentication": {"provider": "ClimateFieldView"},
    "file-upload": {},
}
LINK_KEYS = [
    "id",
    "link",
    "createdAt",
    "expiresAt",
    "lastAccessedAt",
    "leafUserId",
    "maxUsage",
    "usageCount",
    "widget",
    "settings",
]
MS3 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def _user_id(http: httpx.AsyncClient, auth: dict[str, str]) -> str:
    return (await http.get(f"{UM}/users", params={"size": 1}, headers=auth)).json()[0]["id"]


@pytest.mark.parametrize("kind", KINDS)
async def test_list_shapes(asgi_http: httpx.AsyncClient, auth: dict[str, str], kind: str) -> None:
    links = (await asgi_http.get(f"{ML}/{kind}", headers=auth)).json()
    assert isinstance(links, list) and links
    for link in links:
        extra = {"provider": ["allowedProviders"], "authentication": ["provider"]}.get(kind, [])
        assert list(link) == LINK_KEYS + extra
        assert link["widget"] == KINDS[kind]
        assert link["link"] == f"http://sandbox.test/magic-link/{link['id']}"
        assert link["maxUsage"] == 3 and 0 <= link["usageCount"] <= 3
        assert MS3.match(link["createdAt"]) and MS3.match(link["expiresAt"])
        assert link["lastAccessedAt"] is None or MS3.match(link["lastAccessedAt"])
        assert (link["lastAccessedAt"] is None) == (link["usageCount"] == 0)
        assert set(link["settings"]) == {
            "backgroundColor",
            "headerImage",
            "companyLogo",
            "companyName",
            "showLeafUserName",
            "disconnectEnabled",
        }
        if kind == "provider":
            assert link["allowedProviders"] and set(link["allowedProviders"]) <= set(PROVIDERS)
        if kind == "authentication":
            assert link["provider"] in PROVIDERS


async def test_demo_links_cover_every_state_of_every_kind(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    now = "2026-03-02T09:00:00.000Z"
    in_an_hour = "2026-03-02T10:00:00.000Z"
    for kind in KINDS:
        links = (await asgi_http.get(f"{ML}/{kind}", headers=auth)).json()
        states = set()
        for link in links:
            if link["expiresAt"] <= now:
                states.add("expired")
            elif link["usageCount"] >= link["maxUsage"]:
                states.add("used up")
            elif link["expiresAt"] <= in_an_hour:
                states.add("expiring")
            else:
                states.add("active")
        assert states == {"expired", "used up", "expiring", "active"}, kind
        assert any(link["settings"]["companyName"] for link in links)
        assert any(
            link["settings"]
            == {
                "backgroundColor": "#F5F5F5",
                "headerImage": None,
                "companyLogo": None,
                "companyName": None,
                "showLeafUserName": False,
                "disconnectEnabled": False,
            }
            for link in links
        )


@pytest.mark.parametrize("kind", KINDS)
async def test_create_for_user_get_delete(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], kind: str
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(f"{ML}/users/{uid}/{kind}", json=BODIES[kind], headers=auth)
    assert r.status_code == 201
    created = r.json()
    assert list(created) == ["id", "leafUserId", "link", "expiresAt"]
    assert created["leafUserId"] == uid
    assert created["link"] == f"http://sandbox.test/magic-link/{created['id']}"
    assert created["expiresAt"] == "2026-03-02T09:15:00.000000000Z"  # default 900 s, 9 digits

    link = (await asgi_http.get(f"{ML}/{kind}/{created['id']}", headers=auth)).json()
    assert link["createdAt"] == "2026-03-02T09:00:00.000Z"
    assert link["expiresAt"] == "2026-03-02T09:15:00.000Z"
    assert link["usageCount"] == 0 and link["lastAccessedAt"] is None
    assert link["settings"]["backgroundColor"] == "#F5F5F5"
    if kind == "provider":
        assert link["allowedProviders"] == ["JohnDeere", "CNHI"]
    if kind == "authentication":
        assert link["provider"] == "ClimateFieldView"
    ids = [x["id"] for x in await read_pages(asgi_http, f"{ML}/{kind}", auth)]
    assert ids[-1] == created["id"]

    # the other kinds' paths do not find it
    for other in KINDS:
        if other != kind:
            assert_problem(await asgi_http.get(f"{ML}/{other}/{created['id']}", headers=auth), 404)
    assert (await asgi_http.delete(f"{ML}/{kind}/{created['id']}", headers=auth)).status_code == 204
    assert_problem(await asgi_http.get(f"{ML}/{kind}/{created['id']}", headers=auth), 404)
    assert_problem(await asgi_http.delete(f"{ML}/{kind}/{created['id']}", headers=auth), 404)


async def test_full_settings_with_string_booleans(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _user_id(asgi_http, auth)
    settings = {
        "backgroundColor": "#27ae60",
        "headerImage": "https://cdn.example.com/h.jpg",
        "companyLogo": "http://cdn.example.com/l.png",
        "companyName": "Acme Agronomy",
        "showLeafUserName": "true",
        "disconnectEnabled": "TRUE",
    }
    r = await asgi_http.post(
        f"{ML}/users/{uid}/authentication",
        json={"provider": "Stara", "expiresIn": 31536000, "settings": settings},
        headers=auth,
    )
    assert r.status_code == 201
    assert r.json()["expiresAt"] == "2027-03-02T09:00:00.000000000Z"
    link = (await asgi_http.get(f"{ML}/authentication/{r.json()['id']}", headers=auth)).json()
    assert link["settings"] == {**settings, "showLeafUserName": True, "disconnectEnabled": True}


async def test_disconnect_is_accepted_but_off_for_file_upload(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(
        f"{ML}/users/{uid}/file-upload",
        json={"settings": {"disconnectEnabled": "true"}},
        headers=auth,
    )
    link = (await asgi_http.get(f"{ML}/file-upload/{r.json()['id']}", headers=auth)).json()
    assert link["settings"]["disconnectEnabled"] is False


async def test_documented_disconnected_enabled_spelling_is_accepted(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(
        f"{ML}/users/{uid}/provider",
        json={"allowedProviders": ["Trimble"], "settings": {"disconnectedEnabled": True}},
        headers=auth,
    )
    link = (await asgi_http.get(f"{ML}/provider/{r.json()['id']}", headers=auth)).json()
    assert link["settings"]["disconnectEnabled"] is True


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("provider", {"allowedProviders": "JohnDeere"}, "allowedProviders"),
        ("provider", {"allowedProviders": ["Other"]}, "allowedProviders"),
        ("provider", {"allowedProviders": ["johndeere"]}, "allowedProviders"),
        ("provider", {"allowedProviders": [7]}, "allowedProviders"),
        ("authentication", {}, "provider"),
        ("authentication", {"provider": "Valley"}, "provider"),
        ("authentication", {"provider": ["CNHI"]}, "provider"),
        ("file-upload", {"expiresIn": 899}, "expiresIn"),
        ("file-upload", {"expiresIn": 31_622_401}, "expiresIn"),
        ("file-upload", {"expiresIn": "900"}, "expiresIn"),
        ("file-upload", {"expiresIn": 900.5}, "expiresIn"),
        ("file-upload", {"expiresIn": True}, "expiresIn"),
        ("file-upload", {"expiresIn": 10**30}, "expiresIn"),
        ("file-upload", {"settings": "dark"}, "settings"),
        ("file-upload", {"settings": {"backgroundColor": "green"}}, "settings.backgroundColor"),
        ("file-upload", {"settings": {"backgroundColor": "#12345"}}, "settings.backgroundColor"),
        ("file-upload", {"settings": {"companyName": "x" * 101}}, "settings.companyName"),
        ("file-upload", {"settings": {"showLeafUserName": "yes"}}, "settings.showLeafUserName"),
    ],
)
async def test_create_validation(
    asgi_http: httpx.AsyncClient,
    auth: dict[str, str],
    kind: str,
    body: dict[str, object],
    field: str,
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(f"{ML}/users/{uid}/{kind}", json=body, headers=auth)
    problem = assert_problem(r, 400)
    assert field in [e["field"] for e in problem["fieldErrors"]]  # type: ignore[union-attr]
    assert field in problem["title"]  # type: ignore[operator]


async def test_unknown_provider_error_lists_the_valid_ones(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(
        f"{ML}/users/{uid}/authentication", json={"provider": "cnhi"}, headers=auth
    )
    assert_problem(r, 400, 'did you mean "CNHI"')
    r = await asgi_http.post(
        f"{ML}/users/{uid}/authentication", json={"provider": "Valley"}, headers=auth
    )
    assert_problem(r, 400, *PROVIDERS)


async def test_provider_duplicates_are_folded(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    uid = await _user_id(asgi_http, auth)
    r = await asgi_http.post(
        f"{ML}/users/{uid}/provider",
        json={"allowedProviders": ["CNHI", "Stara", "CNHI"]},
        headers=auth,
    )
    link = (await asgi_http.get(f"{ML}/provider/{r.json()['id']}", headers=auth)).json()
    assert link["allowedProviders"] == ["CNHI", "Stara"]


async def test_unknown_user_kind_and_link_are_404(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    assert_problem(
        await asgi_http.post(f"{ML}/users/nope/file-upload", json={}, headers=auth),
        404,
        "leaf user",
    )
    uid = await _user_id(asgi_http, auth)
    assert_problem(await asgi_http.post(f"{ML}/users/{uid}/widget", json={}, headers=auth), 404)
    assert_problem(await asgi_http.get(f"{ML}/widgets", headers=auth), 404)
    assert_problem(await asgi_http.get(f"{ML}/provider/nope", headers=auth), 404)


async def test_create_with_user_creation(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    r = await asgi_http.post(
        f"{ML}/provider",
        json={"externalId": "ext-42", "allowedProviders": ["JohnDeere"]},
        headers=auth,
    )
    assert r.status_code == 201
    uid = r.json()["leafUserId"]
    user = (await asgi_http.get(f"{UM}/users/{uid}", headers=auth)).json()
    assert (user["name"], user["email"], user["externalId"]) == ("ext-42", "ext-42", "ext-42")

    # the same externalId reuses the user; name and email are not updated
    r2 = await asgi_http.post(
        f"{ML}/file-upload",
        json={"externalId": "ext-42", "name": "New", "email": "n@x.example"},
        headers=auth,
    )
    assert r2.json()["leafUserId"] == uid
    assert (await asgi_http.get(f"{UM}/users/{uid}", headers=auth)).json()["name"] == "ext-42"

    r3 = await asgi_http.post(
        f"{ML}/authentication",
        json={
            "externalId": "ext-43",
            "name": "Jo Grain",
            "email": "jo@grain.example",
            "provider": "CNHI",
            "expiresIn": 3600,
        },
        headers=auth,
    )
    user3 = (await asgi_http.get(f"{UM}/users/{r3.json()['leafUserId']}", headers=auth)).json()
    assert (user3["name"], user3["email"]) == ("Jo Grain", "jo@grain.example")
    assert r3.json()["expiresAt"] == "2026-03-02T10:00:00.000000000Z"


async def test_create_with_existing_demo_user_by_external_id(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    user = (await asgi_http.get(f"{UM}/users", params={"size": 1}, headers=auth)).json()[0]
    total = (await asgi_http.get("/_sandbox/counts")).json()["support@sandbox.local"]["users"]
    r = await asgi_http.post(
        f"{ML}/file-upload", json={"externalId": user["externalId"]}, headers=auth
    )
    assert r.json()["leafUserId"] == user["id"]
    after = (await asgi_http.get("/_sandbox/counts")).json()["support@sandbox.local"]["users"]
    assert after == total


@pytest.mark.parametrize("body", [{}, {"externalId": ""}, {"externalId": 5}, {"name": "x"}])
async def test_create_with_user_needs_external_id(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], body: dict[str, object]
) -> None:
    problem = assert_problem(
        await asgi_http.post(f"{ML}/file-upload", json=body, headers=auth), 400
    )
    assert "externalId" in [e["field"] for e in problem["fieldErrors"]]  # type: ignore[union-attr]


async def test_link_urls_follow_the_request_host(sandbox_app: object, auth: dict[str, str]) -> None:
    transport = httpx.ASGITransport(app=sandbox_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://leaf.example:9443") as c:
        links = (await c.get(f"{ML}/provider", headers=auth)).json()
    assert links[0]["link"].startswith("https://leaf.example:9443/magic-link/")
