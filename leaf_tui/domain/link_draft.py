"""The create-link draft: what the wizard has gathered so far, its validation, and the request it
becomes. Textual-free so the CLI and the tests share it; every check returns a message a support
engineer can act on, or None when the value is fine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from leaf_tui.api.models import (
    EXPIRES_IN_DEFAULT,
    EXPIRES_IN_MAX,
    EXPIRES_IN_MIN,
    PROVIDERS,
    LeafUser,
    LinkKind,
    LinkRequest,
    LinkSettings,
    MagicLink,
)

MAX_TEXT = 200
MAX_EXTERNAL_ID = 255
MAX_PHONE = 50
MIN_PHONE_DIGITS = 3

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# digits, spaces, + (first only), -, parentheses and dots; then an optional extension
_PHONE = re.compile(
    r"^\+?[0-9 ().-]+?(?:\s*(?:ext\.?|extension|x|#)\s*[0-9]{1,6})?$", re.IGNORECASE
)
_PHONE_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#)\s*[0-9]{1,6}$", re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$")
_DURATION_PART = re.compile(r"(\d+)\s*([a-z]+)?")
_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "y": 31_536_000,
    "year": 31_536_000,
    "years": 31_536_000,
}

# The expiry presets the wizard offers, in order: (label, duration text).
EXPIRY_PRESETS: tuple[tuple[str, str], ...] = (
    ("15 min", "15m"),
    ("1 hour", "1h"),
    ("1 day", "1d"),
    ("7 days", "7d"),
    ("30 days", "30d"),
)

MSG_HEX = "Use a hex colour like #27AE60 or #FA0"
MSG_URL_SCHEME = "Start the address with http:// or https://"
MSG_URL_HOST = "Add a host name, e.g. https://example.com/logo.png"
MSG_URL_SPACE = "Remove the spaces from the address"
MSG_EMAIL = "Use an email address like grower@example.com"
MSG_PHONE = (
    "Use a phone number like +1 (555) 010-4222 ext. 12: digits, spaces, + - ( ) . "
    "and an optional extension"
)
MSG_PHONE_LONG = f"Keep the phone number to {MAX_PHONE} characters or fewer"
MSG_EXTERNAL_ID_REQUIRED = "An externalId is required for a new user"
MSG_EXTERNAL_ID_LONG = f"Keep the externalId to {MAX_EXTERNAL_ID} characters or fewer"
MSG_EXTERNAL_ID_SPACE = "Remove the spaces at the start or end of the externalId"
MSG_PRINTABLE = "Use printable characters only"
MSG_TOO_LONG = f"Keep it to {MAX_TEXT} characters or fewer"
MSG_DURATION = "Use a duration like 90m, 2h, 3d or 1w"
MSG_DURATION_MIN = "A link must last at least 15 minutes"
MSG_DURATION_MAX = "A link can last at most 1 year"
MSG_USER = "Choose a user, or switch to a new user by externalId"
MSG_PROVIDERS_NONE = "Choose at least one provider"
MSG_PROVIDER_ONE = "Choose exactly one provider for an authentication link"
MSG_PROVIDER_UNKNOWN = "Unknown provider"


def _printable(text: str) -> bool:
    return all(ch.isprintable() for ch in text)


def validate_hex_color(text: str) -> str | None:
    """Optional: empty means Leaf's default (#F5F5F5)."""
    if not text:
        return None
    return None if _HEX.fullmatch(text) else MSG_HEX


def validate_url(text: str) -> str | None:
    """Optional http(s) URL with a host."""
    if not text:
        return None
    if any(ch.isspace() for ch in text):
        return MSG_URL_SPACE
    lowered = text.lower()
    for scheme in ("https://", "http://"):
        if lowered.startswith(scheme):
            rest = text[len(scheme) :]
            host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1]
            return None if host and _HOST.match(host) else MSG_URL_HOST
    return MSG_URL_SCHEME


def validate_email(text: str, max_len: int = MAX_TEXT) -> str | None:
    """Optional (Leaf fills it from the externalId when missing). `max_len`: the user form
    allows what Leaf stores for a user's email (254)."""
    if not text:
        return None
    if len(text) > max_len:
        return f"Keep it to {max_len} characters or fewer"  # MSG_TOO_LONG at MAX_TEXT
    return None if _EMAIL.match(text) else MSG_EMAIL


def validate_phone(text: str) -> str | None:
    """Optional. Formats vary by country, so only the characters are checked: digits, spaces,
    a leading +, -, parentheses, dots, and an extension (ext. 12, x12, #12); at least 3
    digits before the extension."""
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_PHONE:
        return MSG_PHONE_LONG
    if not _PHONE.match(text) or text.count("(") != text.count(")"):
        return MSG_PHONE
    number = _PHONE_EXTENSION.sub("", text)
    return None if sum(ch.isdigit() for ch in number) >= MIN_PHONE_DIGITS else MSG_PHONE


