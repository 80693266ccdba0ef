"""Turn an unsuccessful HTTP answer into a LeafError whose message a support engineer can act on.

Leaf publishes no error body; the likely one is JHipster's problem JSON, but plain text, HTML
and `{"message": ...}` / `{"error": ...}` bodies are handled too. Messages are built from the
answer only, never from the request body (which may hold a password).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from leaf_tui.api.errors import (
    AuthError,
    Conflict,
    FieldError,
    Gone,
    Invalid,
    LeafError,
    NotFound,
    RateLimited,
    ServerError,
)
from leaf_tui.common import clock

_MAX_DETAIL = 300


@dataclass(frozen=True)
class Problem:
    """What could be read from an error body."""

    detail: str | None = None
    field_errors: tuple[FieldError, ...] = ()


def _clip(text: str, limit: int = _MAX_DETAIL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_of(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _field_errors(raw: object) -> tuple[FieldError, ...]:
    if not isinstance(raw, list):
        return ()
    found: list[FieldError] = []
    for item in raw:
        if isinstance(item, dict):
            found.append(
                FieldError(
                    field=str(item.get("field") or ""),
                    message=str(item.get("message") or item.get("defaultMessage") or "invalid"),
                    object_name=str(item.get("objectName") or ""),
                )
            )
    return tuple(found)


def _from_json(data: Any) -> Problem:
    if isinstance(data, str):
        return Problem(detail=_text_of(data))
    if not isinstance(data, dict):
        return Problem()
    field_errors = _field_errors(data.get("fieldErrors"))
    error = data.get("error")
    # {"error": {"message": ...}} is another common shape
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail")
    # prefer the most specific human text: detail, then message, then error/title
    detail = None
    for candidate in (
        data.get("detail"),
        data.get("message"),
        data.get("error_description"),
        error,
        data.get("title"),
    ):
        text = _text_of(candidate)
        # JHipster's "message" is often a code like "error.validation": keep looking
        if text and not re.fullmatch(r"error\.[\w.]+", text):
            detail = text
            break
    return Problem(detail=detail, field_errors=field_errors)


_TAGS = re.compile(r"<[^>]+>")
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HTML_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_HTML_NOISE = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.I | re.S)


def _from_html(text: str) -> Problem:
    for pattern in (_HTML_HEADING, _HTML_TITLE):
        match = pattern.search(text)
        if match:
            inner = _text_of(html.unescape(_TAGS.sub(" ", match.group(1))))
            if inner:
                return Problem(detail=_clip(inner))
    stripped = _text_of(html.unescape(_TAGS.sub(" ", _HTML_NOISE.sub(" ", text))))
    return Problem(detail=_clip(stripped) if stripped else None)


def read_problem(response: httpx.Response) -> Problem:
    """Best effort: whatever the body says about the failure, never raising."""
    try:
        text = response.text
    except Exception:  # undecodable bytes
        return Problem()
    stripped = text.strip()
    if not stripped:
        return Problem()
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type or stripped[:1] in "{[":
        try:
            return _from_json(json.loads(stripped))
        except ValueError:
            pass
    if "html" in content_type or stripped[:1] == "<":
        return _from_html(stripped)
    return Problem(detail=_clip(stripped))


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP-date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when: datetime = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - clock.now()).total_seconds())


def _summarize_fields(field_errors: tuple[FieldError, ...]) -> str:
    parts = [f"{fe.field or fe.object_name or 'request'}: {fe.message}" for fe in field_errors]
    return "; ".join(parts)


def error_from_response(
    response: httpx.Response,
    *,
    method: str,
    path: str,
    what: str | None = None,
) -> LeafError:
    """Map a non-2xx answer to the error hierarchy. `what` names the thing asked for
    (e.g. "Leaf user 42"), so a 404 can say what was not found."""
    status = response.status_code
    problem = read_problem(response)
    detail = problem.detail
    ctx: dict[str, Any] = {"status": status, "detail": detail, "method": method, "path": path}
    target = what or f"{method} {path}"
    # the server's own words, unless they only repeat what we say anyway
    repeats = bool(detail) and target.casefold() in (detail or "").casefold()
    said = f": {detail}" if detail and not repeats else ""

    if status == 401:
        return AuthError("Not signed in or the session expired: log in again", **ctx)
    if status == 403:
        return AuthError(
            f"Leaf refused access to {target} (HTTP 403){said}; "
            "check that this API owner account may do this",
            **ctx,
        )
    if status == 404:
        return NotFound(
            f"{target[:1].upper()}{target[1:]} not found "
            f"(deleted, mistyped, or owned by another API owner){said}",
            **ctx,
        )
    if status in (400, 422):
        fields = _summarize_fields(problem.field_errors)
        reason = " — ".join(p for p in (detail, fields) if p) or "no reason given"
        if detail and fields and fields in detail:
            reason = detail
        return Invalid(
            f"Leaf rejected the request: {reason}",
            field_errors=problem.field_errors,
            **ctx,
        )
    if status == 409:
        return Conflict(
            f"Conflict: {detail or f'{target} already exists'} (HTTP 409)",
            **ctx,
        )
    if status == 410:
        return Gone(f"{target[:1].upper()}{target[1:]} is gone (expired or used up){said}", **ctx)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        when = f"try again in {retry_after:.0f} s" if retry_after is not None else "wait a moment"
        return RateLimited(
            f"Leaf is limiting requests (HTTP 429): {when}", retry_after=retry_after, **ctx
        )
    if status >= 500:
        return ServerError(f"Leaf's API failed (HTTP {status}); try again shortly{said}", **ctx)
    if 300 <= status < 400:
        location = response.headers.get("location")
        to = f" to {location}" if location else ""
        return LeafError(
            f"Leaf redirected {method} {path}{to} (HTTP {status}): check the profile's API URL "
            "(https rather than http? a trailing path?)",
            **ctx,
        )
    return LeafError(f"Leaf answered HTTP {status} to {method} {path}{said}", **ctx)
