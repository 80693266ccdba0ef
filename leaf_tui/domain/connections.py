"""One row per connection of a grower: what the Connections screen, the triage queue and the
CLI show (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from leaf_tui.api.models import SenteraCredential
from leaf_tui.api.providers import Provider, ProviderCredential, ProviderEvent
from leaf_tui.domain import sentera_diagnosis
from leaf_tui.domain.event_runs import Severity, is_failure
from leaf_tui.domain.provider_diagnosis import (
    Diagnosis,
    Problem,
    diagnose,
    failures_24h,
    last_event,
)

NOT_CHECKED = "not checked"
"""The status shown for a credential whose object carries no status."""
DIAGNOSIS_WINDOW = 200
"""The newest events a diagnosis looks at (it needs only the latest run of failures)."""


@dataclass(frozen=True)
class Connection:
    provider: Provider
    credential: ProviderCredential | None
    diagnosis: Diagnosis
    failures_24h: int
    last_event: ProviderEvent | None
    last_failure: ProviderEvent | None
    events_checked: bool
    """False when the events could not be read (the diagnosis then rests on the status)."""

    @property
    def status(self) -> str:
        if self.credential is None:
            return "not connected"
        return self.credential.status or NOT_CHECKED

    @property
    def unhealthy(self) -> bool:
        return self.diagnosis.severity in (Severity.ERROR, Severity.WARNING) or (
            self.credential is not None and is_unhealthy_status(self.credential)
        )


def connection(
    p: Provider,
    credential: ProviderCredential | None,
    events: Sequence[ProviderEvent] | None,
    now: datetime,
) -> Connection:
    """`events` None when they were not (or could not be) read."""
    known = list(events or ())
    recent = known[-DIAGNOSIS_WINDOW:]
    failing = [e for e in known if is_failure(e.status_code) and e.created_date is not None]
    return Connection(
        provider=p,
        credential=credential,
        diagnosis=_diagnose(p, credential, recent, now),
        failures_24h=failures_24h(known, now),
        last_event=last_event(known),
        last_failure=max(failing, key=lambda e: (e.created_date, e.id)) if failing else None,
        events_checked=events is not None,
    )


def _diagnose(
    p: Provider,
    credential: ProviderCredential | None,
    events: Sequence[ProviderEvent],
    now: datetime,
) -> Diagnosis:
    """Sentera keeps its own, finer rules (organization names, did-you-mean); the words are
    the Sentera screen's, where enter leads."""
    if p.name != "Sentera":
        return diagnose(p, credential, events, now)
    sentera = None if credential is None else SenteraCredential.from_json(credential.raw)
    found = sentera_diagnosis.diagnose(sentera, events, now)
    return Diagnosis(
        _SENTERA_PROBLEMS.get(found.problem, Problem.SYNC_FAILED),
        found.severity,
        found.message,
        found.key,
        found.problem.value.replace("-", " "),
    )


_SENTERA_PROBLEMS = {
    sentera_diagnosis.Problem.NOT_CONNECTED: Problem.NOT_CONNECTED,
    sentera_diagnosis.Problem.NO_EVENTS: Problem.NO_EVENTS,
    sentera_diagnosis.Problem.HEALTHY: Problem.HEALTHY,
    sentera_diagnosis.Problem.PASSWORD_CHANGED: Problem.UNAUTHENTICATED,
    sentera_diagnosis.Problem.LOGIN_FAILED: Problem.UNAUTHENTICATED,
    sentera_diagnosis.Problem.PROVIDER_DOWN: Problem.PROVIDER_DOWN,
    sentera_diagnosis.Problem.RATE_LIMITED: Problem.RATE_LIMITED,
    sentera_diagnosis.Problem.UNKNOWN_STATUS: Problem.UNKNOWN_STATUS,
}


def is_unhealthy_status(credential: ProviderCredential) -> bool:
    """A status that is not OK; no status at all says nothing (it is not checked)."""
    return credential.status is not None and not credential.healthy


__all__ = [
    "DIAGNOSIS_WINDOW",
    "NOT_CHECKED",
    "Connection",
    "Problem",
    "connection",
    "is_unhealthy_status",
]
