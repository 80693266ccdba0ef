"""An in-memory index of the API owner's users, for instant search and for naming links' users.

Leaf's list filters are exact (or undocumented), so search runs here, over everything loaded by
`load()`. `resolve()` fills in users the index has not seen (e.g. a link's leafUserId) with bounded
concurrency, remembering users that no longer exist; when many are unknown, it pages the whole
list instead (100 users a request) rather than asking for each one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

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


PHONE_CHARS = frozenset("0123456789 +-().")
MIN_PHONE_DIGITS = 3


def digits_of(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def phone_digits(query: str) -> str | None:
    """The digits of a query that reads as (part of) a phone number, typed in any common way
    ("+1 (555) 010-2030", "555.010.2030"); None for anything else."""
    text = query.strip()
    if not text or not set(text) <= PHONE_CHARS:
        return None
    digits = digits_of(text)
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def search_fields(user: LeafUser) -> str:
    """What search looks in, casefolded once (not per keystroke):
    "\0name\0email\0externalId\0id\0phone digits\0", so one substring test rejects most
    users. The phone as digits only: the grower on the phone reads it out in their own format."""
    values = (user.name, user.email, user.external_id, user.id, digits_of(user.phone))
    return "".join(f"{SEP}{v.casefold().replace(SEP, '')}" for v in values if v) + SEP


Statuses = tuple[tuple[str, str | None], ...]
UserRecord = tuple[str, str | None, str | None, str | None, str | None, str, Statuses, bytes]
"""One user as the index holds it: a plain tuple of strings (and a tuple of (key, status)
pairs), which CPython's cyclic collector stops tracking once it has seen it, where a LeafUser
with its credential dicts is five objects every full collection walks (50,000 for 10,000
users). The fields, by position: """
ID: Final = 0
NAME: Final = 1
EMAIL: Final = 2
EXTERNAL_ID: Final = 3
PHONE: Final = 4
FIELDS: Final = 5  # search_fields(user)
PROVIDERS: Final = 6  # (key, status) of each `*Credentials` in the user object, in its order
REST: Final = 7  # address, credentials and other keys: JSON, compressed (b"" when none)
"""REST is compressed, not JSON text, so a record's repr (assert messages, logs, a traceback's
locals) does not spell out credentials' secrets such as an authToken, as LeafUser's repr hides
them. A tuple subclass with its own repr would do it too, but the collector tracks every one."""


def _status(credential: object) -> str | None:
    """A credential's status as text; None when it has none (or is not an object)."""
    status = credential.get("status") if isinstance(credential, Mapping) else None
    return None if status is None else str(status)


PACK_WBITS = -9
"""Raw deflate with a 512-byte window and the least memory: a user's few hundred bytes compress
in ~8 us (zlib's defaults, which set up 256 KB each time, take ~80 us: 0.8 s for 10,000)."""


def _packed(text: str) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, PACK_WBITS, 1)
    return packer.compress(text.encode()) + packer.flush()


def record_of(user: LeafUser) -> UserRecord:
    rest: dict[str, Any] = dict(user.extra)
    rest.update(user.credentials)
    if user.address is not None:
        rest["address"] = user.address
    providers = tuple((key, _status(value)) for key, value in user.credentials.items())
    return (
        user.id,
        user.name,
        user.email,
        user.external_id,
        user.phone,
        search_fields(user),
        providers,
        _packed(json.dumps(rest, separators=(",", ":"))) if rest else b"",
    )


def user_of(record: UserRecord) -> LeafUser:
    """The LeafUser a record was made from (a new object each time: made only when asked)."""
    if not record[REST]:
        return LeafUser(
            id=record[ID],
            name=record[NAME],
            email=record[EMAIL],
            phone=record[PHONE],
            external_id=record[EXTERNAL_ID],
        )
    data: dict[str, Any] = json.loads(zlib.decompress(record[REST], PACK_WBITS))
    data.update(
        id=record[ID],
        name=record[NAME],
        email=record[EMAIL],
        phone=record[PHONE],
        externalId=record[EXTERNAL_ID],
    )
    return LeafUser.from_json(data)


def display_name(record: UserRecord) -> str:
    """As LeafUser.display_name."""
    return record[NAME] or record[EMAIL] or record[EXTERNAL_ID] or record[ID]


def _by_name(record: UserRecord) -> tuple[str, str]:
    return (display_name(record).casefold(), record[ID])


MADE_KEPT = 64
"""LeafUsers made from records and kept for the next ask (the highlighted user is asked for on
every key): a few, so the collector never has many of them to walk."""


