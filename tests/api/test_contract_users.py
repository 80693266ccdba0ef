"""Contract: authentication and Leaf users, against the sandbox (ASGI and loopback)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import httpx
import pytest

from leaf_tui.api import AuthError, Invalid, LeafClient, LeafUser, NotFound
from leaf_tui.api.auth import jwt_claims

from .conftest import DEMO_OWNER, SANDBOX_NOW, Env

# --- authentication -----------------------------------------------------------------------------


async def test_authenticate_gives_a_30_day_token_with_remember_me(env: Env) -> None:
    async with env.new_client() as client:
        token = await client.auth.authenticate(*DEMO_OWNER)
        assert client.token == token.id_token
    assert token.subject == "support@sandbox.local"
    assert token.expires_at == SANDBOX_NOW + timedelta(days=30)
    assert client.token_expires_at == token.expires_at
    claims = jwt_claims(token.id_token)
    assert claims["auth"] == "ROLE_USER"
    assert token.id_token not in repr(token)


async def test_authenticate_without_remember_me_gives_24_hours(env: Env) -> None:
    async with env.new_client() as client:
        token = await client.auth.authenticate(*DEMO_OWNER, remember_me=False)
    assert token.expires_at == SANDBOX_NOW + timedelta(hours=24)


async def test_remember_me_as_a_string_is_accepted(env: Env) -> None:
    # Leaf documents "rememberMe": "true" (a string); the sandbox must accept it as written
    body = {"username": DEMO_OWNER[0], "password": DEMO_OWNER[1], "rememberMe": "true"}
    response = await env.raw.post("/api/authenticate", json=body)
    assert response.status_code == 200
    claims = jwt_claims(response.json()["id_token"])
    assert claims["sub"] == DEMO_OWNER[0]
    assert claims["exp"] == int((SANDBOX_NOW + timedelta(days=30)).timestamp())


async def test_wrong_password_is_an_auth_error_that_says_so(env: Env) -> None:
    async with env.new_client() as client:
        with pytest.raises(AuthError) as caught:
            await client.auth.authenticate(DEMO_OWNER[0], "not-the-password")
        assert client.token is None
    assert caught.value.status == 401
    assert "Login failed for support@sandbox.local" in str(caught.value)
    assert "not-the-password" not in str(caught.value)


@pytest.mark.parametrize("token", [None, "garbage", "a.b.c"])
async def test_calls_without_a_valid_token_are_auth_errors(env: Env, token: str | None) -> None:
    async with env.new_client(token) as client:
        with pytest.raises(AuthError) as caught:
            await client.users.list()
    assert str(caught.value) == "Not signed in or the session expired: log in again"


async def test_an_expired_token_is_an_auth_error(env: Env) -> None:
    await env.control("POST", "clock", json={"advance": 31 * 86400})
    with pytest.raises(AuthError, match="log in again"):
        await env.client.users.list()


# --- listing and paging -------------------------------------------------------------------------


async def test_first_page_has_total_and_next(env: Env) -> None:
    page = await env.client.users.list()
    assert (page.page, page.size) == (0, 20)
    assert len(page.items) == 20
    assert page.total == 40
    assert page.has_next is True
    names = [u.name or "" for u in page.items]
    assert names == sorted(names, key=str.casefold) or names == sorted(names)


async def test_last_page_has_no_next(env: Env) -> None:
    page = await env.client.users.list(page=1, size=20)
    assert len(page.items) == 20 and page.has_next is False and page.total == 40
    beyond = await env.client.users.list(page=7, size=20)
    assert beyond.items == () and beyond.has_next is False


async def test_paging_headers_as_leaf_sends_them(env: Env) -> None:
    headers = {"Authorization": f"Bearer {env.client.token}"}
    response = await env.raw.get(
        "/services/usermanagement/api/users", params={"page": 1, "size": 15}, headers=headers
    )
    assert response.status_code == 200
    assert isinstance(response.json(), list)  # a bare array
    assert response.headers["X-Total-Count"] == "40"
    links = response.links
    assert {"next", "last", "first"} <= set(links)
    assert "page=2" in links["next"]["url"] and "size=15" in links["next"]["url"]
    assert "page=0" in links["first"]["url"]


async def test_page_size_is_capped_at_100(env: Env) -> None:
    page = await env.client.users.list(size=500)
    assert page.size == 100 and len(page.items) == 40 and page.has_next is False


async def test_sort_descending(env: Env) -> None:
    ascending = await env.client.users.list(size=40, sort="name,asc")
    descending = await env.client.users.list(size=40, sort="name,desc")
    assert [u.id for u in descending.items] == [u.id for u in reversed(ascending.items)]


async def test_pages_do_not_overlap_and_cover_everyone(env: Env) -> None:
    pages = [await env.client.users.list(page=n, size=7) for n in range(6)]
    ids = [u.id for p in pages for u in p.items]
    assert len(ids) == 40 == len(set(ids))
    assert [p.has_next for p in pages] == [True] * 5 + [False]


async def test_filters_email_and_external_id_exact_name_substring(env: Env) -> None:
    everyone = (await env.client.users.list(size=100)).items
    target = next(u for u in everyone if u.email and u.external_id and u.name)
    by_email = await env.client.users.list(email=target.email.upper())  # type: ignore[union-attr]
    assert [u.id for u in by_email.items] == [target.id] and by_email.total == 1
    by_external = await env.client.users.list(external_id=target.external_id)
    assert [u.id for u in by_external.items] == [target.id]
    part = target.name[1:4].lower()  # type: ignore[index]
    by_name = await env.client.users.list(name=part, size=100)
    assert target.id in [u.id for u in by_name.items]
    assert all(part in (u.name or "").lower() for u in by_name.items)
    nobody = await env.client.users.list(email="nobody@nowhere.example")
    assert nobody.items == () and nobody.total == 0 and nobody.has_next is False


async def test_list_all_pages_concurrently_with_progress(env: Env) -> None:
    progress: list[tuple[int, int | None]] = []
    users = await env.client.users.list_all(
        page_size=6, concurrency=3, on_progress=lambda n, t: progress.append((n, t))
    )
    assert len(users) == 40 == len({u.id for u in users})
    assert progress[0] == (6, 40) and progress[-1] == (40, 40)
    assert len(progress) == 7  # ceil(40 / 6) pages
    assert [n for n, _ in progress] == sorted(n for n, _ in progress)


async def test_list_all_never_exceeds_its_concurrency(sandbox_app: Any) -> None:
    """Instrument (not fake) the transport: count requests in flight against the sandbox."""

    class Counting(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.ASGITransport(app=sandbox_app)
            self.now = self.peak = self.calls = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)
            try:
                await asyncio.sleep(0.01)  # let the others start
                return await self.inner.handle_async_request(request)
            finally:
                self.now -= 1

    transport = Counting()
    async with LeafClient("http://sandbox.test", transport=transport) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        users = await client.users.list_all(page_size=4, concurrency=3)
    assert len(users) == 40
    assert transport.calls == 1 + 10  # login + 10 pages
    assert transport.peak == 3


# --- one user -------------------------------------------------------------------------------------


async def test_get_has_every_field(env: Env) -> None:
    listed = (await env.client.users.list(size=100)).items
    for summary in listed[:5]:
        user = await env.client.users.get(summary.id)
        assert user == summary
        assert user.id and (user.name or user.email or user.external_id)


async def test_create_then_get_then_delete(env: Env) -> None:
    address = {"street": "1 Field Rd", "city": "Ames", "state": "IA", "zipCode": "50010"}
    created = await env.client.users.create(
        name="Test Grower",
        email="test.grower@example.com",
        external_id="crm-0001",
        phone="+1 515 555 0100",
        address=address,
    )
    assert len(created.id) == 36
    assert (created.name, created.email, created.external_id, created.phone) == (
        "Test Grower",
        "test.grower@example.com",
        "crm-0001",
        "+1 515 555 0100",
    )
    assert created.address == address
    assert created.providers == ()
    assert await env.client.users.get(created.id) == created
    assert (await env.client.users.list()).total == 41
    await env.client.users.delete(created.id)
    with pytest.raises(NotFound, match=f"Leaf user {created.id} not found"):
        await env.client.users.get(created.id)
    with pytest.raises(NotFound):
        await env.client.users.delete(created.id)


async def test_create_with_nothing_is_invalid_with_field_errors(env: Env) -> None:
    with pytest.raises(Invalid) as caught:
        await env.client.users.create()
    assert caught.value.status == 400
    assert caught.value.field_errors
    assert "Leaf rejected the request" in str(caught.value)
    assert caught.value.field_errors[0].field == "name"


async def _connected_to_sentera_and_more(env: Env) -> LeafUser:
    for user in await env.client.users.list_all():
        if len(user.providers) > 1:
            with contextlib.suppress(NotFound):
                await env.client.sentera.get(user.id)
                return user
    raise AssertionError("the demo has growers with Sentera and other providers")


@pytest.mark.parametrize("patch", [True, False])
async def test_edit_keeps_every_credential(env: Env, patch: bool) -> None:
    """PATCH where the server has it; else (405) PUT of the user as read, credentials as
    references: either way no provider is unlinked and Sentera is never touched."""
    await env.control("POST", "behaviour", json={"patch": patch})
    try:
        user = await _connected_to_sentera_and_more(env)
        saved = await env.client.users.update(user, name="Renamed Grower", phone="555-0199")
        assert saved.name == "Renamed Grower" and saved.phone == "555-0199"
        again = await env.client.users.get(user.id)
        assert again.name == "Renamed Grower" and again.email == user.email
        assert again.providers == user.providers
        assert {k: v["id"] for k, v in again.credentials.items()} == {
            k: v["id"] for k, v in user.credentials.items()
        }
        assert (await env.client.sentera.get(user.id)).username  # Sentera untouched
    finally:
        await env.control("POST", "behaviour", json={"reset": True})


async def test_replace_unknown_user_is_not_found(env: Env) -> None:
    ghost = LeafUser(id="00000000-0000-4000-8000-000000000000", name="Nobody")
    with pytest.raises(NotFound):
        await env.client.users.replace(ghost)


async def test_credentials_are_put_back_as_references(env: Env) -> None:
    user = await env.client.users.create(name="Has Lindsay")
    lindsay = {"id": "x-1", "clientId": "k", "accessToken": "SECRET-TOKEN"}
    with_it = LeafUser(**{**user.__dict__, "credentials": {"lindsayCredentials": lindsay}})
    assert "SECRET-TOKEN" not in str(with_it.to_json())
    replaced = await env.client.users.replace(with_it)
    assert replaced.credentials["lindsayCredentials"] == {"id": "x-1"}


async def test_owner_isolation_for_users(env: Env) -> None:
    mine = (await env.client.users.list()).items[0]
    with pytest.raises(NotFound):
        await env.other.users.get(mine.id)
    with pytest.raises(NotFound):
        await env.other.users.delete(mine.id)
    theirs = await env.other.users.list(size=100)
    assert mine.id not in {u.id for u in theirs.items}
    assert await env.client.users.get(mine.id) == mine
