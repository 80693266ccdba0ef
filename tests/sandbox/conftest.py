"""Logged-in headers for both API owners, over the in-process sandbox."""

from __future__ import annotations

import httpx
import pytest

from .helpers import DEMO, OTHER, login


@pytest.fixture
async def auth(asgi_http: httpx.AsyncClient) -> dict[str, str]:
    return await login(asgi_http, DEMO)


@pytest.fixture
async def other_auth(asgi_http: httpx.AsyncClient) -> dict[str, str]:
    return await login(asgi_http, OTHER)
