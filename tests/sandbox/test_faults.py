"""Fault injection on the Leaf paths (never on /_sandbox/ or the landing page)."""

from __future__ import annotations

import time

import httpx
import pytest

from leaf_tui.sandbox.server import RunningSandbox

from .helpers import UM, assert_problem, login

USERS = f"{UM}/users"


async def _faults(http: httpx.AsyncClient, **settings: object) -> None:
    r = await http.post("/_sandbox/faults", json=settings)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("status", [500, 503])
async def test_error_rate_answers_problem_json(
    asgi_http: httpx.AsyncClient, auth: dict[str, str], status: int
) -> None:
    await _faults(asgi_http, error_rate=1, error_status=[status])
    assert_problem(await asgi_http.get(USERS, headers=auth), status, "injected")
    assert (await asgi_http.get("/_sandbox/health")).status_code == 200  # control exempt
    await _faults(asgi_http, reset=True)
    assert (await asgi_http.get(USERS, headers=auth)).status_code == 200


async def test_html_502_page(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    await _faults(asgi_http, html_rate=1)
    r = await asgi_http.get(USERS, headers=auth)
    assert r.status_code == 502 and r.headers["content-type"] == "text/html"
    assert "<h1>502 Bad Gateway</h1>" in r.text


async def test_malformed_json(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    await _faults(asgi_http, malformed_rate=1)
    r = await asgi_http.get(USERS, headers=auth)
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


async def test_rate_limit_429_with_retry_after(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    await _faults(asgi_http, rate_limit=3)
    statuses = [(await asgi_http.get(USERS, headers=auth)) for _ in range(6)]
    limited = [r for r in statuses if r.status_code == 429]
    assert [r.status_code for r in statuses[:3]] == [200, 200, 200] and limited
    assert int(limited[0].headers["retry-after"]) >= 1
    assert_problem(limited[0], 429)


async def test_latency(asgi_http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    await _faults(asgi_http, latency_ms=200)
    start = time.monotonic()
    await asgi_http.get(USERS, headers=auth)
    assert time.monotonic() - start >= 0.19


async def test_drop_closes_the_connection_on_a_live_server(live_sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as http:
        auth = await login(http)
        await _faults(http, drop_rate=1)
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(USERS, headers=auth)
        await _faults(http, reset=True)
        assert (await http.get(USERS, headers=auth)).status_code == 200


async def test_faults_from_config(sandbox_config: object) -> None:
    from leaf_tui.sandbox.app import create_app

    sandbox_config.faults = {"error_rate": 1.0, "error_status": [502]}  # type: ignore[attr-defined]
    app = create_app(sandbox_config)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test"
    ) as http:
        r = await http.post("/api/authenticate", json={"username": "x", "password": "y"})
        assert r.status_code == 502 and "Bad Gateway" in r.text


async def test_drop_after_handling_applies_the_post_but_loses_the_answer(
    live_sandbox: RunningSandbox,
) -> None:
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as http:
        auth = await login(http)
        uid = (await http.get(USERS, headers=auth)).json()[0]["id"]
        before = (await http.get("/_sandbox/counts")).json()["support@sandbox.local"]["links"]
        await _faults(http, drop_after_rate=1)
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(
                f"/services/widgets/api/magic-link/users/{uid}/file-upload", json={}, headers=auth
            )
        after = (await http.get("/_sandbox/counts")).json()["support@sandbox.local"]["links"]
        assert after == before + 1  # created exactly once, though the client never heard


async def test_drop_in_process_raises_a_connection_error(
    asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    await _faults(asgi_http, drop_rate=1)
    with pytest.raises(ConnectionResetError):
        await asgi_http.get(USERS, headers=auth)
