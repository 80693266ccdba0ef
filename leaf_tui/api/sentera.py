"""Sentera credentials of one Leaf user:
{base}/services/usermanagement/api/users/{id}/sentera-credentials[/events]."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import SenteraCredential, SenteraEvent
from leaf_tui.api.users import USERS

_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _path(user_id: str) -> str:
    return f"{USERS}/{seg(user_id)}/sentera-credentials"


def _what(user_id: str) -> str:
    return f"Sentera credentials of Leaf user {user_id}"


def _credential(data: Any) -> SenteraCredential:
    return SenteraCredential.from_json(expect_object(data))


def _events(data: Any) -> list[SenteraEvent]:
    """Oldest first (Leaf documents no order): by createdDate, then id; undated ones first."""
    events = [SenteraEvent.from_json(item) for item in expect_list(data)]
    keys = [(e.created_date or _EARLIEST, e.id) for e in events]
    # usually already in order: checking is a Python loop (the GIL changes hands), while
    # sorting 20,000 events holds it in one C call
    if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):
        order = sorted(range(len(events)), key=keys.__getitem__)
        events = [events[i] for i in order]
    return events


class SenteraService:
    def __init__(self, http: Http) -> None:
        self._http = http

    async def get(self, user_id: str) -> SenteraCredential:
        """The user's credential; NotFound when the user has none (or does not exist)."""
        credential, _ = await self._http.get_json(_path(user_id), _credential, what=_what(user_id))
        return credential

    async def create(
        self, user_id: str, username: str, password: str, organization_name: str
    ) -> SenteraCredential:
        """Connect the user's Sentera account. Invalid when Leaf can't log in to Sentera or
        the organization name doesn't match exactly (it is case-sensitive); Conflict when a
        credential already exists (delete it first to recreate)."""
        body = {"username": username, "password": password, "organizationName": organization_name}
        path = _path(user_id)
        response = await self._http.send("POST", path, body=body, what=_what(user_id))
        return await self._http.decode(response, _credential, method="POST", path=path)

    async def delete(self, user_id: str) -> None:
        await self._http.send("DELETE", _path(user_id), what=_what(user_id))

    async def events(self, user_id: str) -> list[SenteraEvent]:
        """The raw log of Leaf's exchanges with Sentera, sorted oldest to newest."""
        events, _ = await self._http.get_json(
            f"{_path(user_id)}/events", _events, what=f"Sentera events of Leaf user {user_id}"
        )
        return events
