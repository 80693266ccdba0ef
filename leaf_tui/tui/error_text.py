"""What a failed action tells the person at the keyboard: what failed, why, and what to do next.

Pure functions (no Textual) so the wording is easy to test; `LeafApp.show_error` adds the UI.
"""

from __future__ import annotations

from leaf_tui.api.errors import (
    AuthError,
    Conflict,
    Gone,
    Invalid,
    LeafError,
    NotFound,
    RateLimited,
    ServerError,
    Unreachable,
)
from leaf_tui.common.formatting import format_duration


def advice(exc: BaseException) -> str:
    """The "what to do" half of an error notification."""
    if isinstance(exc, AuthError):
        return "Log in again to continue (the login dialog is open)."
    if isinstance(exc, RateLimited):
        if exc.retry_after:
            return f"Too many requests: wait {format_duration(exc.retry_after)}, then try again."
        return "Too many requests: wait a moment, then try again."
    if isinstance(exc, Unreachable):
        if exc.maybe_sent:
            return "The request may have reached the server: refresh to check before repeating it."
        return "Check the network connection and the API base URL, then try again."
    if isinstance(exc, Invalid):
        return "Correct the highlighted fields and try again."
    if isinstance(exc, NotFound):
        return "It may have been deleted elsewhere: refresh the list."
    if isinstance(exc, Conflict):
        return "It already exists: refresh, or delete the existing one first."
    if isinstance(exc, Gone):
        return "It has expired or been used up: create a new one."
    if isinstance(exc, ServerError):
        return "The server failed: try again in a moment."
    return "An unexpected error: try again; if it repeats, run with --debug and report it."


def describe(exc: BaseException, action: str) -> tuple[str, str]:
    """(title, message) for a notification about `exc` raised while doing `action`."""
    title = f"Could not {action}" if action else "Something failed"
    if isinstance(exc, LeafError):
        reason = exc.message or type(exc).__name__
        if isinstance(exc, Invalid) and exc.field_errors:
            fields = "; ".join(f"{fe.field}: {fe.message}" for fe in exc.field_errors)
            reason = f"{reason} ({fields})"
    else:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return title, f"{reason}\n{advice(exc)}"


def redact(text: str, secrets: list[str | None]) -> str:
    """Belt and braces: no secret we hold may reach the screen, even inside an error message."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "•••")
    return text
