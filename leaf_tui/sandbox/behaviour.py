"""Switches, set through POST /_sandbox/behaviour, that make the sandbox answer as other
servers might where Leaf documents nothing: the client must cope with each (issue 14).

- paging: false ignores `page` and `size` (every row at once, no paging headers).
- eventSort: false ignores `sort` on the events list (oldest first, as stored).
- noCredential: what GET .../sentera-credentials answers for a user without one: "404" (the
  sandbox's choice), "empty" (200 with no body) or "null" (200 with `null`).
- patch: false answers PATCH /users/{id} with 405, as a server without it would.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

NO_CREDENTIAL = ("404", "empty", "null")


@dataclass(frozen=True)
class Behaviour:
    paging: bool = True
    event_sort: bool = True
    no_credential: str = "404"
    patch: bool = True

    _NAMES: ClassVar[dict[str, str]] = {
        "paging": "paging",
        "eventSort": "event_sort",
        "noCredential": "no_credential",
    }

    def to_json(self) -> dict[str, Any]:
        names = {v: k for k, v in self._NAMES.items()}
        return {names.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}

    def updated(self, body: dict[str, Any]) -> Behaviour:
        """These settings with the ones in `body` changed; ValueError names a bad one."""
        changes: dict[str, Any] = {}
        known = {*self._NAMES, "patch"}
        for key, value in body.items():
            if key not in known:
                raise ValueError(f"unknown setting {key!r}: use {', '.join(sorted(known))}")
            name = self._NAMES.get(key, key)
            if name == "no_credential":
                if value not in NO_CREDENTIAL:
                    raise ValueError(f"noCredential must be one of {', '.join(NO_CREDENTIAL)}")
            elif not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false")
            changes[name] = value
        return replace(self, **changes)
