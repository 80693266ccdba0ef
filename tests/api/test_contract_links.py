"""Contract: magic links of all three kinds, against the sandbox (ASGI and loopback)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leaf_tui.api import (
    DEFAULT_BACKGROUND,
    EXPIRES_IN_DEFAULT,
    EXPIRES_IN_MAX,
    PROVIDERS,
    CreatedLink,
    Gone,
    Invalid,
    LeafUser,
    LinkKind,
    LinkRequest,
    LinkSettings,
    MagicLink,
    NotFound,
)
from leaf_tui.api.error_map import error_from_response

from .conftest import SANDBOX_NOW, Env

ML = "/services/widgets/api/magic-link"


async def a_user(env: Env) -> LeafUser:
    return (await env.client.users.list()).items[0]


def request_for(kind: LinkKind, **kw: object) -> LinkRequest:
    if kind is LinkKind.PROVIDER:
        kw.setdefault("allowed_providers", ("JohnDeere", "ClimateFieldView"))
    elif kind is LinkKind.AUTHENTICATION:
        kw.setdefault("provider", "CNHI")
    return LinkRequest(kind=kind, **kw)  # type: ignore[arg-type]


async def visit(env: Env, link: str) -> int:
    """Open the landing page as the grower would (a raw GET on the link itself)."""
    path = link.removeprefix(env.base_url)
    assert path.startswith("/magic-link/"), link
    return (await env.raw.get(path)).status_code


# --- listing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LinkKind))
async def test_list_each_kind_with_every_documented_field(env: Env, kind: LinkKind) -> None:
    links = await env.client.links.list(kind)
    assert links, f"the demo data has {kind.path} links"
    for link in links:
        assert isinstance(link, MagicLink)
        assert link.kind is kind and link.widget == kind.widget
        assert link.link == f"{env.base_url}/magic-link/{link.id}"
        assert link.leaf_user_id and link.created_at and link.expires_at
        assert link.created_at <= SANDBOX_NOW
        assert link.max_usage == 3 and link.usage_count is not None
        assert 0 <= link.usage_count <= link.max_usage
        assert link.settings.background_color
        assert link.settings.show_leaf_user_name is not None
        assert link.settings.disconnect_enabled is not None
        if kind is LinkKind.PROVIDER:
            assert link.allowed_providers and set(link.allowed_providers) <= set(PROVIDERS)
            assert link.providers == link.allowed_providers
        elif kind is LinkKind.AUTHENTICATION:
            assert link.provider in PROVIDERS and link.providers == (link.provider,)
        else:
            assert link.providers == ()


async def test_demo_links_are_in_every_state(env: Env) -> None:
    links = await env.client.links.list_all()
    soon = SANDBOX_NOW + timedelta(hours=1)
    assert any(link.is_expired(SANDBOX_NOW) for link in links)
    assert any(link.is_used_up for link in links)
    assert any(not link.is_expired(SANDBOX_NOW) and not link.is_used_up for link in links)
    assert any(
        link.expires_at and SANDBOX_NOW < link.expires_at < soon and not link.is_used_up
        for link in links
    )
    assert any(link.last_accessed_at is not None for link in links)
    assert any(link.last_accessed_at is None for link in links)


async def test_list_all_is_the_three_kinds_together(env: Env) -> None:
    every = await env.client.links.list_all()
    per_kind = [await env.client.links.list(kind) for kind in LinkKind]
    assert [link.id for link in every] == [link.id for links in per_kind for link in links]
    assert {link.kind for link in every} == set(LinkKind)


async def test_timestamps_in_lists_have_three_digits(env: Env) -> None:
    headers = {"Authorization": f"Bearer {env.client.token}"}
    raw = (await env.raw.get(f"{ML}/provider", headers=headers)).json()
    stamp = raw[0]["createdAt"]
    assert len(stamp.split(".")[1]) == 4  # 3 digits + Z
    link = next(
        li for li in await env.client.links.list(LinkKind.PROVIDER) if li.id == raw[0]["id"]
    )
    assert link.created_at is not None
    assert link.created_at.microsecond == int(stamp.split(".")[1][:3]) * 1000


async def test_get_matches_the_listed_link(env: Env) -> None:
    for kind in LinkKind:
        listed = (await env.client.links.list(kind))[0]
        assert await env.client.links.get(kind, listed.id) == listed


async def test_get_with_the_wrong_kind_or_id_is_not_found(env: Env) -> None:
    provider = (await env.client.links.list(LinkKind.PROVIDER))[0]
    with pytest.raises(NotFound) as caught:
        await env.client.links.get(LinkKind.FILE_UPLOAD, provider.id)
    assert str(caught.value).startswith(f"File upload magic link {provider.id} not found")
    with pytest.raises(NotFound):
        await env.client.links.get(LinkKind.PROVIDER, "no-such-link")


# --- creating ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LinkKind))
async def test_create_for_user_with_documented_defaults(env: Env, kind: LinkKind) -> None:
    user = await a_user(env)
    created = await env.client.links.create_for_user(user.id, request_for(kind))
    assert isinstance(created, CreatedLink)
    assert created.leaf_user_id == user.id
    assert created.link == f"{env.base_url}/magic-link/{created.id}"
    assert created.expires_at == SANDBOX_NOW + timedelta(seconds=EXPIRES_IN_DEFAULT)
    link = await env.client.links.get(kind, created.id)
    assert (link.kind, link.widget, link.leaf_user_id) == (kind, kind.widget, user.id)
    assert link.created_at == SANDBOX_NOW
    assert link.expires_at == created.expires_at
    assert link.last_accessed_at is None
    assert (link.max_usage, link.usage_count) == (3, 0)
    assert link.settings.background_color == DEFAULT_BACKGROUND
    assert link.settings.show_leaf_user_name is False
    assert link.settings.disconnect_enabled is False
    assert link.settings.company_name is None and link.settings.header_image is None
    assert link.settings.company_logo is None
    if kind is LinkKind.PROVIDER:
        assert link.allowed_providers == ("JohnDeere", "ClimateFieldView")
    elif kind is LinkKind.AUTHENTICATION:
        assert link.provider == "CNHI"
    assert created.id in {li.id for li in await env.client.links.list(kind)}


async def test_create_answer_has_nine_fractional_digits_and_parses(env: Env) -> None:
    user = await a_user(env)
    headers = {"Authorization": f"Bearer {env.client.token}"}
    raw = await env.raw.post(
        f"{ML}/users/{user.id}/file-upload", json={"expiresIn": 3600}, headers=headers
    )
    assert raw.status_code == 201
    body = raw.json()
    assert set(body) == {"id", "leafUserId", "link", "expiresAt"}
    assert len(body["expiresAt"].split(".")[1]) == 10  # 9 digits + Z
    link = await env.client.links.get(LinkKind.FILE_UPLOAD, body["id"])
    assert link.expires_at == SANDBOX_NOW + timedelta(hours=1)


async def test_create_with_every_setting_round_trips(env: Env) -> None:
    user = await a_user(env)
    settings = LinkSettings(
        background_color="#27ae60",
        header_image="https://cdn.example.com/header.png",
        company_logo="https://cdn.example.com/logo.svg",
        company_name="Heartland Co-op",
        show_leaf_user_name=True,
        disconnect_enabled=True,
    )
    request = LinkRequest(
        kind=LinkKind.PROVIDER,
        expires_in=EXPIRES_IN_MAX,
        allowed_providers=PROVIDERS,
        settings=settings,
    )
    created = await env.client.links.create_for_user(user.id, request)
    assert created.expires_at == SANDBOX_NOW + timedelta(seconds=EXPIRES_IN_MAX)
    link = await env.client.links.get(LinkKind.PROVIDER, created.id)
    assert link.settings == settings
    assert link.allowed_providers == PROVIDERS


async def test_string_booleans_in_settings_are_accepted(env: Env) -> None:
    # Leaf's own examples send "showLeafUserName": "true"
    user = await a_user(env)
    headers = {"Authorization": f"Bearer {env.client.token}"}
    body = {
        "expiresIn": 900,
        "provider": "Trimble",
        "settings": {"showLeafUserName": "true", "disconnectEnabled": "false"},
    }
    raw = await env.raw.post(f"{ML}/users/{user.id}/authentication", json=body, headers=headers)
    assert raw.status_code == 201, raw.text
    link = await env.client.links.get(LinkKind.AUTHENTICATION, raw.json()["id"])
    assert link.settings.show_leaf_user_name is True
    assert link.settings.disconnect_enabled is False


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (LinkRequest(LinkKind.FILE_UPLOAD, expires_in=899), "expiresIn"),
        (LinkRequest(LinkKind.FILE_UPLOAD, expires_in=31_622_401), "expiresIn"),
        (LinkRequest(LinkKind.PROVIDER, allowed_providers=("johndeere",)), "allowedProviders"),
        (LinkRequest(LinkKind.AUTHENTICATION), "provider"),
        (LinkRequest(LinkKind.AUTHENTICATION, provider="Sentera"), "provider"),
        (
            LinkRequest(LinkKind.FILE_UPLOAD, settings=LinkSettings(background_color="green")),
            "settings.backgroundColor",
        ),
    ],
)
async def test_invalid_requests_name_the_field(env: Env, request_: LinkRequest, field: str) -> None:
    user = await a_user(env)
    before = len(await env.client.links.list(request_.kind))
    with pytest.raises(Invalid) as caught:
        await env.client.links.create_for_user(user.id, request_)
    assert field in [f.field for f in caught.value.field_errors]
    assert field in str(caught.value)
    assert len(await env.client.links.list(request_.kind)) == before


async def test_create_for_an_unknown_user_is_not_found(env: Env) -> None:
    with pytest.raises(NotFound):
        await env.client.links.create_for_user(
            "00000000-0000-4000-8000-000000000000", request_for(LinkKind.FILE_UPLOAD)
        )


@pytest.mark.parametrize("kind", list(LinkKind))
async def test_create_with_user_creation_defaults_name_and_email(env: Env, kind: LinkKind) -> None:
    total = (await env.client.users.list()).total
    created = await env.client.links.create_with_user(request_for(kind), external_id="crm-77")
    assert created.leaf_user_id
    user = await env.client.users.get(created.leaf_user_id)
    assert (user.external_id, user.name, user.email) == ("crm-77", "crm-77", "crm-77")
    assert (await env.client.users.list()).total == (total or 0) + 1
    link = await env.client.links.get(kind, created.id)
    assert link.leaf_user_id == user.id and link.max_usage == 3


async def test_create_with_user_reuses_an_existing_external_id(env: Env) -> None:
    existing = next(u for u in (await env.client.users.list()).items if u.external_id)
    assert existing.external_id is not None
    total = (await env.client.users.list()).total
    created = await env.client.links.create_with_user(
        request_for(LinkKind.PROVIDER),
        external_id=existing.external_id,
        name="Ignored Name",
        email="ignored@example.com",
    )
    assert created.leaf_user_id == existing.id
    assert (await env.client.users.list()).total == total
    assert (await env.client.users.get(existing.id)).name == existing.name


async def test_create_with_user_sets_name_and_email(env: Env) -> None:
    created = await env.client.links.create_with_user(
        request_for(LinkKind.AUTHENTICATION, expires_in=7200),
        external_id="crm-88",
        name="Dana Field",
        email="dana@field.example",
    )
    assert created.expires_at == SANDBOX_NOW + timedelta(hours=2)
    assert created.leaf_user_id is not None
    user = await env.client.users.get(created.leaf_user_id)
    assert (user.name, user.email, user.external_id) == (
        "Dana Field",
        "dana@field.example",
        "crm-88",
    )


async def test_create_with_user_needs_an_external_id(env: Env) -> None:
    with pytest.raises(Invalid) as caught:
        await env.client.links.create_with_user(request_for(LinkKind.FILE_UPLOAD), external_id="")
    assert "externalId" in [f.field for f in caught.value.field_errors]


# --- using and deleting --------------------------------------------------------------------------


async def test_three_visits_use_a_link_up_and_the_fourth_is_gone(env: Env) -> None:
    user = await a_user(env)
    created = await env.client.links.create_for_user(user.id, request_for(LinkKind.PROVIDER))
    for n in range(1, 4):
        await env.control("POST", "clock", json={"advance": 10})
        assert await visit(env, created.link) == 200
        link = await env.client.links.get(LinkKind.PROVIDER, created.id)
        assert link.usage_count == n
        assert link.last_accessed_at == SANDBOX_NOW + timedelta(seconds=10 * n)
    assert link.is_used_up
    path = created.link.removeprefix(env.base_url)
    gone = await env.raw.get(path)
    assert gone.status_code == 410
    error = error_from_response(gone, method="GET", path=path, what="magic link")
    assert isinstance(error, Gone) and "used up" in str(error)
    assert (await env.client.links.get(LinkKind.PROVIDER, created.id)).usage_count == 3


async def test_an_expired_link_is_gone(env: Env) -> None:
    user = await a_user(env)
    created = await env.client.links.create_for_user(user.id, request_for(LinkKind.FILE_UPLOAD))
    await env.control("POST", "clock", json={"advance": EXPIRES_IN_DEFAULT + 1})
    link = await env.client.links.get(LinkKind.FILE_UPLOAD, created.id)
    assert link.is_expired(SANDBOX_NOW + timedelta(seconds=EXPIRES_IN_DEFAULT + 1))
    path = created.link.removeprefix(env.base_url)
    gone = await env.raw.get(path)
    assert gone.status_code == 410
    error = error_from_response(gone, method="GET", path=path, what="magic link")
    assert isinstance(error, Gone) and "expired" in str(error)
    assert (await env.client.links.get(LinkKind.FILE_UPLOAD, created.id)).usage_count == 0


@pytest.mark.parametrize("kind", list(LinkKind))
async def test_delete_then_gone_from_list_and_get(env: Env, kind: LinkKind) -> None:
    link = (await env.client.links.list(kind))[0]
    await env.client.links.delete(kind, link.id)
    with pytest.raises(NotFound):
        await env.client.links.get(kind, link.id)
    assert link.id not in {li.id for li in await env.client.links.list(kind)}
    with pytest.raises(NotFound):
        await env.client.links.delete(kind, link.id)
    assert await visit(env, link.link) == 404


async def test_owner_isolation_for_links(env: Env) -> None:
    mine = (await env.client.links.list(LinkKind.PROVIDER))[0]
    theirs = await env.other.links.list_all()
    assert mine.id not in {link.id for link in theirs}
    with pytest.raises(NotFound):
        await env.other.links.get(LinkKind.PROVIDER, mine.id)
    with pytest.raises(NotFound):
        await env.other.links.delete(LinkKind.PROVIDER, mine.id)
    my_user = await a_user(env)
    with pytest.raises(NotFound):
        await env.other.links.create_for_user(my_user.id, request_for(LinkKind.FILE_UPLOAD))
    # the other owner's externalId namespace is separate too
    if my_user.external_id:
        created = await env.other.links.create_with_user(
            request_for(LinkKind.FILE_UPLOAD), external_id=my_user.external_id
        )
        assert created.leaf_user_id != my_user.id
    assert await env.client.links.get(LinkKind.PROVIDER, mine.id) == mine
