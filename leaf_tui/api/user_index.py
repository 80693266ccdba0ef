"""An in-memory index of the API owner's users, for instant search and for naming links' users.

Leaf's list filters are exact (or undocumented), so search runs here, over everything loaded by
`load()`. `resolve()` fills in users the index has not seen (e.g. a link's leafUserId) with bounded
concurrency, remembering users that no longer exist.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.users import ProgressCallback

if TYPE_CHECKING:
    from leaf_tui.api.client import LeafClient


def _fields(user: LeafUser) -> tuple[str, ...]:
    return tuple(
        value.casefold() for value in (user.name, user.email, user.external_id, user.id) if value
    )


def _rank(user: LeafUser, needle: str) -> int | None:
    """0 an exact field, 1 a field starting with the query, 2 a field containing it."""
    best: int | None = None
    for value in _fields(user):
        if value == needle:
            return 0
        if value.startswith(needle):
            best = 1
        elif needle in value and best is None:
            best = 2
    return best


def _by_name(user: LeafUser) -> tuple[str, str]:
    return (user.display_name.casefold(), user.id)


class UserIndex:
    def __init__(self, client: LeafClient) -> None:
        self._client = client
        # None marks an id Leaf answered 404 for
        self._users: dict[str, LeafUser | None] = {}
        self._load_lock = asyncio.Lock()
        self.loaded = False

    def __len__(self) -> int:
        return sum(1 for user in self._users.values() if user is not None)

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
            self.loaded = True

    def search(self, query: str, limit: int = 200) -> list[LeafUser]:
        """Case-insensitive substring over name, email, externalId and id: exact and prefix
        matches first, then by name. An empty query lists everyone by name."""
        needle = query.strip().casefold()
        users = [user for user in self._users.values() if user is not None]
        if not needle:
            return sorted(users, key=_by_name)[: max(0, limit)]
        ranked: list[tuple[int, tuple[str, str], LeafUser]] = []
        for user in users:
            rank = _rank(user, needle)
            if rank is not None:
                ranked.append((rank, _by_name(user), user))
        ranked.sort(key=lambda entry: (entry[0], entry[1]))
        return [user for _, _, user in ranked[: max(0, limit)]]

    def get(self, user_id: str) -> LeafUser | None:
        return self._users.get(user_id)

    def upsert(self, user: LeafUser) -> None:
        self._users[user.id] = user

    def remove(self, user_id: str) -> None:
        self._users.pop(user_id, None)

    async def resolve(self, ids: Iterable[str], concurrency: int = 8) -> dict[str, LeafUser]:
        """The users for `ids` that exist. Unknown ids are fetched (at most `concurrency` at a
        time) and cached; a 404 is remembered so it is not asked again. If some fetch fails
        otherwise, the others are still cached and the first such error is raised."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        missing = [user_id for user_id in wanted if user_id not in self._users]
        failures: list[LeafError] = []
        gate = asyncio.Semaphore(max(1, concurrency))

        async def fetch(user_id: str) -> None:
            async with gate:
                try:
                    self._users[user_id] = await self._client.users.get(user_id)
                except NotFound:
                    self._users[user_id] = None
                except LeafError as exc:
                    failures.append(exc)

        if missing:
            await asyncio.gather(*(fetch(user_id) for user_id in missing))
        if failures:
            raise failures[0]
        found: dict[str, LeafUser] = {}
        for user_id in wanted:
            user = self._users.get(user_id)
            if user is not None:
                found[user_id] = user
        return found
