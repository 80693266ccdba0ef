"""Timestamps as Leaf writes them: UTC, a Z, and 3, 6 or 9 fractional digits depending on the
field (list objects 3, Sentera createdTime 6, create answers' expiresAt 9)."""

from __future__ import annotations

import re
from datetime import UTC, datetime


def iso(dt: datetime, digits: int = 3) -> str:
    # isoformat pads the year to 4 digits (strftime's %Y does not before 1000)
    text = dt.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    return db_to_iso(text + "Z", digits)


def to_db(dt: datetime) -> str:
    """Storage form: YYYY-MM-DDTHH:MM:SS.ffffffZ, fixed-width so string order is time order."""
    return iso(dt, 6)


_DB_LEN = len("2026-03-02T09:00:00.000000Z")


def db_to_iso(value: str, digits: int) -> str:
    """A stored stamp as Leaf writes it with `digits` fractional digits, by slicing: lists
    emit thousands of stamps and parsing each one was the users and events lists' hot spot."""
    if len(value) != _DB_LEN:  # not the storage form: take the slow, careful way
        return iso(from_db(value), digits)
    if digits == 6:
        return value
    if digits <= 0:
        return value[:19] + "Z"
    if digits < 6:
        return value[: 20 + digits] + "Z"
    return value[:26] + "0" * (digits - 6) + "Z"


def from_db(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")


def parse_iso(value: str) -> datetime | None:
    """Parse an ISO stamp with an explicit zone (Z or offset); None if malformed."""
    if not isinstance(value, str) or not _ISO.match(value.strip()):
        return None
    text = value.strip().replace("Z", "+00:00")
    head, _, rest = text.partition(".")
    if rest:
        digits = re.match(r"\d+", rest)
        assert digits is not None
        frac = digits.group(0)
        text = f"{head}.{frac[:6].ljust(6, '0')}{rest[len(frac) :]}"
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None
