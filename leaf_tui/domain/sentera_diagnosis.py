"""What is wrong with a grower's Sentera connection, in plain words (no Textual here).

Pure functions over a `SenteraCredential` and its events, plus the small helpers the Sentera
screen needs to show them without leaking a secret (token masking, header/body redaction).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from leaf_tui.api.models import SenteraCredential, SenteraEvent
from leaf_tui.domain.event_runs import (
    Recent,
    recent,
    retried,
    syncing_normally,
)

# what every provider's events share, once the Sentera screen's own: importable from here too
from leaf_tui.domain.event_runs import Severity as Severity
from leaf_tui.domain.event_runs import is_failure as is_failure
from leaf_tui.domain.event_runs import is_success as is_success
from leaf_tui.domain.event_runs import last_success as last_success
from leaf_tui.domain.event_runs import sort_key as sort_key
from leaf_tui.domain.event_runs import trailing_failures as trailing_failures

UNAUTHENTICATED = "UNAUTHENTICATED"
MASK = "••••••••"
REDACTED = "••••••••"


class Problem(Enum):
    NOT_CONNECTED = "not-connected"
    NO_EVENTS = "no-events"
    HEALTHY = "healthy"
    PASSWORD_CHANGED = "password-changed"
    LOGIN_FAILED = "login-failed"
    ORG_NOT_FOUND = "org-not-found"
    ORG_CASE = "org-case"
    PROVIDER_DOWN = "provider-down"
    RATE_LIMITED = "rate-limited"
    SYNC_FAILED = "sync-failed"
    UNKNOWN_STATUS = "unknown-status"


@dataclass(frozen=True)
class Diagnosis:
    problem: Problem
    severity: Severity
    message: str
    key: str | None = None
    """The key on the Sentera screen that fixes it ("r" recreate, "c" connect), if any."""
    organization: str | None = None
    """For an organization problem: the exact name, when Sentera's own words give it."""


# --- the organization errors: from an event body or a create error's detail ---------------

_ORG_NOT_FOUND = re.compile(
    r"organi[sz]ation\b.*\bnot\s+found|no\s+organi[sz]ation|unknown\s+organi[sz]ation",
    re.IGNORECASE | re.DOTALL,
)
# a quoted name: "x", “x” or 'x' (an apostrophe inside a word is not a quote)
_Q = r"(?:\"([^\"]+)\"|“([^”]+)”|(?<!\w)'([^']+)'(?!\w))"
_DID_YOU_MEAN = re.compile(r"did\s+you\s+mean\s*:?\s*" + _Q, re.IGNORECASE)
_LOGIN_FAILED = re.compile(
    r"login\s+failed|invalid\s+(username|credentials|password)|wrong\s+password|bad\s+credentials",
    re.IGNORECASE,
)
_QUOTED = re.compile(_Q)


def _quoted(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None).strip()


@dataclass(frozen=True)
class OrgError:
    """An organization the API could not find; `suggestion` when only the case differs."""

    name: str | None
    suggestion: str | None

    @property
    def case_only(self) -> bool:
        return (
            self.suggestion is not None
            and self.name is not None
            and self.name != self.suggestion
            and self.name.casefold() == self.suggestion.casefold()
        ) or (self.suggestion is not None and self.name is None)


