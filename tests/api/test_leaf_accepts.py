"""Contract: the sandbox accepts what real Leaf accepts (issue 14, leaf-api-notes.md), and the
client reads what comes back. Each test runs in process and over a real loopback socket."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from leaf_tui.api import EXPIRES_IN_MAX, PROVIDERS, Invalid, LinkKind
from leaf_tui.api.models import ALL_PROVIDERS
from leaf_tui.domain.link_cells import static_cells
from leaf_tui.tui.screens.wizard.prefill import WizardPrefill

from .conftest import Env

UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
PROBLEM_KEYS = {"type", "title", "status", "path", "message", "errorKey"}


def auth(env: Env) -> dict[str, str]:
    return {"Authorization": f"Bearer {env.client.token}"}


async def a_user_id(env: Env) -> str:
    return (await env.client.users.create(name="Accepting Grower")).id


async def post_raw(env: Env, path: str, content: bytes | str) -> httpx.Response:
    """A body sent as written, with curl's form Content-Type (as Leaf's docs examples do)."""
    headers = {**auth(env), "Content-Type": "application/x-www-form-urlencoded"}
    data = content.encode() if isinstance(content, str) else content
    return await env.raw.post(path, content=data, headers=headers)


@pytest.mark.parametrize("body", [{"expiresIn": 900}, {"allowedProviders": ["All"]}, {}])
async def test_provider_link_for_all_providers(env: Env, body: dict[str, Any]) -> None:
    uid = await a_user_id(env)
    r = await env.raw.post(f"{ML}/users/{uid}/provider", json=body, headers=auth(env))
    assert r.status_code == 201, r.text
    raw = await env.raw.get(f"{ML}/provider/{r.json()['id']}", headers=auth(env))
    assert raw.json()["allowedProviders"] == ["All"]
    link = await env.client.links.get(LinkKind.PROVIDER, r.json()["id"])
    assert link.providers == (ALL_PROVIDERS,)
    # the Links table's cell, and a renewal offers every provider
    assert static_cells(link, "x")["providers"][0] == "All"
    assert WizardPrefill.from_link(link, None).providers == PROVIDERS


async def test_all_among_other_providers_means_all(env: Env) -> None:
    uid = await a_user_id(env)
    body = {"allowedProviders": ["CNHI", "All"]}
    r = await env.raw.post(f"{ML}/users/{uid}/provider", json=body, headers=auth(env))
    assert r.status_code == 201, r.text
    link = await env.client.links.get(LinkKind.PROVIDER, r.json()["id"])
    assert link.allowed_providers == ("All",)


async def test_expires_in_up_to_366_days(env: Env) -> None:
    uid = await a_user_id(env)
    ok = await env.raw.post(
        f"{ML}/users/{uid}/file-upload", json={"expiresIn": 31_622_400}, headers=auth(env)
    )
    assert ok.status_code == 201, ok.text
    too_long = await env.raw.post(
        f"{ML}/users/{uid}/file-upload", json={"expiresIn": 31_622_401}, headers=auth(env)
    )
    assert too_long.status_code == 400
    assert [e["field"] for e in too_long.json()["fieldErrors"]] == ["expiresIn"]
    # the client's "one year" stays today's text
    assert EXPIRES_IN_MAX == 31_536_000


@pytest.mark.parametrize(
    "path", [f"{UM}/users/", f"{ML}/provider/", f"{ML}/authentication/", f"{ML}/file-upload/"]
)
async def test_trailing_slash_is_answered_directly(env: Env, path: str) -> None:
    r = await env.raw.get(path, headers=auth(env), follow_redirects=False)
    assert r.status_code == 200, r.text
    without = await env.raw.get(path.rstrip("/"), headers=auth(env))
    assert r.json() == without.json()
    assert r.headers.get("x-total-count") == without.headers.get("x-total-count")


async def test_trailing_slash_on_create_and_get(env: Env) -> None:
    r = await env.raw.post(f"{UM}/users/", json={"name": "Slash"}, headers=auth(env))
    assert r.status_code == 201, r.text
    got = await env.raw.get(f"{UM}/users/{r.json()['id']}/", headers=auth(env))
    assert got.status_code == 200 and got.json()["name"] == "Slash"


async def test_unknown_fields_and_trailing_content_are_ignored(env: Env) -> None:
    r = await post_raw(
        env, f"{UM}/users", '{"name": "Extra", "favouriteCrop": "oats"} and then some text'
    )
    assert r.status_code == 201, r.text
    assert "favouriteCrop" not in r.json()
    uid = r.json()["id"]
    r = await post_raw(
        env,
        f"{ML}/users/{uid}/file-upload",
        '{"expiresIn": 1800, "utm": {"source": "x"}}\n{"expiresIn": 5}',
    )
    assert r.status_code == 201, r.text


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("provider", {"allowedProviders": ["CNHI"], "provider": "Stara"}),
        ("authentication", {"provider": "CNHI", "allowedProviders": ["Stara", "Nonsense"]}),
        ("file-upload", {"provider": "CNHI", "allowedProviders": ["Nonsense"]}),
    ],
)
async def test_fields_of_another_kind_are_ignored(
    env: Env, kind: str, body: dict[str, Any]
) -> None:
    uid = await a_user_id(env)
    r = await env.raw.post(f"{ML}/users/{uid}/{kind}", json=body, headers=auth(env))
    assert r.status_code == 201, r.text
    link = await env.client.links.get(LinkKind.from_path(kind), r.json()["id"])
    assert link.providers == {"provider": ("CNHI",), "authentication": ("CNHI",)}.get(kind, ())


async def test_header_image_and_logo_are_stored_as_sent(env: Env) -> None:
    uid = await a_user_id(env)
    settings = {"headerImage": "banner.png", "companyLogo": "not a url at all"}
    r = await env.raw.post(
        f"{ML}/users/{uid}/file-upload", json={"settings": settings}, headers=auth(env)
    )
    assert r.status_code == 201, r.text
    link = await env.client.links.get(LinkKind.FILE_UPLOAD, r.json()["id"])
    assert (link.settings.header_image, link.settings.company_logo) == (
        "banner.png",
        "not a url at all",
    )


async def test_error_bodies_have_leafs_shape(env: Env) -> None:
    uid = await a_user_id(env)
    bad = await env.raw.post(
        f"{ML}/users/{uid}/authentication", json={"provider": "Sentera"}, headers=auth(env)
    )
    body = bad.json()
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert set(body) == PROBLEM_KEYS | {"fieldErrors"}
    assert "Sentera" in body["title"] and body["errorKey"] == "validation"
    assert body["fieldErrors"][0]["field"] == "provider"
    missing = await env.raw.get(f"{UM}/users/no-such-user", headers=auth(env))
    assert set(missing.json()) == PROBLEM_KEYS and "not found" in missing.json()["title"]
    # the client reads the text from the title: nothing relies on a `detail`
    with pytest.raises(Invalid) as caught:
        await env.client.sentera.create(uid, "", "", "")
    assert "username" in str(caught.value)
    assert caught.value.detail and "Invalid Sentera credentials" in caught.value.detail
