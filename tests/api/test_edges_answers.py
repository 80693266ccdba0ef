"""Issue 13: answers that never end. A size limit on bodies (a 300 MB body took 2.5 GB), an
overall deadline per request (a server trickling a byte every 5 s held `link list` for ever),
and a long Retry-After wait said out loud. The misbehaving servers are small loopback servers
here, speaking HTTP/1.1 over real sockets."""

from __future__ import annotations

import asyncio
import json
import resource
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from reliability.tally import TALLY

from leaf_tui.api import ConnectionStatus, LeafClient, RetryPolicy, ServerError, Unreachable
from leaf_tui.api.http import MAX_BODY

pytestmark = pytest.mark.edge("huge, endless and rate-limited answers")

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def loopback(handler: Handler) -> AsyncIterator[str]:
    """A one-purpose HTTP server on 127.0.0.1; yields its base URL. On exit its connections are
    closed and their handlers cancelled."""
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await reader.readuntil(b"\r\n\r\n")
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


def head(status: str = "200 OK", extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}\r\n".encode()


async def endless_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An array that never closes, sent as fast as the client reads (no Content-Length)."""
    writer.write(head(extra="Connection: close\r\n") + b"[")
    chunk = b'{"id": "u", "name": "' + b"x" * 1000 + b'"},' * 1
    chunk = chunk * 1024  # ~1 MB
    while True:
        writer.write(chunk)
        await writer.drain()


async def declares_300_mb(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(head(extra=f"Content-Length: {300 * 1024 * 1024}\r\n") + b"[")
    await writer.drain()
    await asyncio.sleep(30)


def trickle(every: float) -> Handler:
    async def send(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(head(extra="Content-Length: 1000\r\n"))
        await writer.drain()
        for _ in range(1000):
            await asyncio.sleep(every)
            writer.write(b" ")
            await writer.drain()

    return send


def rate_limited_once(retry_after: int) -> Handler:
    answers = iter([("429 Too Many Requests", f"Retry-After: {retry_after}\r\n", b"")])

    async def send(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        status, extra, body = next(answers, ("200 OK", "", b"[]"))
        writer.write(head(status, f"{extra}Content-Length: {len(body)}\r\n") + body)
        await writer.drain()

    return send


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_an_endless_body_stops_at_the_limit_with_bounded_memory() -> None:
    before = rss_mib()
    async with loopback(endless_body) as url, LeafClient(url, "tok", max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(ServerError) as caught:
            await client.users.list()
        took = time.monotonic() - started
    grown = rss_mib() - before
    message = str(caught.value)
    assert "larger than 128 MiB" in message and "was not read" in message
    # the body is held once while read (128 MiB), never parsed: far from the 2.5 GB seen
    assert grown < 3 * MAX_BODY / (1024 * 1024), f"peak RSS grew {grown:.0f} MiB"
    TALLY.notes.append(
        f"edges: an endless body stopped at the 128 MiB limit after {took:.2f} s, "
        f"peak RSS +{grown:.0f} MiB (a 300 MB body took 2.5 GB before)"
    )


async def test_a_declared_huge_body_is_refused_before_reading() -> None:
    async with loopback(declares_300_mb) as url, LeafClient(url, "tok", max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(ServerError, match=r"larger than 128 MiB \(at least 300 MiB\)"):
            await client.users.list()
        assert time.monotonic() - started < 5


async def test_the_limit_is_a_setting_of_the_client() -> None:
    async with (
        loopback(endless_body) as url,
        LeafClient(url, "tok", max_retries=0, max_body=1024 * 1024) as client,
    ):
        with pytest.raises(ServerError, match="larger than 1 MiB"):
            await client.users.list()


async def test_a_trickling_server_meets_the_deadline() -> None:
    """Each byte comes well within the read timeout, so only an overall deadline ends it."""
    async with (
        loopback(trickle(0.2)) as url,
        LeafClient(url, "tok", timeout=5, max_retries=3, deadline=1.5) as client,
    ):
        started = time.monotonic()
        with pytest.raises(Unreachable) as caught:
            await client.links.list_all()
        took = time.monotonic() - started
        assert client.status is ConnectionStatus.SLOW
    assert "did not finish answering GET" in str(caught.value)
    assert "within 1.5 s" in str(caught.value)
    assert took < 4, f"took {took:.1f} s: the deadline must not be retried"
    TALLY.notes.append(
        f"edges: a trickling server (a byte per 0.2 s) ended at 1.5 s in {took:.1f} s"
    )


async def test_a_long_retry_after_is_announced_then_cleared() -> None:
    details: list[str | None] = []
    policy = RetryPolicy(base_delay=0.01, max_delay=0.02, retry_after_cap=10)
    async with (
        loopback(rate_limited_once(2)) as url,
        LeafClient(url, "tok", max_retries=2, retry_policy=policy) as client,
    ):
        client.add_status_listener(lambda status: details.append(client.status_failure))
        assert await client.users.list_all() == []
    shown = [d for d in details if d]
    assert shown and "Leaf asked to wait 2 s (HTTP 429)" in shown[0]
    assert details[-1] is None  # the status says nothing once the wait is over


async def test_the_limit_is_well_above_the_largest_whole_list(asgi_http: httpx.AsyncClient) -> None:
    """The sandbox's largest users as Leaf sends them: 20,000 of them in one answer (a server
    ignoring paging) fit in the limit several times over."""
    login = await asgi_http.post(
        "/api/authenticate", json={"username": "support@sandbox.local", "password": "sandbox"}
    )
    page = await asgi_http.get(
        "/services/usermanagement/api/users",
        params={"page": 0, "size": 100},
        headers={"Authorization": f"Bearer {login.json()['id_token']}"},
    )
    largest = max(len(json.dumps(user)) for user in page.json())
    whole = 20_000 * largest
    TALLY.notes.append(
        f"edges: largest sandbox user {largest} bytes; 20,000 of them {whole / 2**20:.0f} MiB, "
        f"the body limit {MAX_BODY / 2**20:.0f} MiB"
    )
    assert whole * 3 < MAX_BODY
