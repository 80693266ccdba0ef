"""The snapshot tests' wait: they run the app in snap_compare's own loop, without the Pilot
fixtures, and may wait long on a loaded machine (500 pauses at the least, bounded)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def until(pilot: Pilot[Any], predicate: Callable[[], bool], what: str) -> None:
    """Pause until `predicate()` holds; fail naming `what` if it never does."""
    for _ in range(500):
        await pilot.pause()
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
