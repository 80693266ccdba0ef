"""How long the event loop is blocked: a task asks to wake every `interval` and records how late
it woke. The largest lateness is the longest stretch the loop could not answer a key press."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from typing import Any


class LoopLag:
    def __init__(self, interval: float = 0.002, sampler: Any = None) -> None:
        self.interval = interval
        self.sampler = sampler  # blocks.BlockSampler: told of every wake-up
        self.lags: list[float] = []  # seconds late, one per wake-up
        self.gc_pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}  # seconds, by generation
        self._gc_started = 0.0
        self._task: asyncio.Task[None] | None = None

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        # The collector holds the GIL throughout: a long gen-2 pass blocks the loop too.
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pauses[info["generation"]].append(time.perf_counter() - self._gc_started)
            if self.sampler is not None:
                self.sampler.collected(self._gc_started, info["generation"])

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + self.interval
            await asyncio.sleep(self.interval)
            if self.sampler is not None:
                self.sampler.tick()
            self.lags.append(max(0.0, time.perf_counter() - due))

    def start(self) -> LoopLag:
        self.lags.clear()
        for pauses in self.gc_pauses.values():
            pauses.clear()
        gc.callbacks.append(self._on_gc)
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def stop(self) -> None:
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def max_ms(self) -> float:
        return max(self.lags, default=0.0) * 1000

    def gc_summary(self) -> dict[str, Any]:
        """Collections and the longest pause (ms) per generation."""
        return {
            f"gen{g}": {"n": len(p), "max_ms": round(max(p, default=0.0) * 1000, 1)}
            for g, p in self.gc_pauses.items()
        }

    async def __aenter__(self) -> LoopLag:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
