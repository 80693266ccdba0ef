"""One small hierarchy of API errors, each carrying a message a support engineer can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    object_name: str = ""


class LeafError(Exception):
    """Base of every error the service layer raises."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        detail: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail
        self.method = method
        self.path = path

    def __str__(self) -> str:
        return self.message


class AuthError(LeafError):
    """401/403: the token is missing, expired or wrong, or the login failed."""


class NotFound(LeafError):
    """404: the user, credential or link does not exist (or belongs to another API owner)."""


class Invalid(LeafError):
    """400/422: the request was rejected; `field_errors` says which fields and why."""

    def __init__(self, message: str, *, field_errors: tuple[FieldError, ...] = (), **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.field_errors = field_errors


class Conflict(LeafError):
    """409: the thing already exists (e.g. a second Sentera credential)."""


class Gone(LeafError):
    """410: the link expired or is used up."""


class RateLimited(LeafError):
    """429: too many requests; `retry_after` seconds if the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ReadOnly(LeafError):
    """A write refused before it was sent: the profile is marked read-only."""


class ServerError(LeafError):
    """5xx, or an answer whose body could not be understood (malformed JSON, HTML)."""


class Unreachable(LeafError):
    """No answer: connection refused, DNS, TLS or timeout.

    `maybe_sent` is True when the request may have reached the server before the failure
    (a timeout after sending): a POST in that state must be checked, never blindly repeated.
    """

    def __init__(self, message: str, *, maybe_sent: bool = False, **kw: object):
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.maybe_sent = maybe_sent
