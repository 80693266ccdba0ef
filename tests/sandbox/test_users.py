"""Leaf users: paging headers, filters, sort, get/create/replace/delete and their errors."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import httpx
import pytest

from .helpers import UM, assert_problem, sentera_of

USERS = f"{UM}/users"


def _links(header: str) -> dict[str, str]:
    """rel -> URL, resolved as Leaf's are: relative to the service root, no spaces."""
    assert " " not in header
    base = "http://sandbox.test/services/usermanagement/"
    return {rel: urljoin(base, url) for url, rel in re.findall(r'<([^>]+)>;rel="(\w+)"', header)}


async def test_list_is_a_bare_array_with_paging_headers(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    r = await asgi_http.get(USERS, headers=auth)
    assert r.status_code == 200
    assert isinstance(r.json(), list) and len(r.json()) == 20  # default size
    assert r.headers["x-total-count"] == "40"
    links = _links(r.headers["link"])
    assert set(links) == {"next", "last", "first"}
    assert links["next"] == f"http://sandbox.test{USERS}?page=1&size=20"
    assert links["last"].endswith("page=1&size=20")
    assert links["first"].endswith("page=0&size=20")

    r2 = await asgi_http.get(links["next"], headers=auth)
    assert len(r2.json()) == 20
    assert set(_links(r2.headers["link"])) == {"last", "first"}
    ids = {u["id"] for u in r.json()} | {u["id"] for u in r2.json()}
    assert len(ids) == 40  # pages do not overlap


async def test_paging_walks_every_user_once(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    seen: list[str] = []
    url: str | None = f"{USERS}?size=7"
    while url:
        r = await asgi_http.get(url, headers=auth)
        seen += [u["id"] for u in r.json()]
        url = _links(r.headers["link"]).get("next")
    assert len(seen) == len(set(seen)) == 40


async def test_size_is_capped_at_100_and_page_past_end_is_empty(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    r = await asgi_http.get(USERS, params={"size": 1000}, headers=auth)
    assert len(r.json()) == 40
    assert "size=100" in r.headers["link"]
    r = await asgi_http.get(USERS, params={"page": 9}, headers=auth)
    assert r.json() == [] and r.headers["x-total-count"] == "40"


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "x"},
        {"size": "0"},
        {"size": "abc"},
        {"sort": "password,asc"},
        {"sort": "name,sideways"},
    ],
)
async def test_bad_paging_parameters_are_400(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], params: dict[str, str]
) -> None:
    assert_problem(await asgi_http.get(USERS, params=params, headers=auth), 400)


