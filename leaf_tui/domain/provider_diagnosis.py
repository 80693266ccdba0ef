"""What is wrong with a grower's connection to any provider, in plain words (no Textual here).

Rules per provider family: OAuth (a refresh token the grower can revoke, scopes, John Deere
organizations, STAGE vs PRODUCTION), key-based (keys that stop working), username/password
(a changed password). Each names the fix and the key on the Connections screen that does it:
`a` copies an authentication magic link (providers magic links allow), `n` creates the
credential again from the documented fields (the others).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from leaf_tui.api.providers import Family, Provider, ProviderCredential, ProviderEvent
from leaf_tui.domain.event_runs import (
    Recent,
    Severity,
    is_failure,
    recent,
    retried,
    syncing_normally,
)
from leaf_tui.domain.sentera_diagnosis import one_line

LINK_KEY = "a"
FORM_KEY = "N"


class Problem(Enum):
    NOT_CONNECTED = "not connected"
    HEALTHY = "healthy"
    NO_EVENTS = "no events yet"
    TOKEN_REVOKED = "access revoked"
    ORG_NOT_GRANTED = "organization not shared"
    MISSING_PERMISSION = "missing permission"
    UNAUTHENTICATED = "not authenticated"
    WRONG_ENVIRONMENT = "STAGE vs PRODUCTION"
    PROVIDER_DOWN = "provider down"
    RATE_LIMITED = "rate-limited"
    SYNC_FAILED = "sync failing"
    UNKNOWN_STATUS = "unknown status"


@dataclass(frozen=True)
class Diagnosis:
    problem: Problem
    severity: Severity
    message: str
    key: str | None = None
    """The Connections screen's key that fixes it, if any."""
    words: str | None = None
    """A few words for the triage queue, when the problem's name says too little."""

    @property
    def short(self) -> str:
        """A few words for the triage queue."""
        return self.words or self.problem.value


def fix_key(p: Provider) -> str:
    return LINK_KEY if p.magic_link else FORM_KEY


def _reauthorise(p: Provider) -> str:
    if p.magic_link:
        return f"Press {LINK_KEY} to copy an authentication link for the grower to sign in again."
    if p.family is Family.PASSWORD:
        return f"Ask the grower for the current password; press {FORM_KEY} to create it again."
    if p.family is Family.KEY:
        return f"Ask the grower for new keys from {p.display}; press {FORM_KEY} to create it again."
    return (
        f"Magic links do not cover {p.display}: get a new refresh token from the grower's "
        f"{p.display} consent, then press {FORM_KEY} to create the credential again."
    )


_INVALID_GRANT = re.compile(r"invalid_grant|revoked|refresh token.*(expired|invalid)", re.I)
_ORGANIZATION = re.compile(r"organi[sz]ation", re.I)
_ENVIRONMENT = re.compile(r"\bSTAGE\b.*\bPRODUCTION\b|\bPRODUCTION\b.*\bSTAGE\b|environment", re.I)
_RETRY_AFTER = re.compile(r"retry-after\s*[:=]\s*\"?(\d+)", re.I)


def _org_name(body: str) -> str | None:
    m = re.search(
        r"organi[sz]ation\s+(?:id\s+)?[\"'“]?([\w .-]+?)[\"'”]?(?:\s+(?:has|is|not)|[.,;]|$)",
        body,
        re.I,
    )
    return m.group(1).strip() if m else None


def failures_since(events: Sequence[ProviderEvent], since: datetime) -> int:
    return sum(
        1
        for e in events
        if is_failure(e.status_code) and e.created_date is not None and e.created_date >= since
    )


def failures_24h(events: Sequence[ProviderEvent], now: datetime) -> int:
    return failures_since(events, now - timedelta(hours=24))


def last_event(events: Sequence[ProviderEvent]) -> ProviderEvent | None:
    dated = [e for e in events if e.created_date is not None]
    return max(dated, key=lambda e: (e.created_date, e.id)) if dated else None


def diagnose(
    p: Provider,
    credential: ProviderCredential | None,
    events: Sequence[ProviderEvent],
    now: datetime,
) -> Diagnosis:
    """The one line that says what is wrong with this connection (or that nothing is)."""
    if credential is None:
        how = (
            f"Press {LINK_KEY} to copy an authentication link for the grower."
            if p.magic_link
            else f"Press {FORM_KEY} to create one from the documented fields."
        )
        return Diagnosis(
            Problem.NOT_CONNECTED, Severity.INFO, f"No {p.display} credential. {how}", fix_key(p)
        )
    events_read = recent(events, now, step="call")
    if events_read.failures:
        found = _from_failure(p, credential, events_read)
        if found is not None:
            return found
    status = credential.status
    if status == "UNAUTHENTICATED":
        return Diagnosis(
            Problem.UNAUTHENTICATED,
            Severity.ERROR,
            f"Leaf can no longer sign in to {p.display} (UNAUTHENTICATED). {_reauthorise(p)}",
            fix_key(p),
        )
    if status == "MISSING_PERMISSION":
        return Diagnosis(
            Problem.MISSING_PERMISSION,
            Severity.ERROR,
            f"{p.display} refuses some data (MISSING_PERMISSION): the grower must grant the "
            f"missing permissions. {_reauthorise(p)}",
            fix_key(p),
        )
    if status == "TEMPORARILY_UNAVAILABLE":
        return Diagnosis(
            Problem.PROVIDER_DOWN,
            Severity.WARNING,
            f"{p.display} is having problems (TEMPORARILY_UNAVAILABLE){events_read.last_ok}. "
            "Leaf retries by itself; nothing to fix here yet.",
        )
    if status is None:
        # no status says nothing of the credential's health: not checked, neither ok nor broken
        return Diagnosis(
            Problem.UNKNOWN_STATUS,
            Severity.INFO,
            "Leaf gives no status for this credential, so its health is not checked; "
            "the events (enter) say how its syncs went.",
            words="not checked",
        )
    if status != "OK":
        return Diagnosis(
            Problem.UNKNOWN_STATUS,
            Severity.ERROR,
            f"Leaf reports the status as {status}, not OK. Read the events (enter); "
            f"{_reauthorise(p)}",
            fix_key(p),
        )
    if events_read.success is None:
        return Diagnosis(Problem.NO_EVENTS, Severity.INFO, f"Connected; no {p.display} events yet.")
    return Diagnosis(Problem.HEALTHY, Severity.OK, syncing_normally(events_read.success, now))


