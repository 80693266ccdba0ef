"""One poll of a connection screen (Sentera's, a provider's): the credential beside its events.

The credential is asked at the same time as the events (its status changes with syncs) and shown
before the first events are, so the log scrubs its secrets from the very first row. The events
may come in parts (the newest page of a long log first): each is handed on as it comes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Coroutine, Sequence
from typing import Any, TypeVar

C = TypeVar("C")
E = TypeVar("E")


async def credential_and_events(
    credential: Coroutine[Any, Any, C | None],
    events: AsyncGenerator[Sequence[E], None],
    show: Callable[[C | None], None],
) -> AsyncGenerator[Sequence[E], None]:
    """The parts of `events`, after `show(credential)`; one empty part when there is none (the
    events of a credential gone meanwhile are not shown)."""
    asking = asyncio.ensure_future(credential)
    try:
        async with contextlib.aclosing(events) as parts:
            shown = False
            async for part in parts:
                if not shown:
                    found = await asking
                    show(found)
                    shown = True
                    if found is None:
                        yield []
                        return
                yield part
            if not shown:  # no events at all: still one (empty) answer
                show(await asking)
                yield []
    finally:
        if not asking.done():
            asking.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asking
        elif not asking.cancelled():
            asking.exception()  # read: a failure the events' failure overtook is not logged


__all__ = ["credential_and_events"]
