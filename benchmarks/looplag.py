"""How long the event loop is blocked: a task asks to wake every `interval` and records how late
it woke. The largest lateness is the longest stretch the loop could not answer a key press."""

from __future__ import annotations

import asyncio
import contextlib
import time


class LoopLag:
    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.lags: list[float] = []  # seconds late, one per wake-up
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + self.interval
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, time.perf_counter() - due))

    def start(self) -> LoopLag:
        self.lags.clear()
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def max_ms(self) -> float:
        return max(self.lags, default=0.0) * 1000

    async def __aenter__(self) -> LoopLag:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
