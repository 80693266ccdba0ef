"""Property tests over the sandbox's whole route table (issue 6): whatever arrives in the body,
the query or the path of any endpoint, the answer is a success or a 4xx problem JSON, never a 500
and never a crash. The routes come from `leaf_tui.sandbox.app.ROUTES`, so a new endpoint is
covered without touching this file.

Besides arbitrary JSON, the strategies aim at what breaks servers: huge strings and numbers
(beyond SQLite's 64-bit integers), NaN and Infinity, deep nesting, wrong types for every known
field, missing fields, unicode (lone surrogates, NUL, right-to-left marks) and raw bytes.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from leaf_tui.sandbox.app import ROUTES, SandboxConfig, create_app

from .conftest import OTHER, OWNER, Tally

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
BASE = "http://sandbox.test"
KINDS = ("provider", "authentication", "file-upload")
PARAM = re.compile(r"\{(\w+)\}")

# --- endpoints ------------------------------------------------------------------------------------


def endpoints() -> list[tuple[str, str]]:
    """(method, path template) for every route of the sandbox, HEAD aside."""
    found = []
    for route in ROUTES:
        assert isinstance(route, Route)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append((method, route.path))
    return found


ENDPOINTS = endpoints()
WITH_BODY = [(m, p) for m, p in ENDPOINTS if m in ("POST", "PUT")]
WITH_QUERY = [(m, p) for m, p in ENDPOINTS if m == "GET"]
WITH_PARAMS = [(m, p) for m, p in ENDPOINTS if PARAM.search(p)]


def test_the_route_table_is_what_these_tests_expect() -> None:
    """Guards the strategies below: every endpoint kind appears, nothing is silently skipped."""
    assert len(ENDPOINTS) >= 25
    assert {"user_id", "kind", "link_id"} <= {n for _, p in ENDPOINTS for n in PARAM.findall(p)}
    assert len(WITH_BODY) >= 10 and len(WITH_QUERY) >= 10


# --- strategies ---------------------------------------------------------------------------------

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",  # a lone surrogate (sent escaped in JSON)
        "\u202eevil",
        "🌾" * 50,
        "x" * 70_000,
        "'; DROP TABLE users; --",
        "../../etc/passwd",
        "%00",
        "null",
        "NaN",
        "1e400",
        "-0",
        "9" * 40,
        "<script>alert(1)</script>",
        "#GGGGGG",
        "javascript:alert(1)",
        "http://",
        "https://x" + "y" * 3000 + ".example/logo.png",
    ]
)
HUGE_NUMBERS = (
    st.sampled_from([2**63, -(2**63) - 1, 10**30, -(10**30), 10**300, 1e308, -1e308, 0.5, -1])
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
)
SCALARS = st.none() | st.booleans() | HUGE_NUMBERS | st.text(max_size=30) | NASTY_TEXT
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
KNOWN_KEYS = [
    "username",
    "password",
    "rememberMe",
    "id",
    "name",
    "email",
    "phone",
    "address",
    "externalId",
    "organizationName",
    "expiresIn",
    "allowedProviders",
    "provider",
    "settings",
    "statusCode",
    "body",
    "advance",
    "set",
    "reset",
    "latency_ms",
    "error_rate",
    "error_status",
    "rate_limit",
    "drop_rate",
]
SETTINGS_KEYS = [
    "backgroundColor",
    "headerImage",
    "companyLogo",
    "companyName",
    "showLeafUserName",
    "disconnectEnabled",
]
BODIES = st.one_of(
    JSON,
    # the documented fields, each missing or present with any value or type
    st.fixed_dictionaries(
        {},
        optional={
            **{k: JSON for k in KNOWN_KEYS},
            "settings": st.fixed_dictionaries({}, optional={k: JSON for k in SETTINGS_KEYS}),
        },
    ),
)
RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than any recursion limit
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            b"1" * 5000,  # an integer beyond Python's default digit limit
            b'{"name": "\\ud800"}',
            b'{"expiresIn": NaN}',
            b'{"expiresIn": Infinity}',
            b"\xff\xfe{\x00}\x00",
            b'{"name": "a"}' + b" " * 100 + b"trailing",
        ]
    ),
)
QUERY_KEYS = ["page", "size", "sort", "name", "email", "externalId", "kind", "since", "x"]
QUERY_VALUES = (st.text(max_size=20) | NASTY_TEXT | HUGE_NUMBERS.map(str)).filter(
    # httpx itself refuses lone surrogates in a query and URLs over 64 KiB
    lambda t: len(t) < 5000 and not any("\ud800" <= c <= "\udfff" for c in t)
)
QUERIES = st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUES, max_size=5)


# --- one sandbox for all examples ---------------------------------------------------------------


class Harness:
    """One app and loop for all examples (hypothesis calls a sync function per example). After
    each example the clock and the faults are put back, so one example cannot blind the next."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(SandboxConfig(users=8, links=9, events=20, now=lambda: NOW))
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=BASE)
        self.auth: dict[str, str] = {}
        self.auth = self._login(OWNER)
        self.ids = self._ids(self.auth)
        self.other_ids = self._ids(self._login(OTHER))

    def _login(self, who: tuple[str, str]) -> dict[str, str]:
        r = self.call("POST", "/api/authenticate", json={"username": who[0], "password": who[1]})
        return {"Authorization": f"Bearer {r.json()['id_token']}"}

    def _ids(self, auth: dict[str, str]) -> dict[str, list[str]]:
        users = self.call("GET", "/services/usermanagement/api/users", headers=auth).json()
        links = []
        for kind in KINDS:
            path = f"/services/widgets/api/magic-link/{kind}"
            links += [x["id"] for x in self.call("GET", path, headers=auth).json()]
        return {"user_id": [u["id"] for u in users], "link_id": links, "kind": list(KINDS)}

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", self.auth)
        return self.loop.run_until_complete(self.http.request(method, path, **kwargs))

    def restore(self) -> None:
        self.call("POST", "/_sandbox/faults", json={"reset": True})
        self.call("POST", "/_sandbox/clock", json={"set": NOW.isoformat()})

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()
        self.app.state.sandbox.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    h = Harness()
    yield h
    h.close()


