"""Sentera credentials of one Leaf user:
{base}/services/usermanagement/api/users/{id}/sentera-credentials[/events]."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from leaf_tui.api.concurrency import gather_or_fail
from leaf_tui.api.errors import NotFound
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import SenteraCredential, SenteraEvent
from leaf_tui.api.paging import PAGE_SIZE, Page, more_after, page_of
from leaf_tui.api.users import USERS

_EARLIEST = datetime.min.replace(tzinfo=UTC)

HELD_EVENTS = 5_000
"""Events kept per user: the newest, as many as the events log shows. Trimmed only once twice
as many are held, so that between trims each answer starts with the previous one (the log
then merges only what is new)."""
FIRST_READ = 1_000
"""Events read when a log opens: the newest page, then the other 9 (4 at a time) while that page
is already shown; polls add what is new."""
POLL_PAGE = 20
"""A poll asks for this many of the newest events; usually one page holds all that is new."""
NEWEST_FIRST = "createdDate,desc"
_CACHED_USERS = 4
"""Users whose events are kept: the log shows one user at a time."""


class OlderToCome(list[SenteraEvent]):
    """A part of a first read that is not the whole of it: the newest page, shown while the
    older pages are still on their way. What it holds is true but not the whole story (a run
    of failures may go on before it, an older success may be missing)."""


def _path(user_id: str) -> str:
    return f"{USERS}/{seg(user_id)}/sentera-credentials"


def _what(user_id: str) -> str:
    return f"Sentera credentials of Leaf user {user_id}"


def _credential(data: Any) -> SenteraCredential | None:
    """The credential; None for the empty or `null` body some servers answer with instead of
    404 when there is none."""
    if data is None or data == {}:
        return None
    return SenteraCredential.from_json(expect_object(data))


def _event_list(data: Any) -> list[SenteraEvent]:
    return [SenteraEvent.from_json(item) for item in expect_list(data)]


def _key(event: SenteraEvent) -> tuple[datetime, str]:
    return (event.created_date or _EARLIEST, event.id)


def _ascending(events: list[SenteraEvent]) -> bool:
    """Oldest first: a server that ignored sort=createdDate,desc."""
    return len(events) > 1 and _key(events[0]) < _key(events[-1])


@dataclass
class _Held:
    """One user's newest events, oldest first, and what the server taught us about its list."""

    events: list[SenteraEvent] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    ignores_sort: bool = False
    total: int | None = None  # X-Total-Count of the last answer, for a server ignoring the sort

    def add(self, new: Iterable[SenteraEvent]) -> None:
        fresh = [e for e in new if e.id not in self.ids]
        if not fresh:
            return
        fresh.sort(key=_key)
        if not self.events or _key(fresh[0]) >= _key(self.events[-1]):
            self.events.extend(fresh)
        else:
            self.events = sorted([*self.events, *fresh], key=_key)
        self.ids.update(e.id for e in fresh)
        if len(self.events) > 2 * HELD_EVENTS:
            for gone in self.events[: len(self.events) - HELD_EVENTS]:
                self.ids.discard(gone.id)
            del self.events[: len(self.events) - HELD_EVENTS]


