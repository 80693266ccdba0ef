"""Timestamps as Leaf writes them: UTC, a Z, and 3, 6 or 9 fractional digits depending on the
field (list objects 3, Sentera createdTime 6, create answers' expiresAt 9)."""

from __future__ import annotations

import re
from datetime import UTC, datetime


def iso(dt: datetime, digits: int = 3) -> str:
    dt = dt.astimezone(UTC)
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    micros = f"{dt.microsecond:06d}"
    fraction = (micros + "000")[:digits] if digits else ""
    return f"{base}.{fraction}Z" if digits else f"{base}Z"


def to_db(dt: datetime) -> str:
    """Storage form: fixed-width so string order is time order."""
    return iso(dt, 6)


def from_db(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


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