async def test_sort_by_name_both_ways(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    up = (await asgi_http.get(USERS, params={"size": 100, "sort": "name,asc"}, headers=auth)).json()
    down = (
        await asgi_http.get(USERS, params={"size": 100, "sort": "name,desc"}, headers=auth)
    ).json()
    names = [u["name"].casefold() for u in up]
    assert names == sorted(names)
    assert [u["name"].casefold() for u in down] == sorted(names, reverse=True)
    by_ext = await asgi_http.get(
        USERS, params={"size": 100, "sort": "externalId,desc"}, headers=auth
    )
    exts = [u["externalId"] for u in by_ext.json()]
    assert exts == sorted(exts, reverse=True)


async def test_filters_email_and_external_id_exact_name_substring(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    everyone = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    target = everyone[5]
    r = await asgi_http.get(USERS, params={"email": target["email"].upper()}, headers=auth)
    assert [u["id"] for u in r.json()] == [target["id"]]
    assert r.headers["x-total-count"] == "1"
    r = await asgi_http.get(USERS, params={"email": target["email"][:-2]}, headers=auth)
    assert r.json() == []  # exact, not prefix
    r = await asgi_http.get(
        USERS, params={"externalId": target["externalId"].lower()}, headers=auth
    )
    assert [u["id"] for u in r.json()] == [target["id"]]
    part = target["name"].split()[-1][1:4].upper()
    r = await asgi_http.get(USERS, params={"name": part, "size": 100}, headers=auth)
    expected = {u["id"] for u in everyone if part.casefold() in u["name"].casefold()}
    assert {u["id"] for u in r.json()} == expected and target["id"] in expected
    assert f"name={part}" in r.headers["link"]  # filters kept in the paging links


async def test_user_shape(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    users = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    for user in users:
        assert list(user)[:6] == ["id", "name", "email", "phone", "address", "externalId"]
        for key in user:
            assert key in {"id", "name", "email", "phone", "address", "externalId"} or key.endswith(
                "Credentials"
            )
    assert not any("senteraCredentials" in u for u in users)  # not in Leaf's user object
    connected = [c for c in (await sentera_of(asgi_http, auth)).values() if c is not None]
    assert connected, "the demo connects some growers to Sentera"
    cred = connected[0]
    assert set(cred) == {
        "id",
        "status",
        "createdTime",
        "username",
        "authToken",
        "organizationId",
        "organizationName",
    }
    assert any("johnDeereCredentials" in u for u in users)


async def test_create_get_replace_delete(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    body = {
        "name": "Nora Field",
        "email": "nora@field.example",
        "phone": "+1 555 0100",
        "address": "1 Main St",
        "externalId": "CRM-NEW-1",
    }
    r = await asgi_http.post(USERS, json=body, headers=auth)
    assert r.status_code == 201
    created = r.json()
    assert {k: created[k] for k in body} == body
    assert r.headers["location"].endswith(created["id"])

    got = (await asgi_http.get(f"{USERS}/{created['id']}", headers=auth)).json()
    assert got == created

    replaced = {
        **created,
        "name": "Nora Fields",
        "phone": None,
        "johnDeereCredentials": {"id": "jd-1", "status": "OK"},
    }
    r = await asgi_http.put(USERS, json=replaced, headers=auth)
    assert r.status_code == 200
    assert r.json()["name"] == "Nora Fields" and r.json()["phone"] is None
    assert r.json()["johnDeereCredentials"] == {"id": "jd-1", "status": "OK"}

    r = await asgi_http.put(
        USERS, json={k: v for k, v in replaced.items() if k != "johnDeereCredentials"}, headers=auth
    )
    assert "johnDeereCredentials" not in r.json()  # left out = unlinked

    total = int((await asgi_http.get(USERS, headers=auth)).headers["x-total-count"])
    assert (await asgi_http.delete(f"{USERS}/{created['id']}", headers=auth)).status_code == 204
    assert_problem(await asgi_http.get(f"{USERS}/{created['id']}", headers=auth), 404)
    assert_problem(await asgi_http.delete(f"{USERS}/{created['id']}", headers=auth), 404)
    assert int((await asgi_http.get(USERS, headers=auth)).headers["x-total-count"]) == total - 1


async def test_address_may_be_an_object(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    address = {"street": "1 Main St", "city": "Ames", "state": "IA"}
    r = await asgi_http.post(USERS, json={"name": "A", "address": address}, headers=auth)
    assert r.status_code == 201 and r.json()["address"] == address


async def test_put_unlinks_only_what_the_user_object_carries(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    creds = await sentera_of(asgi_http, auth)
    users = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    user = next(u for u in users if creds[u["id"]] is not None and "johnDeereCredentials" in u)
    bare = {k: v for k, v in user.items() if not k.endswith("Credentials")}
    jd = f"{USERS}/{user['id']}/john-deere-credentials"
    # a credential sent by reference, as Leaf's docs link them, keeps the grower's connection
    ref = {**bare, "johnDeereCredentials": {"id": user["johnDeereCredentials"]["id"]}}
    r = await asgi_http.put(USERS, json=ref, headers=auth)
    assert r.json()["johnDeereCredentials"]["id"] == user["johnDeereCredentials"]["id"]
    assert (await asgi_http.get(jd, headers=auth)).status_code == 200
    # left out: the John Deere connection is unlinked, Sentera (not in the user object) is not
    r = await asgi_http.put(USERS, json=bare, headers=auth)
    assert r.status_code == 200 and "senteraCredentials" not in r.json()
    assert "johnDeereCredentials" not in r.json()
    assert_problem(await asgi_http.get(jd, headers=auth), 404)
    kept = await asgi_http.get(f"{USERS}/{user['id']}/sentera-credentials", headers=auth)
    assert kept.status_code == 200 and kept.json() == creds[user["id"]]  # never touched


async def test_patch_changes_only_the_fields_given(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    users = (await asgi_http.get(USERS, params={"size": 100}, headers=auth)).json()
    user = next(u for u in users if "johnDeereCredentials" in u)
    r = await asgi_http.patch(f"{USERS}/{user['id']}", json={"phone": "555-0100"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json() == {**user, "phone": "555-0100"}
    assert_problem(
        await asgi_http.patch(f"{USERS}/{user['id']}", json={"id": "other"}, headers=auth), 400
    )
    assert_problem(await asgi_http.patch(f"{USERS}/nobody", json={}, headers=auth), 404)
    await asgi_http.post("/_sandbox/behaviour", json={"patch": False})
    assert_problem(await asgi_http.patch(f"{USERS}/{user['id']}", json={}, headers=auth), 405)


async def test_deleting_a_user_removes_their_links(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    ml = "/services/widgets/api/magic-link"
    user = (await asgi_http.post(USERS, json={"name": "Temp"}, headers=auth)).json()
    link = (
        await asgi_http.post(f"{ml}/users/{user['id']}/file-upload", json={}, headers=auth)
    ).json()
    await asgi_http.delete(f"{USERS}/{user['id']}", headers=auth)
    assert_problem(await asgi_http.get(f"{ml}/file-upload/{link['id']}", headers=auth), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"email": ["a"]}, "email"),
        ({"name": "x" * 256}, "name"),
        ({"phone": "1" * 51}, "phone"),
        ({"address": 12}, "address"),
        ({"externalId": {"a": 1}}, "externalId"),
        ({}, "name"),
        ({"id": "abc", "name": "x"}, "id"),
        ({"name": "x", "johnDeereCredentials": "token"}, "johnDeereCredentials"),
    ],
)
async def test_create_validation(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], body: dict[str, object], field: str
) -> None:
    problem = assert_problem(await asgi_http.post(USERS, json=body, headers=auth), 400)
    assert field in [e["field"] for e in problem["fieldErrors"]]  # type: ignore[union-attr]
    assert all(set(e) == {"objectName", "field", "message"} for e in problem["fieldErrors"])  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", [b"", b"null", b"[1]", b'"x"', b"{bad", b"[" * 100000])
async def test_create_rejects_non_object_bodies(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], raw: bytes
) -> None:
    assert_problem(await asgi_http.post(USERS, content=raw, headers=auth), 400)


async def test_replace_needs_an_existing_id(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    assert_problem(await asgi_http.put(USERS, json={"name": "x"}, headers=auth), 400, "id")
    assert_problem(await asgi_http.put(USERS, json={"id": "nope", "name": "x"}, headers=auth), 404)


async def test_unknown_path_and_method_are_problem_json(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    assert_problem(await asgi_http.get(f"{UM}/nothing-here", headers=auth), 404)
    r = await asgi_http.patch(USERS, headers=auth)
    assert_problem(r, 405)