def _from_failure(p: Provider, credential: ProviderCredential, events: Recent) -> Diagnosis | None:
    latest = events.failures[-1]
    code = latest.status_code
    body = latest.body or ""
    since = events.since
    if p.family is Family.OAUTH and _INVALID_GRANT.search(body):
        return Diagnosis(
            Problem.TOKEN_REVOKED,
            Severity.ERROR,
            f"The grower revoked Leaf's access at {p.display} (invalid_grant, {since}). "
            f"{_reauthorise(p)}",
            fix_key(p),
        )
    environment = credential.raw.get("clientEnvironment")
    if code in (400, 401, 403) and environment and _ENVIRONMENT.search(body):
        return Diagnosis(
            Problem.WRONG_ENVIRONMENT,
            Severity.ERROR,
            f"A {environment} credential is used against the other {p.display} environment "
            f"({code}). Create it again with the right clientEnvironment: press "
            f"{fix_key(p)}.",
            fix_key(p),
        )
    if code == 403 and _ORGANIZATION.search(body):
        org = _org_name(body)
        named = f' "{org}"' if org else ""
        return Diagnosis(
            Problem.ORG_NOT_GRANTED,
            Severity.ERROR,
            f"{p.display} organization{named} has not granted Leaf access (403). The grower "
            f"must share it on {p.display}'s connections page; or press {fix_key(p)} "
            "to re-authorise and select it.",
            fix_key(p),
        )
    if code == 403:
        return Diagnosis(
            Problem.MISSING_PERMISSION,
            Severity.ERROR,
            f"{p.display} refuses Leaf (403, {since}): missing permissions or scopes. "
            f"{_reauthorise(p)}",
            fix_key(p),
        )
    if code == 401:
        return Diagnosis(
            Problem.UNAUTHENTICATED,
            Severity.ERROR,
            f"{p.display} no longer accepts the credential (401, {since}). {_reauthorise(p)}",
            fix_key(p),
        )
    m = _RETRY_AFTER.search(latest.headers or "")
    retrying = retried(p.display, events, wait=f", retry after {m.group(1)} s" if m else "")
    if retrying is not None:
        problem, message = retrying
        return Diagnosis(Problem[problem], Severity.WARNING, message)
    if code is not None and code >= 400:
        return Diagnosis(
            Problem.SYNC_FAILED,
            Severity.ERROR,
            f"Sync failing ({code}, {since}{events.last_ok}): "
            f"{one_line(body, credential.secrets, 80)}. {_reauthorise(p)}",
            fix_key(p),
        )
    return None


def summary(
    grower: str,
    credential: ProviderCredential,
    diagnosis: Diagnosis,
    events: Sequence[ProviderEvent],
    *,
    last: int = 5,
) -> str:
    """A redacted summary of a connection's problem for a support ticket: no secrets, no
    bodies, only the grower, provider, status, diagnosis and the failing events' times and codes."""
    failing = [e for e in events if is_failure(e.status_code)]
    failing.sort(key=lambda e: e.created_date.timestamp() if e.created_date else float("-inf"))
    lines = [
        f"Grower: {grower}",
        f"Provider: {credential.provider.display}",
        f"Credential: {credential.id}",
        f"Status: {credential.status if credential.status is not None else '(none)'}",
        f"Diagnosis: {diagnosis.message}",
    ]
    if failing:
        lines.append("Last failing events:")
        for e in failing[-last:]:
            when = e.created_date.strftime("%Y-%m-%d %H:%M:%S UTC") if e.created_date else "undated"
            lines.append(f"  {when}  HTTP {e.status_code}")
    else:
        lines.append("No failing events.")
    return "\n".join(lines)


def health_summary(credentials: Sequence[ProviderCredential]) -> str:
    """The Users table's Connections cell: "—" for none, "3 ok", or the unhealthy ones first.
    A credential with no status says nothing of its health: it counts as not checked."""
    if not credentials:
        return "—"
    unknown = sum(1 for c in credentials if c.status is None)
    bad = [c for c in credentials if c.status is not None and not c.healthy]
    ok = len(credentials) - len(bad) - unknown
    parts = [f"{ok} ok"] if ok or not unknown else []
    if unknown:
        parts.append(f"{unknown} not checked")
    if not bad:
        return " · ".join(parts)
    names = ", ".join(f"{c.provider.display} {c.status}" for c in bad[:2])
    more = f" +{len(bad) - 2}" if len(bad) > 2 else ""
    return " · ".join([f"✗ {names}{more}", *(p for p in parts if p != "0 ok")])
