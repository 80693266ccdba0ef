"""The contract tests' environment: the same tests run against the sandbox over ASGITransport
(fast) and over a real loopback socket (uvicorn in a thread), as the demo owner, with a second
owner and a raw, unauthenticated httpx client for the landing page and the /_sandbox/ control
API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from leaf_tui.api import LeafClient

SANDBOX_NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
DEMO_OWNER = ("support@sandbox.local", "sandbox")
OTHER_OWNER = ("other@sandbox.local", "sandbox")
GROWER = ("grower@sentera.example", "harvest-2026", "Prairie Farms")


@dataclass
class Env:
    via: str  # "asgi" or "live"
    client: LeafClient  # the demo owner, signed in
    other: LeafClient  # the second owner, signed in
    raw: httpx.AsyncClient  # no auth: landing pages and /_sandbox/
    base_url: str
    sandbox_app: Any  # the ASGI app for "asgi", None for "live"

    def new_client(self, token: str | None = None) -> LeafClient:
        """Another client on the same sandbox (close it: `async with`)."""
        transport = None if self.sandbox_app is None else httpx.ASGITransport(app=self.sandbox_app)
        return LeafClient(self.base_url, token, transport=transport)

    async def control(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.raw.request(method, f"/_sandbox/{path}", **kw)
        assert response.status_code < 300, response.text
        return response.json()


@pytest.fixture
async def other_asgi_client(sandbox_app: Any) -> AsyncIterator[LeafClient]:
    """The second API owner, over ASGITransport."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with LeafClient("http://sandbox.test", transport=transport) as client:
        await client.auth.authenticate(*OTHER_OWNER)
        yield client


@pytest.fixture
async def other_live_client(live_sandbox: Any) -> AsyncIterator[LeafClient]:
    """The second API owner, over loopback."""
    async with LeafClient(live_sandbox.base_url) as client:
        await client.auth.authenticate(*OTHER_OWNER)
        yield client


@pytest.fixture
async def live_http(live_sandbox: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A raw httpx client on the loopback sandbox (no auth)."""
    async with httpx.AsyncClient(base_url=live_sandbox.base_url, timeout=10) as client:
        yield client


@pytest.fixture(params=["asgi", "live"])
def env(request: pytest.FixtureRequest) -> Env:
    """Sync on purpose: it picks async fixtures by name, which only works outside a loop."""
    if request.param == "asgi":
        return Env(
            "asgi",
            request.getfixturevalue("leaf_client"),
            request.getfixturevalue("other_asgi_client"),
            request.getfixturevalue("asgi_http"),
            "http://sandbox.test",
            request.getfixturevalue("sandbox_app"),
        )
    client: LeafClient = request.getfixturevalue("live_client")
    return Env(
        "live",
        client,
        request.getfixturevalue("other_live_client"),
        request.getfixturevalue("live_http"),
        client.base_url,
        None,
    )
