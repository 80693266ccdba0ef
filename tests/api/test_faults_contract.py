"""The transport against the sandbox's fault injection, over real loopback sockets: failing,
garbled, dropped, slow and rate-limited answers, and a port where nothing listens."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from leaf_tui.api import (
    ConnectionStatus,
    LeafClient,
    LinkKind,
    LinkRequest,
    RetryPolicy,
    ServerError,
    Unreachable,
)

from .conftest import DEMO_OWNER

FAST = RetryPolicy(base_delay=0.01, max_delay=0.02)
Faulty = tuple[LeafClient, httpx.AsyncClient, "Attempts"]


class Attempts(logging.Handler):
    """Counts the attempts the debug log records."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
async def faulty(
    live_sandbox: Any,
) -> AsyncIterator[tuple[LeafClient, httpx.AsyncClient, Attempts]]:
    log = logging.getLogger("leaf-tui-test-faults")
    log.setLevel(logging.DEBUG)
    attempts = Attempts()
    log.addHandler(attempts)
    raw = httpx.AsyncClient(base_url=live_sandbox.base_url, timeout=10)
    client = LeafClient(
        live_sandbox.base_url, max_retries=2, retry_policy=FAST, debug_log=log, timeout=5.0
    )
    try:
        await client.auth.authenticate(*DEMO_OWNER)
        attempts.lines.clear()
        yield client, raw, attempts
    finally:
        await raw.post("/_sandbox/faults", json={"reset": True})
        await client.aclose()
        await raw.aclose()
        log.removeHandler(attempts)


async def set_faults(raw: httpx.AsyncClient, **settings: Any) -> None:
    response = await raw.post("/_sandbox/faults", json={"reset": True, **settings})
    assert response.status_code == 200, response.text


async def counts(raw: httpx.AsyncClient) -> Any:
    return (await raw.get("/_sandbox/counts")).json()


async def test_503s_are_retried_then_reported(faulty: Any) -> None:
    client, raw, attempts = faulty
    await set_faults(raw, error_rate=1.0, error_status=[503])
    with pytest.raises(ServerError) as caught:
        await client.users.list()
    assert len(attempts.lines) == 3 and all("-> 503" in line for line in attempts.lines)
    assert str(caught.value).startswith("Leaf's API failed (HTTP 503); try again shortly")
    await set_faults(raw)
    assert (await client.users.list()).total == 40
    assert client.status is ConnectionStatus.OK


async def test_a_post_is_sent_once_even_when_it_fails(faulty: Any) -> None:
    client, raw, attempts = faulty
    user = (await client.users.list()).items[0]
    before = await counts(raw)
    attempts.lines.clear()
    await set_faults(raw, error_rate=1.0, error_status=[503])
    with pytest.raises(ServerError):
        await client.links.create_for_user(user.id, LinkRequest(LinkKind.FILE_UPLOAD))
    assert len(attempts.lines) == 1
    assert await counts(raw) == before


async def test_an_nginx_502_page_is_a_server_error_that_quotes_it(faulty: Any) -> None:
    client, raw, attempts = faulty
    await set_faults(raw, html_rate=1.0)
    attempts.lines.clear()
    with pytest.raises(ServerError) as caught:
        await client.links.list_all()
    assert "HTTP 502" in str(caught.value) and "502 Bad Gateway" in str(caught.value)
    assert len([line for line in attempts.lines if "-> 502" in line]) >= 3  # retried


async def test_garbled_json_is_a_server_error(faulty: Any) -> None:
    client, raw, _ = faulty
    await set_faults(raw, malformed_rate=1.0)
    with pytest.raises(ServerError, match="isn't JSON"):
        await client.users.get("anything")


async def test_dropped_connections_are_retried_then_unreachable(faulty: Any) -> None:
    client, raw, attempts = faulty
    await set_faults(raw, drop_rate=1.0)
    with pytest.raises(Unreachable) as caught:
        await client.users.list()
    assert len(attempts.lines) == 3
    assert caught.value.maybe_sent is True
    assert "closed the connection before answering GET" in str(caught.value)


async def test_a_dropped_post_may_have_been_sent_and_is_not_repeated(faulty: Any) -> None:
    client, raw, attempts = faulty
    user = (await client.users.list()).items[0]
    attempts.lines.clear()
    await set_faults(raw, drop_rate=1.0)
    with pytest.raises(Unreachable) as caught:
        await client.links.create_for_user(user.id, LinkRequest(LinkKind.FILE_UPLOAD))
    assert caught.value.maybe_sent is True and "check" in str(caught.value)
    assert len(attempts.lines) == 1


async def test_an_answer_slower_than_the_timeout_is_unreachable_and_slow(live_sandbox: Any) -> None:
    async with (
        httpx.AsyncClient(base_url=live_sandbox.base_url) as raw,
        LeafClient(live_sandbox.base_url, timeout=0.2, max_retries=1, retry_policy=FAST) as client,
    ):
        await client.auth.authenticate(*DEMO_OWNER)
        await set_faults(raw, latency_ms=600)
        with pytest.raises(Unreachable) as caught:
            await client.users.list()
        assert "did not answer GET /services/usermanagement/api/users within 0.2 s" in str(
            caught.value
        )
        assert client.status is ConnectionStatus.SLOW
        await set_faults(raw)
        await client.users.list()
        assert client.status is ConnectionStatus.OK


async def test_rate_limited_requests_wait_for_retry_after(faulty: Any) -> None:
    client, raw, attempts = faulty
    await set_faults(raw, rate_limit=1)
    seen: list[ConnectionStatus] = []
    client.add_status_listener(seen.append)
    first = await client.users.list()
    second = await client.users.list()  # over the limit: 429, Retry-After, then served
    assert first == second
    assert any("-> 429" in line for line in attempts.lines)
    assert ConnectionStatus.RETRYING in seen and client.status is ConnectionStatus.OK


async def test_nothing_listening_is_offline() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with LeafClient(f"http://127.0.0.1:{port}", max_retries=1, retry_policy=FAST) as client:
        with pytest.raises(Unreachable) as caught:
            await client.users.list()
        assert client.status is ConnectionStatus.OFFLINE
    assert caught.value.maybe_sent is False
    assert f"Can't reach Leaf at 127.0.0.1:{port}" in str(caught.value)
