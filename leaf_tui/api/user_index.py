"""An in-memory index of the API owner's users, for instant search and for naming links' users.

Leaf's list filters are exact (or undocumented), so search runs here, over everything loaded by
`load()`. `resolve()` fills in users the index has not seen (e.g. a link's leafUserId) with bounded
concurrency, remembering users that no longer exist; when many are unknown, it pages the whole
list instead (100 users a request) rather than asking for each one.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.paging import ProgressCallback
from leaf_tui.api.users import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from leaf_tui.api.client import LeafClient


FEW_MISSING = 8
"""Up to this many unknown users are always fetched one by one (one round of requests)."""


SEP = "\0"
"""Between the fields of an entry (and taken out of them): `SEP + query + SEP` in the fields is
an exact field, `SEP + query` a field starting with the query, two substring tests in C."""

RECENT_QUERIES = 32
"""Searches whose results are kept: deleting a character goes back to a query just typed
(at most ~2.5 MB of references for 10,000 users)."""


@dataclass(frozen=True)
class _Entry:
    """A user with what search needs precomputed (casefolded once, not per keystroke)."""

    user: LeafUser
    fields: str  # "\0name\0email\0externalId\0id\0": one substring test rejects most users
    sort_key: tuple[str, str]

    @classmethod
    def of(cls, user: LeafUser) -> _Entry:
        values = (user.name, user.email, user.external_id, user.id)
        fields = "".join(f"{SEP}{v.casefold().replace(SEP, '')}" for v in values if v) + SEP
        return cls(user, fields, (user.display_name.casefold(), user.id))


class UserIndex:
    def __init__(self, client: LeafClient) -> None:
        self._client = client
        # None marks an id Leaf answered 404 for
        self._users: dict[str, LeafUser | None] = {}
        self._entries: dict[str, _Entry] = {}
        self._order: list[_Entry] | None = None  # entries by name; rebuilt after a change
        self._last: tuple[str, list[_Entry]] = ("", [])  # the last query and its matches
        self._recent: dict[str, list[LeafUser]] = {}  # query -> every match, ranked
        self._load_lock = asyncio.Lock()
        self.loaded = False

    def __len__(self) -> int:
        return len(self._entries)

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """(Re)load every user; `on_progress(loaded, total)` after each page."""
        async with self._load_lock:
            users = await self._client.users.list_all(on_progress=on_progress)
            fresh: dict[str, LeafUser | None] = {user.id: user for user in users}
            # keep what we know is gone, unless it reappeared
            for user_id, known in self._users.items():
                if known is None and user_id not in fresh:
                    fresh[user_id] = None
            self._users = fresh
            self._entries = {user.id: _Entry.of(user) for user in users}
            self._changed()
            self._sorted()  # now, rather than on the first keystroke
            self.loaded = True

    def _sorted(self) -> list[_Entry]:
        if self._order is None:
            self._order = sorted(self._entries.values(), key=lambda e: e.sort_key)
            self._last = ("", [])
            self._recent.clear()
        return self._order

    def _changed(self) -> None:
        self._order = None
        self._last = ("", [])
        self._recent.clear()

    def search(self, query: str, limit: int = 200) -> list[LeafUser]:
        """Case-insensitive substring over name, email, externalId and id: exact matches
        first, then prefix matches, then the rest, each by name. An empty query lists everyone
        by name."""
        limit = max(0, limit)
        needle = query.strip().casefold().replace(SEP, "")
        order = self._sorted()
        if not needle:
            return [entry.user for entry in order[:limit]]
        ranked = self._recent.get(needle)
        if ranked is None:
            ranked = self._rank(needle, order)
            if len(self._recent) >= RECENT_QUERIES:
                del self._recent[next(iter(self._recent))]
            self._recent[needle] = ranked
        return ranked[:limit]

    def _rank(self, needle: str, order: list[_Entry]) -> list[LeafUser]:
        # typing extends the query: only the previous query's matches can match the new one
        last_needle, last_matches = self._last
        candidates = last_matches if last_needle and last_needle in needle else order
        matches = [entry for entry in candidates if needle in entry.fields]
        self._last = (needle, matches)
        whole, start = f"{SEP}{needle}{SEP}", f"{SEP}{needle}"
        exact: list[LeafUser] = []
        prefix: list[LeafUser] = []
        inside: list[LeafUser] = []
        for entry in matches:  # in name order, so each list is sorted by name already
            if whole in entry.fields:
                exact.append(entry.user)
            elif start in entry.fields:
                prefix.append(entry.user)
            else:
                inside.append(entry.user)
        return exact + prefix + inside

    def get(self, user_id: str) -> LeafUser | None:
        return self._users.get(user_id)

    def upsert(self, user: LeafUser) -> None:
        self._users[user.id] = user
        self._entries[user.id] = _Entry.of(user)
        self._changed()

    def remove(self, user_id: str) -> None:
        self._users.pop(user_id, None)
        if self._entries.pop(user_id, None) is not None:
            self._changed()

    async def resolve(self, ids: Iterable[str], concurrency: int = 8) -> dict[str, LeafUser]:
        """The users for `ids` that exist. Unknown ids are fetched (at most `concurrency` at a
        time) and cached; a 404 is remembered so it is not asked again. If some fetch fails
        otherwise, the others are still cached and the first such error is raised.

        While a `load()` runs, resolving waits for it. When more users are unknown than the
        pages the whole list takes (2,000 links' users against 10,000 users in 100 pages), the
        index loads instead; only the ids still unknown after that are fetched one by one."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        missing = self._missing(wanted)
        if missing and self._load_lock.locked():
            async with self._load_lock:
                pass  # a load is on its way (the users screen starts one): use its pages
            missing = self._missing(wanted)
        if len(missing) > FEW_MISSING and not self.loaded and await self._paging_is_fewer(missing):
            with contextlib.suppress(LeafError):  # the list failed: one request per user
                await self.load()
            missing = self._missing(wanted)
        await self._fetch_each(missing, concurrency)
        found: dict[str, LeafUser] = {}
        for user_id in wanted:
            user = self._users.get(user_id)
            if user is not None:
                found[user_id] = user
        return found

    def _missing(self, ids: list[str]) -> list[str]:
        return [user_id for user_id in ids if user_id not in self._users]

    async def _paging_is_fewer(self, missing: list[str]) -> bool:
        """True when paging every user takes fewer requests than one per missing user."""
        try:
            total = (await self._client.users.list(page=0, size=1)).total
        except LeafError:
            return False
        return total is not None and math.ceil(total / MAX_PAGE_SIZE) < len(missing)

    async def _fetch_each(self, missing: list[str], concurrency: int) -> None:
        failures: list[LeafError] = []
        gate = asyncio.Semaphore(max(1, concurrency))

        async def fetch(user_id: str) -> None:
            async with gate:
                try:
                    self.upsert(await self._client.users.get(user_id))
                except NotFound:
                    self._users[user_id] = None
                except LeafError as exc:
                    failures.append(exc)

        if missing:
            await asyncio.gather(*(fetch(user_id) for user_id in missing))
        if failures:
            raise failures[0]
