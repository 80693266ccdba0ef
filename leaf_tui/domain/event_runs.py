"""What a credential's events say, whatever the provider (Sentera's have the same shape as every
other's): which calls worked, the run of failures since the last success, and the words for the
failures Leaf retries by itself. Shared by the Sentera and the provider diagnoses; no Textual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal

from leaf_tui.api.models import SenteraEvent
from leaf_tui.common.formatting import ago


class Severity(Enum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def sort_key(event: SenteraEvent) -> tuple[float, str]:
    """Events sort by createdDate, then id; undated events first (the API documents no order)."""
    stamp = event.created_date.timestamp() if event.created_date is not None else float("-inf")
    return (stamp, event.id)


def is_success(code: int | None) -> bool:
    return code is not None and 200 <= code < 300


def is_failure(code: int | None) -> bool:
    return code is not None and code >= 400


def trailing_failures(events: Sequence[SenteraEvent]) -> list[SenteraEvent]:
    """The failed events after the last success (oldest first), given events in time order."""
    failures: list[SenteraEvent] = []
    for event in reversed(events):
        if is_success(event.status_code):
            break
        if is_failure(event.status_code):
            failures.append(event)
    failures.reverse()
    return failures


def last_success(events: Sequence[SenteraEvent]) -> SenteraEvent | None:
    for event in reversed(events):
        if is_success(event.status_code):
            return event
    return None


@dataclass(frozen=True)
class Recent:
    """A credential's events read for a diagnosis."""

    ordered: list[SenteraEvent]
    """All of them, oldest first."""
    failures: list[SenteraEvent]
    """The failures since the last success, oldest first."""
    success: SenteraEvent | None
    since: str
    """How many failed: "3 failed in a row", "the last sync failed"."""
    last_ok: str
    """"; last success 2 h ago", or "" when none succeeded."""


def recent(events: Sequence[SenteraEvent], now: datetime, *, step: str) -> Recent:
    """`events` in any order; `step` names one exchange in `since` ("sync", "call")."""
    ordered = sorted(events, key=sort_key)
    failures = trailing_failures(ordered)
    success = last_success(ordered)
    count = len(failures)
    return Recent(
        ordered=ordered,
        failures=failures,
        success=success,
        since=f"{count} failed in a row" if count > 1 else f"the last {step} failed",
        last_ok=f"; last success {ago(success.created_date, now)}" if success else "",
    )


def retried(
    name: str, events: Recent, *, wait: str = ""
) -> tuple[Literal["RATE_LIMITED", "PROVIDER_DOWN"], str] | None:
    """For a latest failure that Leaf retries by itself (429, 5xx): the name of the Problem and
    the words (a warning, nothing to fix yet); None for any other. `wait` follows the 429."""
    code = events.failures[-1].status_code if events.failures else None
    run = f"{events.since}{events.last_ok}"
    if code == 429:
        return (
            "RATE_LIMITED",
            f"{name} is rate-limiting Leaf (429{wait}, {run}). "
            "Leaf retries by itself; nothing to fix here yet.",
        )
    if code is not None and code >= 500:
        return (
            "PROVIDER_DOWN",
            f"{name} is answering errors ({code}, {run}). Usually temporary: "
            f"Leaf retries. If it lasts for hours, check {name}'s status.",
        )
    return None


def syncing_normally(success: SenteraEvent, now: datetime) -> str:
    return f"Syncing normally; last success {ago(success.created_date, now)}."
