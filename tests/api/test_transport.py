"""http.py against a fake server (httpx.MockTransport): the transport-level faults that the
sandbox can't stage deterministically — retries, backoff, timeouts, status, the debug log,
malformed answers. Everything else is tested against the sandbox."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from leaf_tui.api import (
    ConnectionStatus,
    LeafClient,
    LinkKind,
    LinkRequest,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unreachable,
)
from leaf_tui.api.http import LARGE_BODY, Http, expect_list, loads_gently
from leaf_tui.common import clock

BASE = "http://leaf.test"
FAST = RetryPolicy(base_delay=0.001, max_delay=0.002, retry_after_cap=5.0)
USER = {"id": "u1", "name": "Ada Grower", "email": "ada@farm.example"}

Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """A scripted fake: answers (or raises) in order, recording every request."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class Sleeps:
    """Records backoff delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make_http(server: Server, **kw: Any) -> tuple[Http, Sleeps, list[ConnectionStatus]]:
    sleeps = Sleeps()
    kw.setdefault("policy", FAST)
    http = Http(BASE, "tok", transport=server.transport, sleep=sleeps, **kw)
    seen: list[ConnectionStatus] = []
    http.status.add_listener(seen.append)
    return http, sleeps, seen


def client_for(server: Server, **kw: Any) -> LeafClient:
    return LeafClient(BASE, "tok", transport=server.transport, retry_policy=FAST, **kw)


def jwt(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        raw = base64.urlsafe_b64encode(json.dumps(obj).encode()).decode()
        return raw.rstrip("=")

    return f"{part({'alg': 'HS512'})}.{part(claims)}.c2lnbmF0dXJl"


# --- retries ------------------------------------------------------------------------------------


async def test_get_retries_503_then_succeeds_and_status_goes_retrying_then_ok() -> None:
    server = Server(httpx.Response(503), httpx.Response(200, json=USER))
    async with client_for(server) as client:
        seen: list[ConnectionStatus] = []
        client.add_status_listener(seen.append)
        user = await client.users.get("u1")
    assert user.name == "Ada Grower"
    assert len(server.requests) == 2
    assert seen == [ConnectionStatus.RETRYING, ConnectionStatus.OK]
    assert client.status is ConnectionStatus.OK


@pytest.mark.parametrize("code", [502, 503, 504])
async def test_gateway_errors_are_retried_up_to_max_retries(code: int) -> None:
    server = Server(httpx.Response(code, text="upstream down"))
    http, sleeps, _ = make_http(server, max_retries=2)
    with pytest.raises(ServerError) as caught:
        await http.send("GET", "/x")
    assert len(server.requests) == 3  # 1 + max_retries
    assert len(sleeps.delays) == 2
    assert caught.value.status == code
    assert str(caught.value).startswith(f"Leaf's API failed (HTTP {code}); try again shortly")
    await http.aclose()


async def test_500_is_not_retried() -> None:
    server = Server(httpx.Response(500))
    http, sleeps, _ = make_http(server)
    with pytest.raises(ServerError):
        await http.send("GET", "/x")
    assert len(server.requests) == 1 and sleeps.delays == []
    await http.aclose()


async def test_delete_is_retried_like_get() -> None:
    server = Server(httpx.Response(502), httpx.Response(204))
    async with client_for(server) as client:
        await client.links.delete(LinkKind.PROVIDER, "abc")
    assert [r.method for r in server.requests] == ["DELETE", "DELETE"]
    assert server.requests[0].url.path == "/services/widgets/api/magic-link/provider/abc"


async def test_post_is_never_retried_on_503() -> None:
    server = Server(httpx.Response(503), httpx.Response(201, json={"id": "l1"}))
    async with client_for(server) as client:
        request = LinkRequest(kind=LinkKind.FILE_UPLOAD)
        with pytest.raises(ServerError):
            await client.links.create_for_user("u1", request)
    assert len(server.requests) == 1


async def test_put_is_never_retried_on_connect_error() -> None:
    server = Server(httpx.ConnectError("refused"))
    http, sleeps, seen = make_http(server)
    with pytest.raises(Unreachable) as caught:
        await http.send("PUT", "/users", body={"id": "u1"})
    assert len(server.requests) == 1 and sleeps.delays == []
    assert caught.value.maybe_sent is False  # never connected: safe to try again
    assert seen == [ConnectionStatus.OFFLINE]
    await http.aclose()


async def test_post_timing_out_after_sending_may_have_been_carried_out() -> None:
    server = Server(httpx.ReadTimeout("no answer"))
    async with client_for(server) as client:
        request = LinkRequest(kind=LinkKind.PROVIDER, allowed_providers=("JohnDeere",))
        with pytest.raises(Unreachable) as caught:
            await client.links.create_for_user("u1", request)
    assert len(server.requests) == 1
    assert caught.value.maybe_sent is True
    assert "may have been carried out" in str(caught.value)
    assert caught.value.method == "POST"


async def test_get_read_timeout_is_retried_then_succeeds() -> None:
    server = Server(httpx.ReadTimeout("slow"), httpx.Response(200, json=USER))
    http, sleeps, _ = make_http(server)
    response = await http.send("GET", "/users/u1")
    assert response.status_code == 200 and len(sleeps.delays) == 1
    await http.aclose()


async def test_connect_errors_exhaust_retries_then_offline_until_next_success() -> None:
    server = Server(
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
        httpx.Response(200, json=[]),
    )
    http, sleeps, seen = make_http(server, max_retries=3)
    with pytest.raises(Unreachable) as caught:
        await http.send("GET", "/users")
    assert len(server.requests) == 4
    assert len(sleeps.delays) == 3
    assert http.status.status is ConnectionStatus.OFFLINE
    assert "Can't reach Leaf at leaf.test" in str(caught.value)
    assert caught.value.maybe_sent is False
    await http.send("GET", "/users")
    assert seen == [ConnectionStatus.RETRYING, ConnectionStatus.OFFLINE, ConnectionStatus.OK]
    await http.aclose()


async def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    server = Server(httpx.ConnectError("refused"))
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0)
    http, sleeps, _ = make_http(server, max_retries=5, policy=policy)
    with pytest.raises(Unreachable):
        await http.send("GET", "/x")
    ceilings = [1.0, 2.0, 4.0, 4.0, 4.0]
    assert len(sleeps.delays) == 5
    for delay, ceiling in zip(sleeps.delays, ceilings, strict=True):
        assert ceiling / 2 <= delay <= ceiling
    await http.aclose()


def test_max_retries_is_bounded() -> None:
    assert Http(BASE, max_retries=1000).max_retries == 10
    assert Http(BASE, max_retries=-3).max_retries == 0


# --- 429 and Retry-After --------------------------------------------------------------------------


async def test_429_waits_for_retry_after_seconds() -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json=[]))
    http, sleeps, _ = make_http(server)
    await http.send("GET", "/x")
    assert len(sleeps.delays) == 1 and 2.0 <= sleeps.delays[0] <= 2.1
    await http.aclose()


async def test_429_retry_after_http_date() -> None:
    now = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    stamp = format_datetime(now + timedelta(seconds=3), usegmt=True)
    server = Server(httpx.Response(429, headers={"Retry-After": stamp}), httpx.Response(200))
    http, sleeps, _ = make_http(server)
    with clock.frozen(now):
        await http.send("GET", "/x")
    assert 3.0 <= sleeps.delays[0] <= 3.1
    await http.aclose()


async def test_429_with_retry_after_beyond_the_cap_is_raised_at_once() -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "120"}))
    http, sleeps, _ = make_http(server)
    with pytest.raises(RateLimited) as caught:
        await http.send("GET", "/x")
    assert len(server.requests) == 1 and sleeps.delays == []
    assert caught.value.retry_after == 120.0
    assert "try again in 120 s" in str(caught.value)
    await http.aclose()


async def test_429_exhausted_raises_rate_limited_with_retry_after() -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "1"}))
    http, _, _ = make_http(server, max_retries=2)
    with pytest.raises(RateLimited) as caught:
        await http.send("GET", "/x")
    assert len(server.requests) == 3
    assert caught.value.retry_after == 1.0
    await http.aclose()


async def test_post_429_is_not_retried() -> None:
    server = Server(httpx.Response(429, headers={"Retry-After": "1"}))
    http, sleeps, _ = make_http(server)
    with pytest.raises(RateLimited):
        await http.send("POST", "/x", body={})
    assert len(server.requests) == 1 and sleeps.delays == []
    await http.aclose()


# --- status -------------------------------------------------------------------------------------


async def test_slow_answer_marks_status_slow_then_ok_again() -> None:
    async def slow_then_fast(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/slow":
            await asyncio.sleep(0.08)
        return httpx.Response(200, json=[])

    policy = RetryPolicy(slow_after=0.05)
    http = Http(BASE, transport=httpx.MockTransport(slow_then_fast), policy=policy)
    seen: list[ConnectionStatus] = []
    http.status.add_listener(seen.append)
    await http.send("GET", "/slow")
    assert http.status.status is ConnectionStatus.SLOW
    await http.send("GET", "/fast")
    assert seen == [ConnectionStatus.SLOW, ConnectionStatus.OK]
    await http.aclose()


async def test_a_failing_status_listener_does_not_break_requests() -> None:
    server = Server(httpx.Response(503), httpx.Response(200, json=USER))
    async with client_for(server) as client:

        def broken(_: ConnectionStatus) -> None:
            raise RuntimeError("listener bug")

        client.add_status_listener(broken)
        assert (await client.users.get("u1")).id == "u1"
        client.remove_status_listener(broken)


# --- malformed answers ------------------------------------------------------------------------


async def test_malformed_json_on_2xx_is_a_server_error() -> None:
    server = Server(httpx.Response(200, text="{not json", headers={"content-type": "text/plain"}))
    async with client_for(server) as client:
        with pytest.raises(ServerError) as caught:
            await client.users.get("u1")
    assert "Leaf answered with something that isn't JSON" in str(caught.value)


async def test_html_on_2xx_is_a_server_error() -> None:
    page = "<html><body>Captive portal: please sign in</body></html>"
    server = Server(httpx.Response(200, html=page))
    async with client_for(server) as client:
        with pytest.raises(ServerError, match="isn't JSON"):
            await client.links.list(LinkKind.PROVIDER)


@pytest.mark.parametrize(
    ("call", "body"),
    [
        ("users.list", {"id": "u1"}),  # object where an array is expected
        ("users.list", [1, 2, 3]),  # array of non-objects
        ("users.get", ["u1"]),  # array where an object is expected
        ("sentera.events", {"events": []}),
        ("sentera.get", "OK"),
        ("links.list", {"links": []}),
        ("links.get", 42),
        ("auth", {"token": "x"}),  # no id_token
    ],
)
async def test_unexpected_shapes_become_server_errors(call: str, body: Any) -> None:
    server = Server(httpx.Response(200, json=body))
    async with client_for(server) as client:
        with pytest.raises(ServerError, match="unexpected shape"):
            if call == "users.list":
                await client.users.list()
            elif call == "users.get":
                await client.users.get("u1")
            elif call == "sentera.events":
                await client.sentera.events("u1")
            elif call == "sentera.get":
                await client.sentera.get("u1")
            elif call == "links.list":
                await client.links.list(LinkKind.AUTHENTICATION)
            elif call == "links.get":
                await client.links.get(LinkKind.AUTHENTICATION, "l1")
            else:
                await client.auth.authenticate("a@b.c", "pw")


async def test_large_bodies_are_parsed_off_the_event_loop() -> None:
    events = [
        {
            "id": f"e{i:05d}",
            "createdDate": "2026-03-01T10:00:00.123Z",
            "statusCode": 200,
            "headers": "{}",
            "body": "x" * 200,
        }
        for i in range(1500)
    ]
    raw = json.dumps(events).encode()
    assert len(raw) > LARGE_BODY
    server = Server(httpx.Response(200, content=raw))
    http, _, _ = make_http(server)
    threads: list[str] = []

    def convert(data: Any) -> int:
        threads.append(threading.current_thread().name)
        return len(expect_list(data))

    response = await http.send("GET", "/events")
    assert await http.decode(response, convert, method="GET", path="/events") == 1500
    small = httpx.Response(200, json=[{"id": "e"}])
    assert await http.decode(small, convert, method="GET", path="/events") == 1
    assert threads[0] != threading.main_thread().name
    assert threads[1] == threading.main_thread().name
    await http.aclose()


# --- the client's surface ----------------------------------------------------------------------


async def test_timeouts_are_set_connect_5s_read_from_timeout() -> None:
    http = Http(BASE, timeout=10.0)
    timeout = http._client.timeout
    assert (timeout.connect, timeout.read, timeout.write) == (5.0, 10.0, 10.0)
    await http.aclose()


async def test_token_expiry_comes_from_the_jwt_exp_claim() -> None:
    exp = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    async with LeafClient(BASE, jwt({"sub": "a@b.c", "exp": int(exp.timestamp())})) as client:
        assert client.token_expires_at == exp
        client.token = "not-a-jwt"
        assert client.token_expires_at is None
        client.token = None
        assert client.token_expires_at is None and client.token is None


async def test_authenticate_sets_the_token_and_reads_subject_and_expiry() -> None:
    token = jwt({"sub": "support@example.com", "auth": "ROLE_USER", "exp": 1_900_000_000})
    server = Server(httpx.Response(200, json={"id_token": token}))
    async with client_for(server) as client:
        client.token = None
        result = await client.auth.authenticate("support@example.com", "s3cret!", remember_me=False)
        assert client.token == token
    assert result.subject == "support@example.com"
    assert result.expires_at == datetime.fromtimestamp(1_900_000_000, UTC)
    sent = json.loads(server.requests[0].content)
    assert sent == {"username": "support@example.com", "password": "s3cret!", "rememberMe": False}
    assert server.requests[0].url.path == "/api/authenticate"
    assert "authorization" not in server.requests[0].headers
    assert token not in repr(result) and token not in repr(client)


async def test_debug_log_has_method_path_status_time_but_no_secrets() -> None:
    token = jwt({"sub": "a@b.c", "exp": 1_900_000_000})

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/authenticate":
            return httpx.Response(200, json={"id_token": token})
        if request.method == "POST":
            return httpx.Response(
                201,
                json={"id": "c1", "status": "OK", "username": "grower", "authToken": "AT-123"},
            )
        return httpx.Response(404, json={"title": "Not Found", "detail": "no such user"})

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    log = logging.getLogger("leaf-tui-test-debug")
    log.setLevel(logging.DEBUG)
    handler = Collect()
    log.addHandler(handler)
    try:
        server = Server(answer)
        async with client_for(server, debug_log=log) as client:
            await client.auth.authenticate("a@b.c", "hunter2-password")
            credential = await client.sentera.create("u1", "grower", "grower-pass", "Farms")
            with pytest.raises(Exception) as caught:
                await client.users.list(email="x@y.z")
    finally:
        log.removeHandler(handler)
    text = "\n".join(records)
    assert "POST /api/authenticate -> 200 in" in text
    assert "POST /services/usermanagement/api/users/u1/sentera-credentials -> 201 in" in text
    assert "GET /services/usermanagement/api/users?page=0&size=20" in text
    assert " ms" in text
    for secret in (token, "hunter2-password", "grower-pass", "AT-123", "Bearer"):
        assert secret not in text
        assert secret not in str(caught.value)
        assert secret not in repr(credential)


async def test_path_segments_are_escaped() -> None:
    server = Server(httpx.Response(200, json=USER))
    async with client_for(server) as client:
        await client.users.get("../../api/authenticate")
    assert server.requests[0].url.raw_path.startswith(
        b"/services/usermanagement/api/users/..%2F..%2Fapi%2Fauthenticate"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        " [ ] ",
        '[{"a": 1}]',
        '\n[ {"a": [1, 2, {"b": "]"}]} ,\t"x", 3, null, true ]\n',
        '{"an": "object"}',
        '"a string"',
    ],
)
def test_gentle_loads_agrees_with_json_loads_on_large_bodies(text: str) -> None:
    padded = text.replace("[", "[" + " " * (LARGE_BODY + 1), 1) if "[" in text else text
    assert loads_gently(padded.encode()) == json.loads(padded)
    assert loads_gently(text.encode()) == json.loads(text)


@pytest.mark.parametrize("text", ["[1, 2", "[1 2]", "[1,]", "[1] x", "[", "[,1]"])
def test_gentle_loads_rejects_what_json_loads_rejects(text: str) -> None:
    padded = text.replace("[", "[" + " " * (LARGE_BODY + 1), 1)
    with pytest.raises(ValueError):
        json.loads(padded)
    with pytest.raises(ValueError):
        loads_gently(padded.encode())


async def test_a_body_that_cannot_be_decompressed_is_a_server_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        stream = httpx.ByteStream(b"not gzip at all")
        return httpx.Response(200, stream=stream, headers={"content-encoding": "gzip"})

    server = Server(answer)
    async with client_for(server) as client:
        with pytest.raises(ServerError, match="could not be decoded"):
            await client.users.get("u1")


@pytest.mark.parametrize(
    "base",
    [
        "api.withleaf.io",
        "ftp://api.withleaf.io",
        "http://a b",
        "http://127.0.0.1:99999",  # httpx takes it; the socket layer raised OverflowError
        "http://[::1",
    ],
)
async def test_an_unusable_base_url_says_so(base: str) -> None:
    with pytest.raises(Unreachable) as caught:  # when the client is made, before any request
        async with LeafClient(base, "tok", max_retries=0) as client:
            await client.users.list()
    assert "API URL" in str(caught.value)
    assert "\n" not in str(caught.value)