class UserIndex:
    """Held in forms the cyclic collector need not walk: one UserRecord (a tuple of strings) per
    user in a dict, the order a list of them; a LeafUser is made from its record when asked
    (`get`, `search`, `users`), and the Users table shows records, so a full collection with
    10,000 users loaded does not visit 10,000 objects."""

    def __init__(self, client: LeafClient) -> None:
        self._client = client
        self._records: dict[str, UserRecord] = {}  # user id -> record, for every user indexed
        self._gone: set[str] = set()  # ids Leaf answered 404 for
        # records by name and, in the same order, their search fields; rebuilt after a change
        self._order: tuple[list[UserRecord], list[str]] | None = None
        self._last: tuple[str, list[int]] = ("", [])  # the last query and its matches' rows
        self._recent: dict[str, list[UserRecord]] = {}  # query -> every match, ranked
        self._made: dict[str, LeafUser] = {}  # a few users made from their records
        self._load_lock = asyncio.Lock()
        self.loaded = False

    def __len__(self) -> int:
        return len(self._records)

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        """(Re)load every user; `on_progress(loaded, total)` after each page."""
        async with self._load_lock:
            users = await self._client.users.list_all(on_progress=on_progress)
            self._records = {user.id: record_of(user) for user in users}
            # keep what we know is gone, unless it reappeared
            self._gone = {user_id for user_id in self._gone if user_id not in self._records}
            self._changed()
            self._sorted()  # now, rather than on the first keystroke
            self.loaded = True

    def _sorted(self) -> tuple[list[UserRecord], list[str]]:
        if self._order is None:
            records = sorted(self._records.values(), key=_by_name)
            self._order = (records, [record[FIELDS] for record in records])
            self._last = ("", [])
            self._recent.clear()
        return self._order

    def _changed(self) -> None:
        self._order = None
        self._last = ("", [])
        self._recent.clear()
        self._made.clear()

    def search(self, query: str, limit: int = 200) -> list[LeafUser]:
        """Case-insensitive substring over name, email, externalId, id and phone (digits
        compared, so any way of writing a number finds it): exact matches
        first, then prefix matches, then the rest, each by name. An empty query lists everyone
        by name."""
        return [user_of(record) for record in self.search_records(query)[: max(0, limit)]]

    def search_records(self, query: str) -> list[UserRecord]:
        """Every match of `search`, as records (the same list object until the index or the
        query changes: do not change it)."""
        # a phone number in any format is its digits, as the phones are indexed
        needle = phone_digits(query) or query.strip().casefold().replace(SEP, "")
        order = self._sorted()
        if not needle:
            return order[0]
        ranked = self._recent.get(needle)
        if ranked is None:
            ranked = self._rank(needle, order)
            if len(self._recent) >= RECENT_QUERIES:
                del self._recent[next(iter(self._recent))]
            self._recent[needle] = ranked
        return ranked

    def _rank(self, needle: str, order: tuple[list[UserRecord], list[str]]) -> list[UserRecord]:
        records, fields = order
        # typing extends the query: only the previous query's matches can match the new one
        last_needle, last_rows = self._last
        if last_needle and last_needle in needle:
            rows = [row for row in last_rows if needle in fields[row]]
        else:
            rows = [row for row, text in enumerate(fields) if needle in text]
        self._last = (needle, rows)
        whole, start = f"{SEP}{needle}{SEP}", f"{SEP}{needle}"
        exact: list[UserRecord] = []
        prefix: list[UserRecord] = []
        inside: list[UserRecord] = []
        for row in rows:  # in name order, so each list is sorted by name already
            text = fields[row]
            if whole in text:
                exact.append(records[row])
            elif start in text:
                prefix.append(records[row])
            else:
                inside.append(records[row])
        return exact + prefix + inside

    def users(self) -> list[LeafUser]:
        """Every user indexed, by name (made from the records: a new list each call)."""
        return [user_of(record) for record in self._sorted()[0]]

    def users_to_triage(self) -> list[LeafUser]:
        """The users with a credential whose status is not "OK" (or missing), by name: all the
        triage queue looks at, made from a few hundred records rather than all 10,000."""
        return [
            user_of(record)
            for record in self._sorted()[0]
            if any(status != "OK" for _, status in record[PROVIDERS])
        ]

    def credential_keys(self) -> set[str]:
        """Every `*Credentials` key some indexed user object carries."""
        return {key for record in self._records.values() for key, _ in record[PROVIDERS]}

    def get(self, user_id: str) -> LeafUser | None:
        user = self._made.get(user_id)
        if user is None:
            record = self._records.get(user_id)
            if record is None:
                return None
            user = user_of(record)
            if len(self._made) >= MADE_KEPT:
                del self._made[next(iter(self._made))]
            self._made[user_id] = user
        return user

    def upsert(self, user: LeafUser) -> None:
        self._records[user.id] = record_of(user)
        self._gone.discard(user.id)
        self._changed()

    def remove(self, user_id: str) -> None:
        if self._records.pop(user_id, None) is not None:
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
            user = self.get(user_id)
            if user is not None:
                found[user_id] = user
        return found

    def _missing(self, ids: list[str]) -> list[str]:
        return [i for i in ids if i not in self._records and i not in self._gone]

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
                    self._gone.add(user_id)
                except LeafError as exc:
                    failures.append(exc)

        if missing:
            await asyncio.gather(*(fetch(user_id) for user_id in missing))
        if failures:
            raise failures[0]
