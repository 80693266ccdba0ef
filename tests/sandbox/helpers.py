"""Shared bits of the sandbox's HTTP tests: paths, logins, problem-JSON checks."""

from __future__ import annotations

import httpx

UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
DEMO = ("support@sandbox.local", "sandbox")
OTHER = ("other@sandbox.local", "sandbox")


async def login(http: httpx.AsyncClient, who: tuple[str, str] = DEMO) -> dict[str, str]:
    r = await http.post(
        "/api/authenticate", json={"username": who[0], "password": who[1], "rememberMe": True}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['id_token']}"}


async def read_pages(
    http: httpx.AsyncClient, path: str, auth: dict[str, str], **params: object
) -> list[dict[str, object]]:
    """Every item of a paged list: by page number, 100 at a time, up to X-Total-Count."""
    items: list[dict[str, object]] = []
    page = 0
    while True:
        r = await http.get(path, params={**params, "page": page, "size": 100}, headers=auth)
        assert r.status_code == 200, r.text
        items += r.json()
        if len(items) >= int(r.headers["x-total-count"]) or not r.json():
            return items
        page += 1


async def sentera_of(
    http: httpx.AsyncClient, auth: dict[str, str]
) -> dict[str, dict[str, object] | None]:
    """Each user's Sentera credential (None: none), asked of the credential endpoint: Leaf's
    user object does not carry it."""
    out: dict[str, dict[str, object] | None] = {}
    for user in await read_pages(http, f"{UM}/users", auth):
        r = await http.get(f"{UM}/users/{user['id']}/sentera-credentials", headers=auth)
        out[str(user["id"])] = r.json() if r.status_code == 200 else None
    return out


def assert_problem(r: httpx.Response, status: int, *words: str) -> dict[str, object]:
    """A problem-JSON answer in the shape Leaf is seen to send (no `detail`) with this status,
    whose title mentions every word."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert set(body) >= {"type", "title", "status", "path", "message", "errorKey"}
    assert "detail" not in body
    assert body["status"] == status
    assert body["path"] == r.request.url.path
    for word in words:
        assert word.lower() in (body["title"] + str(body.get("fieldErrors", ""))).lower(), body
    return body  # type: ignore[no-any-return]
