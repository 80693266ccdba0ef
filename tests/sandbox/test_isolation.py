"""Several API owners: each sees only their own users, credentials and links."""

from __future__ import annotations

import httpx

from .helpers import ML, UM, assert_problem, sentera_of

KINDS = ("provider", "authentication", "file-upload")


async def test_lists_exclude_the_other_owner(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    mine = (await asgi_http.get(f"{UM}/users", params={"size": 100}, headers=auth)).json()
    theirs = (await asgi_http.get(f"{UM}/users", params={"size": 100}, headers=other_auth)).json()
    assert mine and theirs and not {u["id"] for u in mine} & {u["id"] for u in theirs}
    for kind in KINDS:
        a = (await asgi_http.get(f"{ML}/{kind}", headers=auth)).json()
        b = (await asgi_http.get(f"{ML}/{kind}", headers=other_auth)).json()
        assert not {x["id"] for x in a} & {x["id"] for x in b}
        assert {x["leafUserId"] for x in b} <= {u["id"] for u in theirs}
    # filters cannot reach across either
    r = await asgi_http.get(
        f"{UM}/users", params={"externalId": theirs[0]["externalId"]}, headers=auth
    )
    assert r.json() == [] and r.headers["x-total-count"] == "0"


async def test_other_owners_ids_are_404_everywhere(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    uid = next(u for u, c in (await sentera_of(asgi_http, auth)).items() if c is not None)
    victim = (await asgi_http.get(f"{UM}/users/{uid}", headers=auth)).json()
    link = (await asgi_http.get(f"{ML}/provider", headers=auth)).json()[0]
    calls = [
        ("GET", f"{UM}/users/{uid}", None),
        ("PUT", f"{UM}/users", {"id": uid, "name": "stolen"}),
        ("DELETE", f"{UM}/users/{uid}", None),
        ("GET", f"{UM}/users/{uid}/sentera-credentials", None),
        (
            "POST",
            f"{UM}/users/{uid}/sentera-credentials",
            {
                "username": "grower@sentera.example",
                "password": "harvest-2026",
                "organizationName": "Prairie Farms",
            },
        ),
        ("DELETE", f"{UM}/users/{uid}/sentera-credentials", None),
        ("GET", f"{UM}/users/{uid}/sentera-credentials/events", None),
        ("GET", f"{ML}/provider/{link['id']}", None),
        ("DELETE", f"{ML}/provider/{link['id']}", None),
        *[
            (
                "POST",
                f"{ML}/users/{uid}/{k}",
                {"provider": "CNHI"}
                if k == "authentication"
                else {"allowedProviders": ["CNHI"]}
                if k == "provider"
                else {},
            )
            for k in KINDS
        ],
    ]
    for method, path, body in calls:
        r = await asgi_http.request(method, path, json=body, headers=other_auth)
        assert_problem(r, 404)
    # nothing changed for the owner
    assert (await asgi_http.get(f"{UM}/users/{uid}", headers=auth)).json() == victim
    assert (await asgi_http.get(f"{ML}/provider/{link['id']}", headers=auth)).status_code == 200


async def test_same_external_id_is_separate_per_owner(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    a = (
        await asgi_http.post(f"{ML}/file-upload", json={"externalId": "shared-1"}, headers=auth)
    ).json()
    b = (
        await asgi_http.post(
            f"{ML}/file-upload", json={"externalId": "shared-1"}, headers=other_auth
        )
    ).json()
    assert a["leafUserId"] != b["leafUserId"]
    counts = (await asgi_http.get("/_sandbox/counts")).json()
    assert counts["other@sandbox.local"]["users"] == 6