def fill(template: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: quote(values[m.group(1)], safe="", errors="surrogatepass"), template)


def path_values(h: Harness, data: st.DataObject, template: str) -> dict[str, str]:
    """Each path parameter: one of ours, one of the other owner's, or anything at all."""
    values = {}
    for name in PARAM.findall(template):
        mine, theirs = h.ids.get(name, []), h.other_ids.get(name, [])
        # (an id of 70k characters would be refused by httpx itself: URLs stop at 64 KiB)
        choices = st.text(min_size=1, max_size=40) | NASTY_TEXT.filter(lambda t: 0 < len(t) < 5000)
        if mine:
            choices = st.sampled_from(mine) | st.sampled_from(theirs or mine) | choices
        values[name] = data.draw(choices, label=name)
    return values


def check(r: httpx.Response) -> None:
    where = f"{r.request.method} {r.request.url.path[:120]}"
    assert r.status_code < 500, f"{where} -> {r.status_code}: {r.text[:300]}"
    if r.status_code < 400:
        return
    if r.headers["content-type"].startswith("text/html"):
        assert r.request.url.path.startswith("/magic-link/"), where  # only growers get pages
        return
    assert r.headers["content-type"].startswith("application/problem+json"), where
    problem = r.json()
    assert problem["status"] == r.status_code, where
    assert isinstance(problem["title"], str) and problem["title"].strip(), where
    assert isinstance(problem.get("fieldErrors", []), list), where
    assert "detail" not in problem and isinstance(problem["errorKey"], str), where


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(WITH_BODY), body=BODIES)
def test_any_json_body_on_any_endpoint(
    harness: Harness, tally: Tally, data: st.DataObject, which: tuple[str, str], body: Any
) -> None:
    method, template = which
    path = fill(template, path_values(harness, data, template))
    # allow_nan: NaN and Infinity reach the server as the bare tokens Python's json accepts
    content = json.dumps(body, allow_nan=True).encode()
    try:
        check(harness.call(method, path, content=content))
    finally:
        harness.restore()
    tally.property_examples["sandbox JSON bodies"] += 1


@SETTINGS
@given(data=st.data(), which=st.sampled_from(WITH_BODY), raw=RAW_BODIES)
def test_any_bytes_on_any_endpoint(
    harness: Harness, tally: Tally, data: st.DataObject, which: tuple[str, str], raw: bytes
) -> None:
    method, template = which
    path = fill(template, path_values(harness, data, template))
    content_type = data.draw(
        st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"])
    )
    try:
        check(
            harness.call(
                method, path, content=raw, headers={**harness.auth, "Content-Type": content_type}
            )
        )
    finally:
        harness.restore()
    tally.property_examples["sandbox raw bodies"] += 1


@SETTINGS
@given(data=st.data(), which=st.sampled_from(WITH_QUERY), query=QUERIES)
def test_any_query_on_any_get(
    harness: Harness,
    tally: Tally,
    data: st.DataObject,
    which: tuple[str, str],
    query: dict[str, str],
) -> None:
    method, template = which
    path = fill(template, path_values(harness, data, template))
    check(harness.call(method, path, params=query))
    tally.property_examples["sandbox queries"] += 1


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), which=st.sampled_from(WITH_PARAMS))
def test_any_path_parameter_on_any_endpoint(
    harness: Harness, tally: Tally, data: st.DataObject, which: tuple[str, str]
) -> None:
    method, template = which
    path = fill(template, path_values(harness, data, template))
    body = data.draw(st.none() | BODIES)
    try:
        check(
            harness.call(method, path, content=None if body is None else json.dumps(body).encode())
        )
    finally:
        harness.restore()
    tally.property_examples["sandbox path parameters"] += 1
