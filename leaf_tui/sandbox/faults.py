"""Fault injection (issue 6): ASGI middleware that makes the Leaf API paths slow, failing,
rate-limited, dropped or garbled. The control API and the landing page are never touched."""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import problem_body

FAULTY_PREFIXES = ("/api/", "/services/")
_HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
    b"Gateway</h1></center><hr><center>nginx</center></body></html>"
)


@dataclass
class FaultSettings:
    latency_ms: int = 0
    jitter_ms: int = 0
    error_rate: float = 0.0
    error_status: list[int] = field(default_factory=lambda: [500])
    rate_limit: float = 0.0  # requests per second; 0 = unlimited
    drop_rate: float = 0.0  # close the connection before the request is handled
    drop_after_rate: float = 0.0  # handle the request, then close without the answer
    malformed_rate: float = 0.0
    html_rate: float = 0.0  # an nginx-style HTML 502 page instead of the answer

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: FaultSettings | None = None) -> FaultSettings:
        """Validated settings; ValueError names the bad key."""
        out = asdict(base or cls())
        known = {f.name for f in fields(cls)}
        for key, value in data.items():
            if key not in known:
                raise ValueError(
                    f"unknown fault setting {key!r}; known: {', '.join(sorted(known))}"
                )
            out[key] = _check(key, value)
        return cls(**out)

    @property
    def active(self) -> bool:
        return any(
            (
                self.drop_after_rate,
                self.latency_ms,
                self.jitter_ms,
                self.error_rate,
                self.rate_limit,
                self.drop_rate,
                self.malformed_rate,
                self.html_rate,
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "active": self.active}


def _check(key: str, value: Any) -> Any:
    if key == "error_status":
        statuses = value if isinstance(value, list) else [value]
        if not statuses or not all(
            isinstance(s, int) and not isinstance(s, bool) and 400 <= s <= 599 for s in statuses
        ):
            raise ValueError("error_status must be a status (400-599) or a non-empty list of them")
        return list(statuses)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{key} must be a number")
    if key.endswith("_rate") and not 0 <= value <= 1:
        raise ValueError(f"{key} must be between 0 and 1")
    if key in ("latency_ms", "jitter_ms"):
        if not 0 <= value <= 120_000:
            raise ValueError(f"{key} must be between 0 and 120000")
        return int(value)
    if key == "rate_limit" and not 0 <= value <= 100_000:
        raise ValueError("rate_limit must be between 0 and 100000 requests per second")
    return float(value)


class FaultMiddleware:
    def __init__(self, app: ASGIApp, get_settings: Any) -> None:
        self.app = app
        self.get_settings = get_settings
        self.rng = random.Random()
        self._window_start = 0.0
        self._window_count = 0

    def _rate_limited(self, limit: float) -> float | None:
        """Seconds to wait if over the limit in the current one-second window."""
        now = time.monotonic()
        if now - self._window_start >= 1.0:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        if self._window_count > max(limit, 1):
            return max(1.0 - (now - self._window_start), 0.0)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings: FaultSettings = self.get_settings()
        path = scope.get("path", "")
        if scope["type"] != "http" or not settings.active or not path.startswith(FAULTY_PREFIXES):
            await self.app(scope, receive, send)
            return
        delay = settings.latency_ms + self.rng.uniform(0, settings.jitter_ms)
        if delay:
            await asyncio.sleep(delay / 1000)
        if settings.rate_limit:
            wait = self._rate_limited(settings.rate_limit)
            if wait is not None:
                retry = str(max(1, math.ceil(wait)))
                await _problem(send, path, 429, "Too many requests: slow down", retry)
                return
        roll = self.rng.random
        if settings.drop_rate and roll() < settings.drop_rate:
            await _drop(scope.get("sandbox.raw_send", send))
            return
        if settings.drop_after_rate and roll() < settings.drop_after_rate:
            await self.app(scope, receive, _swallow)
            await _drop(scope.get("sandbox.raw_send", send))
            return
        if settings.error_rate and roll() < settings.error_rate:
            status = self.rng.choice(settings.error_status)
            if status == 502:
                await _raw(send, 502, "text/html", _HTML_502)
            else:
                await _problem(send, path, status, "Injected fault")
            return
        if settings.html_rate and roll() < settings.html_rate:
            await _raw(send, 502, "text/html", _HTML_502)
            return
        if settings.malformed_rate and roll() < settings.malformed_rate:
            await _raw(send, 200, "application/json", b'{"id": "truncated", "items": [1, 2')
            return
        await self.app(scope, receive, send)


async def _raw(
    send: Send, status: int, ctype: str, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": body})


async def _problem(
    send: Send, path: str, status: int, detail: str, retry: str | None = None
) -> None:
    body = json.dumps(problem_body(path, status, detail))
    extra = [(b"retry-after", retry.encode())] if retry else []
    await _raw(send, status, "application/problem+json", body.encode(), extra)


async def _swallow(message: Any) -> None:
    """The answer that never reaches the client."""


async def _drop(send: Send) -> None:
    """Close the connection without an answer. Under uvicorn, `send` is bound to the request
    cycle, which holds the transport; elsewhere (ASGITransport) raise a connection error."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionResetError("sandbox fault: connection dropped")
    transport.abort()
    for _ in range(3):
        await asyncio.sleep(0)
