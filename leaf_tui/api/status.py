"""How the connection to Leaf feels right now, with listeners for the header badge."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum

_log = logging.getLogger(__name__)


class ConnectionStatus(Enum):
    OK = "ok"
    SLOW = "slow"  # the last answer took longer than the slow threshold
    RETRYING = "retrying"  # waiting before a retry
    OFFLINE = "offline"  # retries exhausted without reaching Leaf
    DEGRADED = "degraded"  # Leaf answered, but with a failure (5xx, 429, a garbled body)

    @property
    def label(self) -> str:
        return self.name.capitalize()


StatusListener = Callable[[ConnectionStatus], None]


class StatusTracker:
    """Holds the current status and tells listeners when it changes (only on change).

    `failure` says what the last failed call met ("HTTP 500 on GET /users"), for as long as the
    status is not OK: a badge saying OK while every call fails would be a lie."""

    def __init__(self) -> None:
        self._status = ConnectionStatus.OK
        self._listeners: list[StatusListener] = []
        self.failure: str | None = None

    @property
    def status(self) -> ConnectionStatus:
        return self._status

    def failed(self, status: ConnectionStatus, failure: str) -> None:
        """A call failed: `status` (DEGRADED, SLOW, OFFLINE) with what it met."""
        self.failure = failure
        self.set(status, keep_failure=True)

    def waiting(self, why: str) -> None:
        """A long wait before a retry (Retry-After): RETRYING, saying why; told to listeners even
        when already RETRYING, since what they show has changed."""
        self.failure = why
        if self._status is ConnectionStatus.RETRYING:
            self._tell(self._status)
        else:
            self.set(ConnectionStatus.RETRYING, keep_failure=True)

    def add_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def set(self, status: ConnectionStatus, *, keep_failure: bool = False) -> None:
        if not keep_failure and status is ConnectionStatus.OK:
            self.failure = None
        if status is self._status:
            return
        self._status = status
        self._tell(status)

    def _tell(self, status: ConnectionStatus) -> None:
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:  # a broken listener must not break a request
                _log.exception("connection status listener failed")