def validate_external_id(text: str) -> str | None:
    """Required for a new user: it is the user's identity, so nothing is trimmed silently."""
    if not text.strip():
        return MSG_EXTERNAL_ID_REQUIRED
    if text != text.strip():
        return MSG_EXTERNAL_ID_SPACE
    if not _printable(text):
        return MSG_PRINTABLE
    if len(text) > MAX_EXTERNAL_ID:
        return MSG_EXTERNAL_ID_LONG
    return None


def validate_text(text: str) -> str | None:
    """Optional free text (a name, a company name)."""
    if not _printable(text):
        return MSG_PRINTABLE
    return MSG_TOO_LONG if len(text) > MAX_TEXT else None


def parse_duration(text: str) -> int:
    """Seconds from "90m", "2h", "3d", "1w", "1y", "1h30m", "1d 12h" or plain seconds ("900").

    Raises ValueError with a message for the field; bounds are checked by `validate_expiry`."""
    cleaned = text.strip().lower()
    if not cleaned:
        raise ValueError(MSG_DURATION)
    if cleaned.isdigit():
        return _number(cleaned)
    total = 0
    position = 0
    for match in _DURATION_PART.finditer(cleaned):
        if cleaned[position : match.start()].strip(" ,") or match.group(2) not in _UNITS:
            raise ValueError(MSG_DURATION)
        total += _number(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position == 0 or cleaned[position:].strip():
        raise ValueError(MSG_DURATION)
    return total


def _number(digits: str) -> int:
    """int() of typed digits, refused with the field's message: "²" passes isdigit() but not
    int(), and int() refuses more than 4300 digits."""
    try:
        return int(digits)
    except ValueError:
        raise ValueError(MSG_DURATION) from None


def validate_expiry(seconds: int) -> str | None:
    if seconds < EXPIRES_IN_MIN:
        return MSG_DURATION_MIN
    if seconds > EXPIRES_IN_MAX:
        return MSG_DURATION_MAX
    return None


def check_duration(text: str) -> tuple[int | None, str | None]:
    """(seconds, None) when the text is a valid expiry, else (None or seconds, message)."""
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        return None, str(exc)
    return seconds, validate_expiry(seconds)


def duration_text(seconds: int) -> str:
    """The shortest exact text `parse_duration` reads back: 900 -> "15m", 93600 -> "1d2h"."""
    if seconds <= 0:
        return "0s"
    parts = []
    rest = seconds
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def describe_duration(seconds: int) -> str:
    """For people: "15 minutes", "1 hour", "7 days", "1 year", "1 day 2 hours"."""
    if seconds == EXPIRES_IN_MAX:
        return "1 year"
    parts = []
    rest = seconds
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts[:2]) or "0 seconds"


@dataclass(frozen=True)
class Problem:
    """One reason the link cannot be created yet: which step and field, and what to do."""

    step: str  # "user", "providers", "expiry", "customize"
    field: str
    message: str


