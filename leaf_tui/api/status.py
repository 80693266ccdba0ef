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

    @property
    def label(self) -> str:
        return self.name.capitalize()


StatusListener = Callable[[ConnectionStatus], None]


class StatusTracker:
    """Holds the current status and tells listeners when it changes (only on change)."""

    def __init__(self) -> None:
        self._status = ConnectionStatus.OK
        self._detail: str | None = None
        self._listeners: list[StatusListener] = []

    @property
    def status(self) -> ConnectionStatus:
        return self._status

    @property
    def detail(self) -> str | None:
        """Why, when the status has a reason worth a line (a long Retry-After wait)."""
        return self._detail

    def add_listener(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def set(self, status: ConnectionStatus, detail: str | None = None) -> None:
        if status is self._status and detail == self._detail:
            return
        self._status = status
        self._detail = detail
        for listener in list(self._listeners):
            try:
                listener(status)
            except Exception:  # a broken listener must not break a request
                _log.exception("connection status listener failed")
