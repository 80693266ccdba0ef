"""Property tests: whatever arrives (any JSON, any bytes, any query), the sandbox answers a
4xx problem JSON or a success, never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaf_tui.sandbox.app import SandboxConfig, create_app

from .helpers import ML, UM

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(
        ["JohnDeere", "CNHI", "#fff", "https://x.example/a.png", "true", "900", "", " "]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "username",
    "password",
    "rememberMe",
    "name",
    "email",
    "phone",
    "address",
    "externalId",
    "id",
    "organizationName",
    "expiresIn",
    "allowedProviders",
    "provider",
    "settings",
    "johnDeereCredentials",
    "senteraCredentials",
]
SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        k: JSON
        for k in [
            "backgroundColor",
            "headerImage",
            "companyLogo",
            "companyName",
            "showLeafUserName",
            "disconnectEnabled",
            "disconnectedEnabled",
        ]
    },
)
BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries({}, optional={**{k: JSON for k in KEYS}, "settings": SETTINGS}),
)


class Harness:
    """One app and one event loop for all examples of a test (hypothesis runs sync code)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(SandboxConfig(users=6, links=6, events=12, now=lambda: NOW))
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://sandbox.test"
        )
        token = self.run(
            self.http.post(
                "/api/authenticate",
                json={"username": "support@sandbox.local", "password": "sandbox"},
            )
        ).json()["id_token"]
        self.auth = {"Authorization": f"Bearer {token}"}
        users = self.run(self.http.get(f"{UM}/users", headers=self.auth)).json()
        self.user_id = users[0]["id"]

    def run(self, coro: Any) -> httpx.Response:
        return self.loop.run_until_complete(coro)

    def request(
        self, method: str, path: str, content: bytes | None = None, params: Any = None
    ) -> httpx.Response:
        return self.run(
            self.http.request(method, path, content=content, params=params, headers=self.auth)
        )

    def close(self) -> None:
        self.run(self.http.aclose())
        self.loop.close()
        self.app.state.sandbox.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    h = Harness()
    yield h
    h.close()


def _endpoints(user_id: str) -> list[tuple[str, str]]:
    return [
        ("POST", "/api/authenticate"),
        ("POST", f"{UM}/users"),
        ("PUT", f"{UM}/users"),
        ("POST", f"{UM}/users/{user_id}/sentera-credentials"),
        *[
            ("POST", f"{ML}/users/{user_id}/{k}")
            for k in ("provider", "authentication", "file-upload")
        ],
        *[("POST", f"{ML}/{k}") for k in ("provider", "authentication", "file-upload")],
        ("POST", "/_sandbox/clock"),
        ("POST", "/_sandbox/faults"),
        ("POST", "/_sandbox/sentera/password"),
        ("POST", f"/_sandbox/sentera/{user_id}/events"),
    ]


def _check(r: httpx.Response) -> None:
    assert r.status_code < 500, (r.request.method, r.request.url, r.text)
    if r.status_code >= 400:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["title"]


COUNTS = {"json": 0, "bytes": 0, "query": 0}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=BODIES, which=st.integers(min_value=0, max_value=13))
def test_any_json_body_never_500(harness: Harness, body: Any, which: int) -> None:
    method, path = _endpoints(harness.user_id)[which]
    # ensure_ascii keeps lone surrogates as escapes, so they reach the server
    r = harness.request(method, path, json.dumps(body).encode())
    _check(r)
    if path == "/_sandbox/faults":
        harness.run(harness.http.post("/_sandbox/faults", json={"reset": True}))
    COUNTS["json"] += 1


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200), which=st.integers(min_value=0, max_value=13))
def test_any_bytes_never_500(harness: Harness, raw: bytes, which: int) -> None:
    method, path = _endpoints(harness.user_id)[which]
    _check(harness.request(method, path, raw))
    COUNTS["bytes"] += 1


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["page", "size", "sort", "name", "email", "externalId", "other"]),
        st.text(max_size=30),
        max_size=5,
    )
)
def test_any_user_query_never_500(harness: Harness, params: dict[str, str]) -> None:
    _check(harness.request("GET", f"{UM}/users", params=params))
    COUNTS["query"] += 1


@given(ident=st.text(min_size=1, max_size=60))
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_id_in_paths_never_500(harness: Harness, ident: str) -> None:
    from urllib.parse import quote

    safe = quote(ident, safe="")
    for method, path in [
        ("GET", f"{UM}/users/{safe}"),
        ("DELETE", f"{ML}/provider/{safe}"),
        ("GET", f"{UM}/users/{safe}/sentera-credentials/events"),
        ("GET", f"/magic-link/{safe}"),
    ]:
        r = harness.request(method, path)
        assert r.status_code < 500, (path, r.text)


def test_report_counts() -> None:
    print(f"bad-input examples sent without a 500: {COUNTS}")
