"""The request budget: one per profile (one per LeafClient, so shared by every screen: the Links
poll, the Users table's per-row lookups, the user index, the events log), so that leaf-tui can
never get a company's production account rate-limited.

At most RATE requests a second on average (bursts of BURST), at most CONCURRENT in flight, and
after a 429 every request of the profile waits until the back-off (its Retry-After) has passed.
Leaf documents no rate limit; these figures keep a 2,000-link Links poll (~22 requests) within a
second or two while leaving room for the other screens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from leaf_tui.common import clock

RATE = 20.0
"""Requests a second, on average, per profile."""
BURST = 50
"""Requests that may go at once after a quiet spell."""
CONCURRENT = 8
"""Requests in flight at once, per profile."""


class RequestBudget:
    def __init__(
        self,
        rate: float = RATE,
        burst: int = BURST,
        concurrent: int = CONCURRENT,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._stamp = clock.monotonic()
        self._paused_until = 0.0
        self._in_flight = asyncio.Semaphore(concurrent)
        self._sleep = sleep or asyncio.sleep

    def back_off(self, seconds: float) -> None:
        """A 429: no request of this profile leaves before `seconds` from now."""
        self._paused_until = max(self._paused_until, clock.monotonic() + max(0.0, seconds))

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - clock.monotonic())

    async def _take(self, *, wait_pause: bool) -> None:
        """Wait out any back-off, then take a token (reserving one ahead when none is left, and
        waiting for it): no loop, so a test's instant sleep cannot spin."""
        pause = self.paused_for if wait_pause else 0.0
        if pause > 0:
            await self._sleep(pause)
        now = clock.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self._tokens -= 1
        if self._tokens < 0:
            await self._sleep(-self._tokens / self.rate)

    @asynccontextmanager
    async def slot(self, *, wait_pause: bool = True) -> AsyncIterator[None]:
        """Hold one request's place: within the rate, the concurrency and any back-off
        (`wait_pause=False` for the request that got the 429: it waited out its own)."""
        async with self._in_flight:
            await self._take(wait_pause=wait_pause)
            yield
