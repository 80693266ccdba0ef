"""The grower's landing page: each visit counts a use and sets lastAccessedAt; 410 when
expired or used up (saying which); 404 for an unknown link."""

from __future__ import annotations

import httpx

from .helpers import ML, UM, assert_problem


async def _new_link(http: httpx.AsyncClient, auth: dict[str, str], **body: object) -> dict:
    uid = (await http.get(f"{UM}/users", params={"size": 1}, headers=auth)).json()[0]["id"]
    body = {"allowedProviders": ["JohnDeere", "Trimble"], **body}
    return (await http.post(f"{ML}/users/{uid}/provider", json=body, headers=auth)).json()


async def test_three_uses_then_410_used_up(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    created = await _new_link(
        asgi_http, auth, settings={"companyName": "Acme <Agronomy>", "backgroundColor": "#c0392b"}
    )
    page_path = f"/magic-link/{created['id']}"
    assert created["link"].endswith(page_path)
    for n in (1, 2, 3):
        await asgi_http.post("/_sandbox/clock", json={"advance": 10})
        r = await asgi_http.get(page_path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "Acme &lt;Agronomy&gt;" in r.text and "#c0392b" in r.text
        assert "Connect JohnDeere" in r.text and "Connect Trimble" in r.text
        link = (await asgi_http.get(f"{ML}/provider/{created['id']}", headers=auth)).json()
        assert link["usageCount"] == n
        assert link["lastAccessedAt"] == f"2026-03-02T09:00:{10 * n}.000Z"
    r = await asgi_http.get(page_path)
    assert r.status_code == 410 and "used up" in r.text and "3 of 3" in r.text
    link = (await asgi_http.get(f"{ML}/provider/{created['id']}", headers=auth)).json()
    assert link["usageCount"] == 3 and link["lastAccessedAt"] == "2026-03-02T09:00:30.000Z"


async def test_expired_link_is_410_expired(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    created = await _new_link(asgi_http, auth)
    await asgi_http.post("/_sandbox/clock", json={"advance": 899})
    assert (await asgi_http.get(f"/magic-link/{created['id']}")).status_code == 200
    await asgi_http.post("/_sandbox/clock", json={"advance": 1})
    r = await asgi_http.get(f"/magic-link/{created['id']}")
    assert r.status_code == 410 and "expired" in r.text and "used up" not in r.text
    assert r.headers["x-link-state"] == "expired"


async def test_unknown_link_is_404_page(asgi_http: httpx.AsyncClient) -> None:
    r = await asgi_http.get("/magic-link/not-a-link")
    assert r.status_code == 404 and "does not exist" in r.text


async def test_landing_shows_user_name_only_when_asked(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    user = (await asgi_http.get(f"{UM}/users", params={"size": 1}, headers=auth)).json()[0]
    shown = await _new_link(asgi_http, auth, settings={"showLeafUserName": "true"})
    hidden = await _new_link(asgi_http, auth)
    assert user["name"] in (await asgi_http.get(f"/magic-link/{shown['id']}")).text
    assert user["name"] not in (await asgi_http.get(f"/magic-link/{hidden['id']}")).text


async def test_control_visit_counts_like_the_page(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    created = await _new_link(asgi_http, auth)
    path = f"/_sandbox/links/{created['id']}/visit"
    for n in (1, 2, 3):
        r = await asgi_http.post(path)
        assert r.status_code == 200 and r.json()["usageCount"] == n
    assert_problem(await asgi_http.post(path), 410, "used up")
    assert_problem(await asgi_http.post("/_sandbox/links/nope/visit"), 404)
    other = await _new_link(asgi_http, auth)
    await asgi_http.post("/_sandbox/clock", json={"advance": 3600})
    assert_problem(await asgi_http.post(f"/_sandbox/links/{other['id']}/visit"), 410, "expired")


async def test_head_does_not_count_a_use(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    created = await _new_link(asgi_http, auth)
    assert (await asgi_http.head(f"/magic-link/{created['id']}")).status_code == 200
    link = (await asgi_http.get(f"{ML}/provider/{created['id']}", headers=auth)).json()
    assert link["usageCount"] == 0 and link["lastAccessedAt"] is None