@dataclass
class LinkDraft:
    """Everything the wizard gathers. Text fields hold exactly what was typed: nothing is lost."""

    kind: LinkKind = LinkKind.PROVIDER
    new_user: bool = False
    user: LeafUser | None = None
    external_id: str = ""
    new_name: str = ""
    new_email: str = ""
    providers: tuple[str, ...] = PROVIDERS
    provider: str = PROVIDERS[0]  # the one provider of an authentication link
    expiry: str = duration_text(EXPIRES_IN_DEFAULT)
    background_color: str = ""
    company_name: str = ""
    company_logo: str = ""
    header_image: str = ""
    show_leaf_user_name: bool = False
    disconnect_enabled: bool = False
    # Field errors the server returned for the last create, shown until the field changes.
    server_errors: dict[str, str] = field(default_factory=dict)

    @property
    def offered_providers(self) -> tuple[str, ...]:
        """What the grower will be offered, in the documented order."""
        if self.kind is LinkKind.PROVIDER:
            return tuple(p for p in PROVIDERS if p in self.providers) + tuple(
                p for p in self.providers if p not in PROVIDERS
            )
        if self.kind is LinkKind.AUTHENTICATION:
            return (self.provider,) if self.provider else ()
        return ()

    @property
    def expires_in(self) -> int | None:
        seconds, error = check_duration(self.expiry)
        return seconds if error is None else None

    @property
    def user_name(self) -> str | None:
        """The name the landing page would show for the user."""
        if self.new_user:
            return self.new_name or self.external_id or None
        return self.user.display_name if self.user else None

    def field_errors(self) -> dict[str, str]:
        """Every field's current message, by field name (only the fields in error)."""
        checks: dict[str, str | None] = {
            "background_color": validate_hex_color(self.background_color),
            "company_name": validate_text(self.company_name),
            "company_logo": validate_url(self.company_logo),
            "header_image": validate_url(self.header_image),
            "expiry": check_duration(self.expiry)[1],
        }
        if self.new_user:
            checks["external_id"] = validate_external_id(self.external_id)
            checks["new_name"] = validate_text(self.new_name)
            checks["new_email"] = validate_email(self.new_email)
        errors = {name: msg for name, msg in checks.items() if msg}
        for name, msg in self.server_errors.items():
            errors.setdefault(name, msg)
        return errors

    def problems(self) -> list[Problem]:
        """Why Create is disabled, in step order; empty when the link can be created."""
        found: list[Problem] = []
        if not self.new_user and self.user is None:
            found.append(Problem("user", "user", MSG_USER))
        if self.kind is LinkKind.PROVIDER:
            if not self.providers:
                found.append(Problem("providers", "providers", MSG_PROVIDERS_NONE))
            elif any(p not in PROVIDERS for p in self.providers):
                found.append(Problem("providers", "providers", MSG_PROVIDER_UNKNOWN))
        elif self.kind is LinkKind.AUTHENTICATION and self.provider not in PROVIDERS:
            found.append(Problem("providers", "providers", MSG_PROVIDER_ONE))
        for name, message in self.field_errors().items():
            found.append(Problem(STEP_OF_FIELD.get(name, "review"), name, message))
        found.sort(key=lambda p: STEP_ORDER.index(p.step) if p.step in STEP_ORDER else 99)
        return found

    def settings(self) -> LinkSettings:
        texts: dict[str, Any] = {
            name: getattr(self, name) or None for name in LinkSettings.TEXT_KEYS
        }
        return LinkSettings(
            **texts,
            show_leaf_user_name=self.show_leaf_user_name or None,
            disconnect_enabled=(self.disconnect_enabled and self.kind is not LinkKind.FILE_UPLOAD)
            or None,
        )

    def apply_settings(self, settings: LinkSettings) -> None:
        """Fill the customization from saved branding or an old link."""
        for name in LinkSettings.TEXT_KEYS:
            setattr(self, name, getattr(settings, name) or "")
        self.show_leaf_user_name = bool(settings.show_leaf_user_name)
        self.disconnect_enabled = bool(settings.disconnect_enabled)

    def to_request(self) -> LinkRequest:
        """The request to send; call only when `problems()` is empty."""
        if self.problems():
            raise ValueError(self.problems()[0].message)
        return LinkRequest(
            kind=self.kind,
            expires_in=self.expires_in,
            allowed_providers=self.offered_providers if self.kind is LinkKind.PROVIDER else (),
            provider=self.provider if self.kind is LinkKind.AUTHENTICATION else None,
            settings=self.settings(),
        )


STEP_ORDER = ("kind", "user", "providers", "expiry", "customize", "review")
STEP_OF_FIELD = {
    "user": "user",
    "external_id": "user",
    "new_name": "user",
    "new_email": "user",
    "providers": "providers",
    "expiry": "expiry",
    "background_color": "customize",
    "company_name": "customize",
    "company_logo": "customize",
    "header_image": "customize",
}

# The server's field names (problem JSON fieldErrors) mapped to the draft's.
SERVER_FIELDS = {
    "externalId": "external_id",
    "name": "new_name",
    "email": "new_email",
    "expiresIn": "expiry",
    "allowedProviders": "providers",
    "provider": "providers",
    "backgroundColor": "background_color",
    "settings.backgroundColor": "background_color",
    "companyName": "company_name",
    "settings.companyName": "company_name",
    "companyLogo": "company_logo",
    "settings.companyLogo": "company_logo",
    "headerImage": "header_image",
    "settings.headerImage": "header_image",
}


def renewal_expiry(link: MagicLink) -> int:
    """The lifetime an old link had (to the minute, within bounds), for renewing it."""
    if link.created_at is None or link.expires_at is None:
        return EXPIRES_IN_DEFAULT
    seconds = round((link.expires_at - link.created_at).total_seconds() / 60) * 60
    return min(max(seconds, EXPIRES_IN_MIN), EXPIRES_IN_MAX)


def expires_at_after(seconds: int, now: datetime) -> datetime:
    return now + timedelta(seconds=seconds)
