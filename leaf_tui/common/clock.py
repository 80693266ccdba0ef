"""The one source of "now" for the client side (tests and screenshots freeze it)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_frozen: datetime | None = None


def now() -> datetime:
    """The current time as an aware UTC datetime, or the frozen one."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def monotonic() -> float:
    """Seconds for measuring intervals; unaffected by freezing."""
    return time.monotonic()


def freeze(at: datetime | None) -> None:
    """Freeze `now()` at `at` (aware), or unfreeze with None."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    previous = _frozen
    freeze(at)
    try:
        yield
    finally:
        freeze(previous)