def _texts(raw: str) -> list[str]:
    """The strings inside `raw` if it is JSON, else the raw text itself."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return [raw]
    texts: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return texts


def find_org_error(text: str | None) -> OrgError | None:
    """Recognise "organization not found" in a body or error detail, with its did-you-mean
    (from the same message, or from another string of the same JSON body)."""
    if not text:
        return None
    chunks = _texts(text)
    for chunk in chunks:
        if not _ORG_NOT_FOUND.search(chunk):
            continue
        match = _DID_YOU_MEAN.search(chunk) or next(
            (m for c in chunks if (m := _DID_YOU_MEAN.search(c))), None
        )
        suggestion = _quoted(match) if match else None
        names = [q for q in map(_quoted, _QUOTED.finditer(chunk)) if q != suggestion]
        return OrgError(name=names[0] if names else None, suggestion=suggestion)
    return None


def _answered_org_names(raw: str | None) -> list[str]:
    """Organization names in a success body, as Sentera writes them ({"organization": {"name":
    ...}} or "organizationName")."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return []
    names: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            org = item.get("organization")
            if isinstance(org, dict) and isinstance(org.get("name"), str):
                names.append(org["name"])
            if isinstance(item.get("organizationName"), str):
                names.append(item["organizationName"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return names


def org_spelling(name: str | None, events: Sequence[SenteraEvent]) -> str | None:
    """How Sentera writes the organization `name` fails to find, if any event says so: a
    did-you-mean in a failure's body, or a success's body naming it with other capitals.
    None when nothing Sentera answered says it (never guessed)."""
    for event in reversed(events):
        if is_failure(event.status_code):
            org = find_org_error(event.body)
            if org is not None and org.suggestion and org.suggestion != name:
                return org.suggestion
        elif name and is_success(event.status_code):
            for answered in _answered_org_names(event.body):
                if answered != name and answered.casefold() == name.casefold():
                    return answered
    return None


def is_login_failure(text: str | None) -> bool:
    return bool(text) and any(_LOGIN_FAILED.search(chunk) for chunk in _texts(text or ""))


def _org_diagnosis(org: OrgError, key: str, verb: str) -> Diagnosis:
    if org.case_only and org.suggestion:
        wrong = f' "{org.name}"' if org.name else ""
        return Diagnosis(
            Problem.ORG_CASE,
            Severity.ERROR,
            f'Organization{wrong} not found: did you mean "{org.suggestion}"? '
            f"Names are case-sensitive. Press {key} to {verb} with the exact name.",
            key,
            org.suggestion,
        )
    named = f' "{org.name}"' if org.name else ""
    if org.suggestion:
        return Diagnosis(
            Problem.ORG_NOT_FOUND,
            Severity.ERROR,
            f'Sentera organization{named} not found (did you mean "{org.suggestion}"?); names '
            f"must match exactly, including case. Press {key} to {verb} with the right "
            "organization name.",
            key,
            org.suggestion,
        )
    # Nothing Sentera answered names the right one: say so rather than guess it.
    return Diagnosis(
        Problem.ORG_NOT_FOUND,
        Severity.ERROR,
        f"Sentera organization{named} not found; names must match exactly, including case, and "
        "Sentera's answers do not say the right one: ask the grower how it is written in "
        f"Sentera. Press {key} to {verb} with that name.",
        key,
    )


# --- the diagnosis -------------------------------------------------------------------------


def _password_changed() -> Diagnosis:
    return Diagnosis(
        Problem.PASSWORD_CHANGED,
        Severity.ERROR,
        "The grower's Sentera password no longer works (changed?). "
        "Press r to recreate with the new password.",
        "r",
    )


def diagnose(
    credential: SenteraCredential | None,
    events: Sequence[SenteraEvent],
    now: datetime,
    *,
    last_create_error: str | None = None,
    lost_by_recreate: bool = False,
) -> Diagnosis:
    """The one line that says what is wrong (or that nothing is) and which key fixes it.

    `events` may come in any order; `last_create_error` is the detail of the most recent
    failed connect/recreate of this grower, if any; `lost_by_recreate` says that recreate
    deleted the old credential before its create failed.
    """
    if credential is None:
        return _diagnose_not_connected(last_create_error, lost_by_recreate)

    events_read = recent(events, now, step="sync")
    ordered, failures, success = events_read.ordered, events_read.failures, events_read.success

    # The latest failure says most; Leaf also marks a missing organization UNAUTHENTICATED,
    # so an organization error in the log wins over the status.
    if failures:
        latest = failures[-1]
        org = find_org_error(latest.body)
        if org is not None:
            return _org_diagnosis(_with_spelling(org, credential, ordered), "r", "recreate")
        if latest.status_code in (401, 403) or is_login_failure(latest.body):
            return _password_changed()
    if credential.status == UNAUTHENTICATED:
        for event in reversed(failures):
            org = find_org_error(event.body)
            if org is not None:
                return _org_diagnosis(_with_spelling(org, credential, ordered), "r", "recreate")
        return _password_changed()
    if any(e.status_code in (401, 403) for e in failures):
        return _password_changed()
    if failures:
        return _failure_diagnosis(events_read)
    if not credential.healthy:
        shown = credential.status if credential.status is not None else "(none)"
        return Diagnosis(
            Problem.UNKNOWN_STATUS,
            Severity.ERROR,
            f"Leaf reports the credential's status as {shown}, not OK. If syncing does not "
            "recover, press r to recreate it.",
            "r",
        )
    if success is None:
        return Diagnosis(
            Problem.NO_EVENTS,
            Severity.INFO,
            "Connected; no sync events yet (Leaf logs one per exchange with Sentera).",
        )
    return Diagnosis(Problem.HEALTHY, Severity.OK, syncing_normally(success, now))


def _with_spelling(
    org: OrgError, credential: SenteraCredential, events: Sequence[SenteraEvent]
) -> OrgError:
    """`org` with the credential's name when the body gave none, and Sentera's spelling from
    any event when this body has no did-you-mean."""
    name = org.name or credential.organization_name
    suggestion = org.suggestion or org_spelling(name, events)
    return OrgError(name=name, suggestion=suggestion)


def _lost(diagnosis: Diagnosis) -> Diagnosis:
    """The same diagnosis, saying first that a recreate left the grower with no credential."""
    return Diagnosis(
        diagnosis.problem,
        diagnosis.severity,
        "No Sentera credential now: the recreate deleted the old one and Sentera refused the "
        f"new one. {diagnosis.message}",
        diagnosis.key,
        diagnosis.organization,
    )


def _diagnose_not_connected(last_create_error: str | None, lost_by_recreate: bool) -> Diagnosis:
    org = find_org_error(last_create_error)
    if org is not None:
        found = _org_diagnosis(org, "c", "connect")
        return _lost(found) if lost_by_recreate else found
    if is_login_failure(last_create_error):
        found = Diagnosis(
            Problem.LOGIN_FAILED,
            Severity.ERROR,
            "Sentera login failed: the username or password is wrong. "
            "Press c to connect with the grower's current password.",
            "c",
        )
        return _lost(found) if lost_by_recreate else found
    if lost_by_recreate:
        return Diagnosis(
            Problem.NOT_CONNECTED,
            Severity.ERROR,
            "No Sentera credential now: the recreate deleted the old one and the new one was not "
            "created. Press c to connect (the username and organization are filled in).",
            "c",
        )
    return Diagnosis(
        Problem.NOT_CONNECTED,
        Severity.INFO,
        "No Sentera credential for this grower. Press c to connect one.",
        "c",
    )


def _failure_diagnosis(events: Recent) -> Diagnosis:
    retrying = retried("Sentera", events)
    if retrying is not None:
        problem, message = retrying
        return Diagnosis(Problem[problem], Severity.WARNING, message)
    code = events.failures[-1].status_code
    return Diagnosis(
        Problem.SYNC_FAILED,
        Severity.ERROR,
        f"Sync failing ({code}, {events.since}{events.last_ok}). Press enter on the event to see "
        "what Sentera answered; r recreates the credential.",
        "r",
    )


# --- secrets ---------------------------------------------------------------------------


def mask_token(token: str | None, visible: int = 4) -> str:
    """`••••••••3f2a`: enough to compare with what the grower sees, never the token."""
    if not token:
        return "—"
    if len(token) <= visible * 3:
        # too short to show any of it safely
        return MASK
    return MASK + token[-visible:]


_SECRET_NAMES = re.compile(
    r"authori[sz]ation|cookie|token|password|passwd|secret|api[-_]?key|session|credential",
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAMES.search(name))


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of the known secrets (e.g. the authToken) in `text`."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


def redact_json(data: Any) -> Any:
    """A copy of `data` with the values of secret-looking keys replaced."""
    if isinstance(data, dict):
        return {
            k: (REDACTED if is_secret_name(str(k)) and v not in (None, "") else redact_json(v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [redact_json(v) for v in data]
    return data


_HEADER_LINE = re.compile(r"^(\s*)([A-Za-z0-9_.-]+)(\s*[:=]\s*)(.*)$")


def pretty_text(raw: str, secrets: Iterable[str | None] = ()) -> str:
    """JSON pretty-printed (secret keys redacted) if it parses, else the text with
    `Name: value` lines redacted when the name looks secret. Known secrets are scrubbed."""
    secrets = tuple(secrets)
    stripped = raw.strip()
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except ValueError:
            pass
        else:
            return scrub(json.dumps(redact_json(data), indent=2, ensure_ascii=False), secrets)
    lines = []
    for line in raw.splitlines():
        m = _HEADER_LINE.match(line)
        if m and is_secret_name(m.group(2)) and m.group(4).strip():
            line = f"{m.group(1)}{m.group(2)}{m.group(3)}{REDACTED}"
        lines.append(line)
    return scrub("\n".join(lines), secrets)


_MESSAGE_KEYS = ("message", "detail", "error_description", "error", "title")


def _messages(data: Any) -> list[str]:
    """Human messages inside an error body: {"errors": [{"message": ...}]}, {"detail": ...}."""
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in _MESSAGE_KEYS:
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    found.append(value.strip())
                    break
            stack.extend(v for v in reversed(list(item.values())) if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def one_line(raw: str, secrets: Iterable[str | None] = (), limit: int = 200) -> str:
    """A short, single-line, redacted summary of a body for a log row: the error messages
    if the body carries some, else the (redacted) body itself on one line."""
    secrets = tuple(secrets)
    text: str | None = None
    if raw.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(raw)
        except ValueError:
            pass
        else:
            messages = _messages(data)
            if messages:
                text = scrub("; ".join(messages), secrets)
            else:
                compact = json.dumps(redact_json(data), ensure_ascii=False, separators=(",", ":"))
                text = scrub(compact, secrets)
    if text is None:
        text = pretty_text(raw, secrets)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
