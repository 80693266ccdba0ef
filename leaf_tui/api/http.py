"""The transport: one httpx.AsyncClient per LeafClient, retries, error mapping, debug log.

GET and DELETE are retried with exponential backoff and jitter on connection failures, timeouts,
429 (honouring Retry-After, capped) and 502/503/504. POST and PUT are never retried: a magic link
must not be created twice. Bodies are decoded (and converted to models) in a worker thread when
they are large, so the UI loop stays responsive.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx

from leaf_tui.api import tls
from leaf_tui.api.base_url import BadBaseURL, check_base_url
from leaf_tui.api.budget import RequestBudget
from leaf_tui.api.error_map import error_from_response, parse_retry_after
from leaf_tui.api.errors import AuthError, LeafError, ReadOnly, ServerError, Unreachable
from leaf_tui.api.status import ConnectionStatus, StatusTracker
from leaf_tui.common import clock

T = TypeVar("T")

LARGE_BODY = 200_000
"""Bytes above which a JSON body is parsed in a thread rather than on the event loop."""

MAX_BODY = 128 * 1024 * 1024
"""Bytes of one answer read at most (as sent, before decompression). The largest whole list a
server ignoring paging could send is far below: 20,000 users at ~1.6 KB each (the sandbox's
largest, with its provider credentials, is 1,618 bytes) is 31 MiB, and Leaf pages at 100. A
300 MB answer once took 2.5 GB to parse."""
DEADLINE = 60.0
"""Seconds one attempt may take from sending to the last byte: the per-read timeout alone let a
server trickling a byte every 5 s hold a request for ever."""
LONG_WAIT = 2.0
"""A wait before a retry at least this long is announced (status_failure, starting WAIT_SAID)."""
WAIT_SAID = "Leaf asked to wait"

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "DELETE", "HEAD", "OPTIONS"})
READS = frozenset({"GET", "HEAD", "OPTIONS"})

# errors raised before a single byte of the request could have reached the server
_NOT_SENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)
# transport errors worth another try for an idempotent request
_TRANSIENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
_CONNECT: tuple[type[httpx.TransportError], ...] = (httpx.ConnectError, httpx.ConnectTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff and thresholds. Tests shrink the delays; the defaults suit a person waiting."""

    base_delay: float = 0.25  # first backoff; doubles each attempt
    max_delay: float = 4.0  # cap of one backoff
    retry_after_cap: float = 30.0  # a longer Retry-After is not waited for: RateLimited at once
    slow_after: float = 2.0  # an answer slower than this marks the connection SLOW


