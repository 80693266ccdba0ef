"""The sandbox clock: a base clock (frozen by tests, else real time) plus an offset that the
control API shifts. Every expiry, 410 and token check reads it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _real_now() -> datetime:
    return datetime.now(UTC)


class SandboxClock:
    def __init__(self, base: Callable[[], datetime] | None = None) -> None:
        self._base = base or _real_now
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        base = self._base()
        if base.tzinfo is None:
            base = base.replace(tzinfo=UTC)
        with self._lock:
            return base.astimezone(UTC) + self._offset

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset.total_seconds()

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def set(self, when: datetime) -> datetime:
        base = self._base()
        if base.tzinfo is None:
            base = base.replace(tzinfo=UTC)
        with self._lock:
            self._offset = when.astimezone(UTC) - base.astimezone(UTC)
        return self.now()
