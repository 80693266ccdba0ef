"""Request parsing that never lets bad input reach the store: every problem becomes a 400 with
field errors, collected so one answer names everything that is wrong."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from .problems import ApiError, FieldError, bad_request

MAX_BODY = 1_000_000
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


_DECODER = json.JSONDecoder()


def _root_value(raw: bytes) -> Any:
    """The body's root JSON value; whatever follows it is ignored, as Leaf's parser (Jackson)
    stops at the root value."""
    text = raw.decode("utf-8-sig")
    start = len(text) - len(text.lstrip())
    value, _ = _DECODER.raw_decode(text, start)
    return value


async def json_object(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object, whatever the Content-Type says (Leaf's curl examples send JSON
    with curl's form default). Unknown fields are the caller's to ignore."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"Request body is larger than {MAX_BODY} bytes")
    if not raw.strip():
        if required:
            raise bad_request("A JSON object is required as the request body")
        return {}
    try:
        data = _root_value(raw)
    except (ValueError, RecursionError) as exc:
        raise bad_request(f"The request body is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(data, dict):
        raise bad_request(f"The request body must be a JSON object, not {type_name(data)}")
    return data


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _text_ok(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


class Fields:
    """Collects field errors while reading one JSON object."""

    def __init__(self, data: dict[str, Any], object_name: str) -> None:
        self.data = data
        self.object_name = object_name
        self.errors: list[FieldError] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message, self.object_name))

    def check(self, detail: str = "Invalid request") -> None:
        if self.errors:
            # the detail names every problem, for clients that show only the detail
            problems = "; ".join(dict.fromkeys(f"{e.field} {e.message}" for e in self.errors))
            raise ApiError(400, f"{detail}: {problems}", list(self.errors))

    def string(
        self, field: str, *, max_len: int = 255, required: bool = False, blank_ok: bool = False
    ) -> str | None:
        value = self.data.get(field)
        if value is None:
            if required:
                self.error(field, "must not be null")
            return None
        if not isinstance(value, str):
            self.error(field, f"must be a string, not {type_name(value)}")
            return None
        if not _text_ok(value):
            self.error(field, "must be valid Unicode text without NUL characters")
            return None
        if not value.strip() and not blank_ok:
            if required:
                self.error(field, "must not be blank")
            return None if not required else value
        if len(value) > max_len:
            self.error(field, f"size must be between 0 and {max_len}")
            return None
        return value

    def boolean(self, field: str, *, aliases: tuple[str, ...] = ()) -> bool | None:
        key = next((k for k in (field, *aliases) if k in self.data), field)
        value = self.data.get(key)
        if value is None:
            return None
        parsed = parse_bool(value)
        if parsed is None:
            self.error(field, 'must be true or false (a boolean or the string "true"/"false")')
        return parsed

    def integer(self, field: str, *, low: int, high: int) -> int | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, f"must be an integer number of seconds, not {type_name(value)}")
            return None
        if not low <= value <= high:
            self.error(field, f"must be between {low} and {high}")
            return None
        return value


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def is_hex_colour(value: str) -> bool:
    return bool(_HEX.match(value))


def query_int(
    request: Request, name: str, default: int, *, low: int, high: int | None = None
) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise bad_request(
            f"Query parameter {name} must be an integer", FieldError(name, "must be an integer")
        ) from None
    if value < low:
        raise bad_request(
            f"Query parameter {name} must be at least {low}",
            FieldError(name, f"must be at least {low}"),
        )
    return min(value, high) if high is not None else value
