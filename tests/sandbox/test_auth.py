"""POST /api/authenticate and the bearer check: HS512 JWT, exp by rememberMe, 401s."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from .helpers import UM, assert_problem

USERS = f"{UM}/users"
FROZEN_EPOCH = 1772442000  # 2026-03-02T09:00:00Z


def _claims(token: str) -> tuple[dict[str, object], dict[str, object]]:
    head, body, _sig = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(head))),
        json.loads(base64.urlsafe_b64decode(pad(body))),
    )


@pytest.mark.parametrize(
    ("remember", "lifetime"),
    [(True, 30 * 86400), ("true", 30 * 86400), (False, 86400), ("false", 86400), (None, 86400)],
)
async def test_token_is_hs512_with_lifetime_by_remember_me(
    asgi_http: httpx.AsyncClient, remember: object, lifetime: int
) -> None:
    body: dict[str, object] = {"username": "support@sandbox.local", "password": "sandbox"}
    if remember is not None:
        body["rememberMe"] = remember
    r = await asgi_http.post("/api/authenticate", json=body)
    assert r.status_code == 200
    assert list(r.json()) == ["id_token"]
    header, claims = _claims(r.json()["id_token"])
    assert header == {"alg": "HS512"}
    assert claims == {
        "sub": "support@sandbox.local",
        "auth": "ROLE_USER",
        "exp": FROZEN_EPOCH + lifetime,
    }


async def test_wrong_password_is_401(asgi_http: httpx.AsyncClient) -> None:
    r = await asgi_http.post(
        "/api/authenticate", json={"username": "support@sandbox.local", "password": "nope"}
    )
    assert_problem(r, 401, "bad credentials")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"not json",
        b'{"username": 5, "password": "x"}',
        b'{"password": "sandbox"}',
        b'{"username": "support@sandbox.local", "password": "sandbox", "rememberMe": "yes"}',
    ],
)
async def test_malformed_login_is_400(asgi_http: httpx.AsyncClient, body: bytes) -> None:
    r = await asgi_http.post("/api/authenticate", content=body)
    assert_problem(r, 400)


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "no authorization"),
        ("Basic abc", "bearer"),
        ("Bearer ", "bearer"),
        ("Bearer not.a.jwt", "malformed"),
        ("Bearer abc", "malformed"),
        ("Bearer eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJ4In0.AAAA", "signature"),
    ],
)
async def test_missing_or_malformed_token_is_401(
    asgi_http: httpx.AsyncClient, header: str | None, why: str
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    r = await asgi_http.get(USERS, headers=headers)
    body = assert_problem(r, 401, why)
    assert "bearer" in r.headers["www-authenticate"].lower()
    assert body["errorKey"] == "unauthorized"


async def test_token_from_another_sandbox_is_rejected(
    asgi_http: httpx.AsyncClient, live_sandbox: object
) -> None:
    running = live_sandbox
    async with httpx.AsyncClient(base_url=running.base_url) as live:  # type: ignore[attr-defined]
        r = await live.post(
            "/api/authenticate",
            json={"username": "support@sandbox.local", "password": "sandbox"},
        )
    token = r.json()["id_token"]
    r = await asgi_http.get(USERS, headers={"Authorization": f"Bearer {token}"})
    assert_problem(r, 401, "signature")


@pytest.mark.parametrize(("remember", "lifetime"), [(True, 30 * 86400), (False, 86400)])
async def test_token_expires_on_the_sandbox_clock(
    asgi_http: httpx.AsyncClient, remember: bool, lifetime: int
) -> None:
    r = await asgi_http.post(
        "/api/authenticate",
        json={"username": "support@sandbox.local", "password": "sandbox", "rememberMe": remember},
    )
    headers = {"Authorization": f"Bearer {r.json()['id_token']}"}
    await asgi_http.post("/_sandbox/clock", json={"advance": lifetime - 1})
    assert (await asgi_http.get(USERS, headers=headers)).status_code == 200
    await asgi_http.post("/_sandbox/clock", json={"advance": 1})
    assert_problem(await asgi_http.get(USERS, headers=headers), 401, "expired")


async def test_owner_email_is_case_insensitive_and_token_names_the_owner(
    asgi_http: httpx.AsyncClient,
) -> None:
    r = await asgi_http.post(
        "/api/authenticate", json={"username": "Support@Sandbox.Local", "password": "sandbox"}
    )
    assert _claims(r.json()["id_token"])[1]["sub"] == "support@sandbox.local"


async def test_every_leaf_path_needs_a_token(asgi_http: httpx.AsyncClient) -> None:
    paths = [
        ("GET", USERS),
        ("POST", USERS),
        ("PUT", USERS),
        ("GET", f"{USERS}/x"),
        ("DELETE", f"{USERS}/x"),
        ("GET", f"{USERS}/x/sentera-credentials"),
        ("POST", f"{USERS}/x/sentera-credentials"),
        ("DELETE", f"{USERS}/x/sentera-credentials"),
        ("GET", f"{USERS}/x/sentera-credentials/events"),
    ]
    ml = "/services/widgets/api/magic-link"
    for kind in ("provider", "authentication", "file-upload"):
        paths += [
            ("GET", f"{ml}/{kind}"),
            ("POST", f"{ml}/{kind}"),
            ("GET", f"{ml}/{kind}/x"),
            ("DELETE", f"{ml}/{kind}/x"),
            ("POST", f"{ml}/users/x/{kind}"),
        ]
    for method, path in paths:
        r = await asgi_http.request(method, path, json={})
        assert_problem(r, 401)