class SenteraService:
    def __init__(self, http: Http) -> None:
        self._http = http
        # user id -> the newest events read so far. Leaf has no "since" filter, but its lists
        # take sort=createdDate,desc: a poll reads the newest page and stops at the first event
        # it already holds, so it costs one small page however long the log is.
        self._held: dict[str, _Held] = {}
        # user id -> the id of the credential last read: another id means it was recreated
        self._credential_ids: dict[str, str] = {}

    async def get(self, user_id: str) -> SenteraCredential:
        """The user's credential; NotFound when the user has none (a 404, or a 200 with an
        empty or `null` body) or does not exist."""
        path = _path(user_id)
        response = await self._http.send("GET", path, what=_what(user_id))
        if not response.content.strip():
            credential = None
        else:
            credential = await self._http.decode(response, _credential, method="GET", path=path)
        if credential is None:
            self._forget(user_id)
            raise NotFound(
                f"{_what(user_id)} not found (none connected)", status=response.status_code
            )
        if self._credential_ids.get(user_id, credential.id) != credential.id:
            self._held.pop(user_id, None)  # recreated: the old credential's events went with it
        self._credential_ids[user_id] = credential.id
        return credential

    async def has_credential(self, user_id: str) -> bool:
        """Whether the user has a Sentera credential (Leaf's user object does not say)."""
        try:
            await self.get(user_id)
        except NotFound:
            return False
        return True

    async def create(
        self, user_id: str, username: str, password: str, organization_name: str
    ) -> SenteraCredential:
        """Connect the user's Sentera account. Invalid when Leaf can't log in to Sentera or
        the organization name doesn't match exactly (it is case-sensitive); Conflict when a
        credential already exists (delete it first to recreate)."""
        body = {"username": username, "password": password, "organizationName": organization_name}
        path = _path(user_id)
        response = await self._http.send("POST", path, body=body, what=_what(user_id))
        self._forget(user_id)
        credential = await self._http.decode(response, _credential, method="POST", path=path)
        if credential is None:
            raise NotFound(f"Leaf answered the new {_what(user_id)} with an empty body")
        return credential

    async def delete(self, user_id: str) -> None:
        await self._http.send("DELETE", _path(user_id), what=_what(user_id))
        self._forget(user_id)

    def _forget(self, user_id: str) -> None:
        self._held.pop(user_id, None)
        self._credential_ids.pop(user_id, None)

    async def events(self, user_id: str) -> list[SenteraEvent]:
        """The raw log of Leaf's exchanges with Sentera, oldest to newest: the newest
        HELD_EVENTS. The first call reads them (newest pages first); each later call reads only
        what is new. Events seen before are the same objects as before."""
        answer: list[SenteraEvent] = []
        async with contextlib.aclosing(self.event_reads(user_id)) as parts:
            async for part in parts:
                answer = part  # each part is all that is held so far: the last is the answer
        return answer

    async def event_reads(self, user_id: str) -> AsyncGenerator[list[SenteraEvent], None]:
        """`events`, as it arrives: on the first read, the newest page as soon as it has come
        (a log shows it at once), then all FIRST_READ once the other pages have; on a later read
        once. Each is the whole of what is held, oldest to newest (an OlderToCome while the
        older pages of a first read are still on their way). The first read counts as done
        (later calls read only what is new) once all its pages have come."""
        held = self._held.get(user_id)
        if held is not None:
            await self._read_newest(user_id, held, POLL_PAGE)
            yield list(held.events)
            return
        held = _Held()
        # Closed with this generator, not later by asyncio's finaliser: a read abandoned
        # after its newest page cancels its older pages' requests at once.
        async with contextlib.aclosing(self._first_read(user_id, held)) as reads:
            async for _ in reads:
                yield OlderToCome(held.events)
        self._held[user_id] = held
        while len(self._held) > _CACHED_USERS:
            del self._held[next(iter(self._held))]
        yield list(held.events)

    async def _page(
        self, user_id: str, number: int, size: int
    ) -> tuple[list[SenteraEvent], Page[SenteraEvent]]:
        path = f"{_path(user_id)}/events"
        params: dict[str, str | int] = {"page": number, "size": size, "sort": NEWEST_FIRST}
        response = await self._http.send(
            "GET", path, params=params, what=f"Sentera events of Leaf user {user_id}"
        )
        events = await self._http.decode(response, _event_list, method="GET", path=path)
        return events, page_of(events, response, size)

    async def _pages(
        self, user_id: str, numbers: Iterable[int], size: int
    ) -> list[tuple[list[SenteraEvent], Page[SenteraEvent]]]:
        """Several pages side by side, at most 4 at once."""
        gate = asyncio.Semaphore(4)

        async def one(number: int) -> tuple[list[SenteraEvent], Page[SenteraEvent]]:
            async with gate:
                return await self._page(user_id, number, size)

        return await gather_or_fail(one(n) for n in numbers)

    async def _first_read(self, user_id: str, held: _Held) -> AsyncGenerator[None, None]:
        """Read the newest FIRST_READ events into `held`; yields once the newest page is in
        (the rest may take several round trips)."""
        size = PAGE_SIZE
        events, page = await self._page(user_id, 0, size)
        if page.unpaged:  # the whole list at once
            held.add(sorted(events, key=_key)[-FIRST_READ:])
            return
        if _ascending(events) and page.total is not None and page.total > len(events):
            held.ignores_sort = True  # page 0 holds the oldest: read from the last page
            held.total = page.total
            await self._read_from_the_end(user_id, held, size)
            return
        held.add(events[:FIRST_READ])
        if not more_after(page, 0, size) or len(held.events) >= FIRST_READ:
            return
        # The older pages are asked for now, while the newest is being shown, not after.
        older = asyncio.ensure_future(self._older_pages(user_id, page, len(events), size))
        try:
            yield
            # Events recorded meanwhile may have shifted the pages: an event already held is
            # skipped (held.add), not taken for the end of what is new.
            held.add((await older)[: FIRST_READ - len(held.events)])
        finally:
            if not older.done():
                older.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await older

    async def _older_pages(
        self, user_id: str, page: Page[SenteraEvent], first: int, size: int
    ) -> list[SenteraEvent]:
        """The events of the pages after page 0, up to FIRST_READ in all, newest first."""
        older: list[SenteraEvent] = []
        if page.total is not None:  # side by side
            count = math.ceil(min(page.total, FIRST_READ) / size)
            for more, _ in await self._pages(user_id, range(1, count), size):
                older.extend(more)
            return older
        number = 0
        while first + len(older) < FIRST_READ and more_after(page, number, size):
            number += 1
            more, page = await self._page(user_id, number, size)
            older.extend(more)
        return older

    async def _read_newest(self, user_id: str, held: _Held, size: int) -> None:
        """Add the events newer than any held."""
        if held.ignores_sort:
            await self._read_from_the_end(user_id, held, size)
            return
        wanted = HELD_EVENTS if held.events else FIRST_READ
        events, page = await self._page(user_id, 0, size)
        if page.unpaged:  # the whole list at once
            held.add(sorted(events, key=_key)[-wanted:])
            return
        new: list[SenteraEvent] = []
        number = 0
        while True:
            for event in sorted(events, key=_key, reverse=True):
                if event.id in held.ids:
                    held.add(new)
                    return
                new.append(event)
            if len(new) >= wanted or not more_after(page, number, size):
                break
            number += 1
            events, page = await self._page(user_id, number, size)
        held.add(new[:wanted])

    async def _read_from_the_end(self, user_id: str, held: _Held, size: int) -> None:
        """For a server that ignores the sort: the last pages by X-Total-Count, backwards."""
        total = held.total or 0
        number = max(0, math.ceil(total / size) - 1)
        events, page = await self._page(user_id, number, size)
        pages: dict[int, list[SenteraEvent]] = {number: events}
        if page.total is not None:
            held.total = page.total
            last = max(0, math.ceil(page.total / size) - 1)
            for later in range(number + 1, last + 1):  # added since the last answer
                pages[later] = (await self._page(user_id, later, size))[0]
        new: list[SenteraEvent] = []
        current = max(pages)
        while True:
            for event in sorted(pages[current], key=_key, reverse=True):
                if event.id in held.ids:
                    held.add(new)
                    return
                new.append(event)
            if len(new) >= (HELD_EVENTS if held.events else FIRST_READ) or current == 0:
                break
            current -= 1
            if current not in pages:
                pages[current] = (await self._page(user_id, current, size))[0]
        held.add(new[:HELD_EVENTS])
