"""Contract: the client survives Leaf's real answers (issue 14), against the sandbox switched to
answer as other servers might (/_sandbox/behaviour): one that pages, one that ignores paging,
and one that answers "no credential" with an empty or null 200. In process and over a real
loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from leaf_tui.api import LeafClient, LinkKind, NotFound

from .conftest import DEMO_OWNER, Env


class Recording(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def recorded(env: Env) -> AsyncIterator[tuple[LeafClient, Recording]]:
    inner: httpx.AsyncBaseTransport = (
        httpx.ASGITransport(app=env.sandbox_app)
        if env.sandbox_app is not None
        else httpx.AsyncHTTPTransport()
    )
    wire = Recording(inner)
    async with LeafClient(env.base_url, transport=wire) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        wire.requests.clear()
        yield client, wire
    await env.control("POST", "behaviour", json={"reset": True})


async def many_users(env: Env, count: int) -> None:
    for i in range(count):
        await env.client.users.create(name=f"Paged Grower {i:03}")


@pytest.mark.parametrize("paging", [True, False])
async def test_users_are_read_whole(
    env: Env, recorded: tuple[LeafClient, Recording], paging: bool
) -> None:
    client, wire = recorded
    await many_users(env, 130)  # 40 demo users + 130
    await env.control("POST", "behaviour", json={"paging": paging})
    users = await client.users.list_all()
    assert len(users) == len({u.id for u in users}) == 170
    pages = [r.url.params.get("page") for r in wire.requests]
    # by number, 100 at a time; a server that ignores paging is asked once, not again and again
    assert pages == (["0", "1"] if paging else ["0"])
    assert all(r.url.params.get("size") == "100" for r in wire.requests)


@pytest.mark.parametrize("paging", [True, False])
async def test_links_of_every_kind_are_read_whole(
    env: Env, recorded: tuple[LeafClient, Recording], paging: bool
) -> None:
    client, wire = recorded
    user = await env.client.users.create(name="Many Links")
    headers = {"Authorization": f"Bearer {env.client.token}"}
    for _ in range(110):
        r = await env.raw.post(
            f"/services/widgets/api/magic-link/users/{user.id}/file-upload",
            json={},
            headers=headers,
        )
        assert r.status_code == 201
    await env.control("POST", "behaviour", json={"paging": paging})
    links = await client.links.list(LinkKind.FILE_UPLOAD)
    mine = [link for link in links if link.leaf_user_id == user.id]
    assert len(mine) == 110 and len(links) == len({link.id for link in links})
    total = len(links)
    expected = [str(n) for n in range(-(-total // 100))] if paging else ["0"]
    assert [r.url.params.get("page") for r in wire.requests] == expected


@pytest.mark.parametrize("answer", ["404", "empty", "null"])
async def test_no_sentera_credential_in_every_shape(
    env: Env, recorded: tuple[LeafClient, Recording], answer: str
) -> None:
    client, _ = recorded
    user = await env.client.users.create(name="No Sentera")
    await env.control("POST", "behaviour", json={"noCredential": answer})
    raw = await env.raw.get(
        f"/services/usermanagement/api/users/{user.id}/sentera-credentials",
        headers={"Authorization": f"Bearer {env.client.token}"},
    )
    assert raw.status_code == (404 if answer == "404" else 200)
    assert raw.text == {"404": raw.text, "empty": "", "null": "null"}[answer]
    with pytest.raises(NotFound):
        await client.sentera.get(user.id)


async def test_paging_headers_as_leaf_documents(env: Env) -> None:
    headers = {"Authorization": f"Bearer {env.client.token}"}
    for path in (
        "/services/usermanagement/api/users",
        "/services/widgets/api/magic-link/provider",
    ):
        r = await env.raw.get(path, params={"page": 1, "size": 5}, headers=headers)
        assert len(r.json()) == 5 and int(r.headers["x-total-count"]) > 10
        link = r.headers["link"]
        assert " " not in link and not link.startswith("<http") and not link.startswith("</")
        assert 'page=2&size=5>;rel="next"' in link and 'page=0&size=5>;rel="first"' in link
    default = await env.raw.get("/services/usermanagement/api/users", headers=headers)
    assert len(default.json()) == 20
    capped = await env.raw.get(
        "/services/usermanagement/api/users", params={"size": 1000}, headers=headers
    )
    assert len(capped.json()) == 40 and "size=100" in capped.headers["link"]
