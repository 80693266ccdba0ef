"""Sentera credentials of one Leaf user:
{base}/services/usermanagement/api/users/{id}/sentera-credentials[/events]."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from leaf_tui.api.http import LARGE_BODY, Http, expect_list, expect_object, seg
from leaf_tui.api.models import SenteraCredential, SenteraEvent
from leaf_tui.api.users import USERS

_EARLIEST = datetime.min.replace(tzinfo=UTC)
_CACHED_USERS = 2
"""Users whose last events answer is kept: the log polls one at a time, and each kept answer
holds all of its events (~15 MB for 20,000), not only the 5,000 the log shows."""


# an events answer: its body's fingerprint, its events, and those by id
_Answer = tuple[tuple[int, bytes], tuple[SenteraEvent, ...], dict[str, SenteraEvent]]


def _path(user_id: str) -> str:
    return f"{USERS}/{seg(user_id)}/sentera-credentials"


def _what(user_id: str) -> str:
    return f"Sentera credentials of Leaf user {user_id}"


def _credential(data: Any) -> SenteraCredential:
    return SenteraCredential.from_json(expect_object(data))


def _events(data: Any, known: Mapping[str, SenteraEvent]) -> list[SenteraEvent]:
    """Oldest first (Leaf documents no order): by createdDate, then id; undated ones first.

    An event already in `known` (the previous answer's, by id) is that same object: an event
    is a record of one exchange and never changes (the log, too, merges by id only). So only
    new events are converted, and the thousands kept from poll to poll stay the same objects
    rather than being replaced by equal copies every few seconds."""
    events = []
    for item in expect_list(data):
        event_id = str(item.get("id") or "") if isinstance(item, dict) else ""
        event = known.get(event_id) if event_id else None
        events.append(event if event is not None else SenteraEvent.from_json(item))
    keys = [(e.created_date or _EARLIEST, e.id) for e in events]
    # usually already in order: checking is a Python loop (the GIL changes hands), while
    # sorting 20,000 events holds it in one C call
    if any(keys[i] > keys[i + 1] for i in range(len(keys) - 1)):
        order = sorted(range(len(events)), key=keys.__getitem__)
        events = [events[i] for i in order]
    return events


def _fingerprint(body: bytes) -> tuple[int, bytes]:
    return len(body), hashlib.blake2b(body, digest_size=16).digest()


class SenteraService:
    def __init__(self, http: Http) -> None:
        self._http = http
        # user id -> the fingerprint of the last events body, its events, and those by id. No
        # "since" filter in Leaf, so each poll downloads the whole log; when nothing changed (the
        # usual case: syncs are hourly) the body is byte-for-byte the same and need not be
        # parsed again, and when it did, only the events not seen before are converted.
        self._last_events: OrderedDict[str, _Answer] = OrderedDict()

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
        self._last_events.pop(user_id, None)

    async def events(self, user_id: str) -> list[SenteraEvent]:
        """The raw log of Leaf's exchanges with Sentera, sorted oldest to newest.

        An answer identical to the previous one for this user returns the same (immutable)
        event objects in a new list, without decoding the body again; in a changed answer, the
        events seen before are the same objects as before."""
        path = f"{_path(user_id)}/events"
        response = await self._http.send("GET", path, what=f"Sentera events of Leaf user {user_id}")
        body = response.content
        # hashlib lets go of the GIL on large inputs: in a thread, the UI loop keeps running
        if len(body) > LARGE_BODY:
            fingerprint = await asyncio.to_thread(_fingerprint, body)
        else:
            fingerprint = _fingerprint(body)
        cached = self._last_events.get(user_id)
        if cached is not None and cached[0] == fingerprint:
            self._last_events.move_to_end(user_id)
            return list(cached[1])
        known = cached[2] if cached is not None else {}

        def convert(data: Any) -> _Answer:
            # with the decode (in a thread for a large body): 20,000 events indexed on the
            # loop held it for ~17 ms
            events = _events(data, known)
            return fingerprint, tuple(events), {event.id: event for event in events}

        answer = await self._http.decode(response, convert, method="GET", path=path)
        events = list(answer[1])
        self._last_events[user_id] = answer
        self._last_events.move_to_end(user_id)
        while len(self._last_events) > _CACHED_USERS:
            self._last_events.popitem(last=False)
        return events
