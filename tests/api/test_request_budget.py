"""The request budget (issue 14): one per profile, shared by every screen; at most 8 requests in
flight, 20 a second on average, and after a 429 the whole profile holds off. Over a real
loopback socket and in process."""

from __future__ import annotations

import asyncio
import time

import httpx

from leaf_tui.api import LeafClient, LinkKind, RateLimited
from leaf_tui.api.budget import BURST, CONCURRENT, RATE

from .conftest import DEMO_OWNER, Env


class InFlight(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = 0
        self.most = 0
        self.sent: list[float] = []
        self.limited: list[float] = []  # when each 429 arrived

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.most = max(self.most, self.now)
        self.sent.append(time.monotonic())
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            if response.status_code == 429:
                self.limited.append(time.monotonic())
            return response
        finally:
            self.now -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


def transport_for(env: Env) -> httpx.AsyncBaseTransport:
    if env.sandbox_app is not None:
        return httpx.ASGITransport(app=env.sandbox_app)
    return httpx.AsyncHTTPTransport()


async def test_every_screen_shares_one_budget(env: Env) -> None:
    wire = InFlight(transport_for(env))
    async with LeafClient(env.base_url, transport=wire) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        users = await client.users.list(size=40)
        wire.sent.clear()
        started = time.monotonic()
        # what several screens ask at once: every kind of link, and one credential per row
        await asyncio.gather(
            client.links.list_all(),
            *(client.users.get(u.id) for u in users.items),
        )
        took = time.monotonic() - started
    assert wire.most <= CONCURRENT
    sent = len(wire.sent)
    assert sent >= 43
    assert took >= (sent - BURST - 1) / RATE * 0.9  # no faster than the budget allows


async def test_a_429_holds_off_the_whole_profile(env: Env) -> None:
    wire = InFlight(transport_for(env))
    async with LeafClient(env.base_url, transport=wire, max_retries=0) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        await env.control("POST", "faults", json={"rate_limit": 1})
        try:
            wire.sent.clear()
            results = await asyncio.gather(
                *(client.links.list(LinkKind.PROVIDER) for _ in range(4)),
                client.users.list(size=1),
                return_exceptions=True,
            )
            assert any(isinstance(r, RateLimited) for r in results), results
            await env.control("POST", "faults", json={"reset": True})
            await client.users.list(size=1)  # another screen's request
            first_429 = wire.limited[0]
            after = [t for t in wire.sent if t > first_429]
            # every request of the profile sent after the 429 waited out its Retry-After (1 s)
            assert after and min(after) - first_429 >= 0.9
        finally:
            await env.control("POST", "faults", json={"reset": True})