_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _decode_in_slices(content: bytes, size: int = 1 << 18) -> str:
    """UTF-8 (BOM tolerated) in 256 KB slices, so no single call holds the GIL for long."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    parts = [decoder.decode(content[i : i + size]) for i in range(0, len(content), size)]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def loads_gently(content: bytes) -> Any:
    """json.loads, except that a large top-level array is decoded one element at a time.

    json.loads holds the GIL for the whole body (~150 ms for 7 MB), which would stall the UI
    loop even from a worker thread; element by element, the GIL changes hands in between."""
    if len(content) <= LARGE_BODY:
        return json.loads(content)
    text = _decode_in_slices(content)
    i, end = 0, len(text)
    while i < end and text[i] in _SPACE:
        i += 1
    if i >= end or text[i] != "[":
        return json.loads(text)
    items: list[Any] = []
    i += 1
    while True:
        while i < end and text[i] in _SPACE:
            i += 1
        if i < end and text[i] == "]" and not items:
            i += 1
            break
        item, i = _DECODER.raw_decode(text, i)
        items.append(item)
        while i < end and text[i] in _SPACE:
            i += 1
        if i < end and text[i] == ",":
            i += 1
            continue
        if i < end and text[i] == "]":
            i += 1
            break
        raise json.JSONDecodeError("expected ',' or ']'", text, i)
    if text[i:].strip(_SPACE):
        raise json.JSONDecodeError("extra data", text, i)
    return items


def seg(value: str) -> str:
    """One path segment, escaped so an id can never change the path."""
    return quote(str(value), safe="")


def _bad_shape(method: str, path: str, expected: str, status: int) -> ServerError:
    return ServerError(
        f"Leaf answered {method} {path} with an unexpected shape (expected {expected}); "
        "the API may have changed: report it with the debug log",
        status=status,
        method=method,
        path=path,
    )


class Http:
    """Requests against one base URL with one token; everything below the services."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        debug_log: logging.Logger | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        max_body: int = MAX_BODY,
        deadline: float = DEADLINE,
        read_only: bool = False,
    ) -> None:
        try:
            self.base_url = check_base_url(base_url)
        except BadBaseURL as exc:
            raise Unreachable(f"{exc}: check the profile's API URL", detail="BadBaseURL") from None
        self.read_only = read_only
        """Refuse every write (anything but GET, HEAD, OPTIONS; logging in still works)."""
        self.token = token
        self.timeout = timeout
        self.max_body = max_body
        self.deadline = deadline
        self.max_retries = max(0, min(int(max_retries), 10))
        self.policy = policy or RetryPolicy()
        self.status = StatusTracker()
        self.budget = RequestBudget(sleep=sleep)
        self._debug = debug_log
        self._sleep = sleep or asyncio.sleep
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            headers={"Accept": "application/json", "User-Agent": "leaf-tui"},
            follow_redirects=False,
            verify=tls.context_for(self.base_url),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def closed(self) -> bool:
        return self._client.is_closed

    # --- requests -------------------------------------------------------------------------------

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One attempt, from sending to the last byte, within `deadline` seconds (DeadlinePassed
        after): the per-read timeout alone lets a trickling server hold a request for ever."""
        try:
            async with asyncio.timeout(self.deadline):
                return await self._exchange(method, path, **kwargs)
        except TimeoutError:
            raise DeadlinePassed(f"no whole answer within {self.deadline:g} s") from None

    async def _exchange(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send, and read the body as sent up to `max_body` bytes (BodyTooLarge beyond), so a huge
        or endless answer costs at most that much memory."""
        request = self._client.build_request(method, path, **kwargs)
        streamed = await self._client.send(request, stream=True)
        if streamed.is_stream_consumed:  # a transport answering with a body already read
            if len(await streamed.aread()) > self.max_body:  # (httpx.MockTransport)
                raise BodyTooLarge(len(streamed.content))
            return streamed
        try:
            declared = streamed.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body:
                raise BodyTooLarge(int(declared))
            chunks: list[bytes] = []
            size = 0
            async for chunk in streamed.aiter_raw():
                size += len(chunk)
                if size > self.max_body:
                    raise BodyTooLarge(size)
                chunks.append(chunk)
        finally:
            await streamed.aclose()
        # the body as sent; httpx decodes it (gzip...) as for any response built with content
        return httpx.Response(
            streamed.status_code,
            headers=streamed.headers,
            content=b"".join(chunks),
            request=request,
            extensions=streamed.extensions,
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        auth: bool = True,
        what: str | None = None,
    ) -> httpx.Response:
        """Send and return a 2xx response, or raise a LeafError. `what` names the target for
        error messages ("Leaf user 42")."""
        method = method.upper()
        if self.read_only and auth and method not in READS:
            raise ReadOnly(
                f"Not sent: this profile is read-only ({method} {path} would change data). "
                "Remove read_only from the profile in settings.toml to allow changes.",
                method=method,
                path=path,
            )
        retryable = method in IDEMPOTENT
        attempts = 1 + (self.max_retries if retryable else 0)
        headers: dict[str, str] = {}
        if auth and self.token:
            if not (self.token.isascii() and self.token.isprintable() and " " not in self.token):
                raise AuthError(
                    "The token holds a space, a control or a non-ASCII character, so it cannot be "
                    "sent: log in again, or set LEAF_TOKEN to the token alone",
                    method=method,
                    path=path,
                )
            headers["Authorization"] = f"Bearer {self.token}"
        after_429 = False
        for attempt in range(attempts):
            last = attempt == attempts - 1
            started = clock.monotonic()
            try:
                # the profile's request budget (a retry after a 429 has waited it out already)
                async with self.budget.slot(wait_pause=not after_429):
                    response = await self._request(
                        method, path, params=params, json=body, headers=headers
                    )
            except BodyTooLarge as exc:
                self._log(method, path, params, f"body over {self.max_body} bytes", 0.0)
                self.status.set(ConnectionStatus.OK)
                raise ServerError(
                    f"Leaf's answer to {method} {path} is larger than {_mib(self.max_body)} "
                    f"(at least {_mib(exc.size)}) and was not read: narrow the request "
                    "(a search, a user's links), and report it with the debug log",
                    method=method,
                    path=path,
                    detail="BodyTooLarge",
                ) from None
            except DeadlinePassed:
                elapsed = clock.monotonic() - started
                self._log(method, path, params, "failed: deadline", elapsed)
                self.status.set(ConnectionStatus.SLOW)
                # not retried: a server that trickled once will trickle again
                raise self._unreachable(
                    httpx.ReadTimeout("deadline"), method, path, within=self.deadline
                ) from None
            except httpx.TransportError as exc:
                elapsed = clock.monotonic() - started
                self._log(method, path, params, f"failed: {type(exc).__name__}", elapsed)
                if retryable and not last and isinstance(exc, _TRANSIENT):
                    await self._back_off(self._delay(attempt))
                    continue
                cut_off = isinstance(exc, _CONNECT)
                self.status.failed(
                    ConnectionStatus.OFFLINE if cut_off else ConnectionStatus.SLOW,
                    f"{type(exc).__name__} on {method} {path}",
                )
                raise self._unreachable(exc, method, path) from None
            except httpx.DecodingError:
                self.status.failed(
                    ConnectionStatus.DEGRADED, f"undecodable answer to {method} {path}"
                )
                raise ServerError(
                    f"Leaf's answer to {method} {path} could not be decoded (bad compression "
                    "or encoding); try again, and report it if it persists",
                    method=method,
                    path=path,
                ) from None
            except (httpx.RequestError, httpx.InvalidURL) as exc:
                raise Unreachable(
                    f"Could not send {method} {path} to {self.base_url!r} ({type(exc).__name__}): "
                    "check the profile's API URL",
                    method=method,
                    path=path,
                    detail=type(exc).__name__,
                ) from None
            elapsed = clock.monotonic() - started
            self._log(method, path, params, str(response.status_code), elapsed)
            code = response.status_code
            after_429 = code == 429
            if code == 429:  # every screen of this profile holds off, not only this request
                wait = parse_retry_after(response.headers.get("retry-after"))
                self.budget.back_off(wait if wait is not None else self._delay(attempt))
            if retryable and not last and code in RETRY_STATUSES:
                delay = self._delay(attempt)
                if code == 429:
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                    if retry_after is not None and retry_after > self.policy.retry_after_cap:
                        self.status.failed(
                            ConnectionStatus.DEGRADED, f"HTTP 429 on {method} {path}"
                        )
                        raise error_from_response(response, method=method, path=path, what=what)
                    if retry_after is not None:
                        delay = retry_after + random.uniform(0, 0.1)
                        if delay >= LONG_WAIT:
                            why = f"{WAIT_SAID} {delay:.0f} s (HTTP 429); retrying then"
                            await self._back_off(delay, why)
                            continue
                await self._back_off(delay)
                continue
            if code >= 500 or code == 429:
                # Leaf answered, with a failure: not OK, whatever the speed
                self.status.failed(ConnectionStatus.DEGRADED, f"HTTP {code} on {method} {path}")
            else:
                self.status.set(
                    ConnectionStatus.SLOW
                    if elapsed > self.policy.slow_after
                    else ConnectionStatus.OK
                )
            if response.is_success:
                return response
            raise error_from_response(response, method=method, path=path, what=what)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def get_json(
        self,
        path: str,
        convert: Callable[[Any], T],
        *,
        params: Mapping[str, str | int] | None = None,
        what: str | None = None,
    ) -> tuple[T, httpx.Response]:
        response = await self.send("GET", path, params=params, what=what)
        return await self.decode(response, convert, method="GET", path=path), response

    async def decode(
        self,
        response: httpx.Response,
        convert: Callable[[Any], T],
        *,
        method: str,
        path: str,
    ) -> T:
        """Parse the body as JSON and convert it; in a thread when the body is large.
        Malformed JSON or an unexpected shape becomes ServerError, never a crash."""

        def work() -> T:
            try:
                data = loads_gently(response.content)
            except ValueError:
                raise ServerError(
                    f"Leaf answered with something that isn't JSON (HTTP {response.status_code} "
                    f"to {method} {path}); try again, and report it if it persists",
                    status=response.status_code,
                    method=method,
                    path=path,
                ) from None
            try:
                return convert(data)
            except LeafError:
                raise
            except ShapeError as exc:
                raise _bad_shape(method, path, str(exc), response.status_code) from None
            except (TypeError, KeyError, ValueError, AttributeError, IndexError):
                raise _bad_shape(
                    method, path, "Leaf's documented fields", response.status_code
                ) from None

        try:
            if len(response.content) > LARGE_BODY:
                return await asyncio.to_thread(work)
            return work()
        except ServerError:
            # here, on the loop: status listeners redraw the screen
            self.status.failed(ConnectionStatus.DEGRADED, f"malformed answer to {method} {path}")
            raise

    # --- helpers --------------------------------------------------------------------------------

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [base/2, base * 2**attempt], capped."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)

    async def _back_off(self, delay: float, why: str | None = None) -> None:
        """Wait before a retry; a long wait says why (status_failure: TUI header, CLI stderr)."""
        if why is None:
            self.status.set(ConnectionStatus.RETRYING)
        else:
            self.status.waiting(why)
        await self._sleep(max(0.0, delay))

    def _unreachable(
        self,
        exc: httpx.TransportError,
        method: str,
        path: str,
        *,
        within: float | None = None,
    ) -> Unreachable:
        host = urlsplit(self.base_url).netloc or self.base_url
        ctx: dict[str, Any] = {"method": method, "path": path, "detail": type(exc).__name__}
        if isinstance(exc, httpx.UnsupportedProtocol):
            return Unreachable(
                f"The API URL {self.base_url!r} is not usable: check the profile's base URL", **ctx
            )
        if isinstance(exc, _NOT_SENT):
            if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                reason = "the connection timed out"
            else:
                reason = "the connection failed"
            return Unreachable(
                f"Can't reach Leaf at {host} ({reason}): check the network or the profile's "
                "API URL, then try again",
                maybe_sent=False,
                **ctx,
            )
        if within is not None:
            what_happened = f"did not finish answering {method} {path} within {within:g} s"
        elif isinstance(exc, httpx.TimeoutException):
            what_happened = f"did not answer {method} {path} within {self.timeout:g} s"
        else:
            what_happened = f"closed the connection before answering {method} {path}"
        if method in IDEMPOTENT:
            return Unreachable(
                f"Leaf at {host} {what_happened}; try again shortly", maybe_sent=True, **ctx
            )
        return Unreachable(
            f"Leaf at {host} {what_happened}; the request may have been carried out: "
            "check (e.g. refresh the list) before trying again",
            maybe_sent=True,
            **ctx,
        )

    def _log(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        outcome: str,
        elapsed: float,
    ) -> None:
        """Method, path (+ query), outcome and time. Never headers or bodies: they hold secrets."""
        if self._debug is None:
            return
        query = ""
        if params:
            query = "?" + "&".join(f"{k}={v}" for k, v in params.items())
        self._debug.debug("%s %s%s -> %s in %.0f ms", method, path, query, outcome, elapsed * 1000)


class BodyTooLarge(Exception):
    """An answer longer than `Http.max_body`; `size` is how much was seen (or declared)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class DeadlinePassed(Exception):
    """An attempt that took longer than `Http.deadline` from sending to the last byte."""


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MiB"


class ShapeError(TypeError):
    """The JSON parsed but is not the documented shape; `decode` turns it into ServerError."""


def expect_list(data: Any) -> list[Mapping[str, Any]]:
    """A bare JSON array of objects."""
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise ShapeError("a JSON array of objects")
    return data


def expect_object(data: Any) -> Mapping[str, Any]:
    """A JSON object."""
    if not isinstance(data, Mapping):
        raise ShapeError("a JSON object")
    return data
