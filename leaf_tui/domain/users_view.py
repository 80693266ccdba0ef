"""What the Users screen shows, decided without Textual: the query, the rows it gives (from the
loaded index, or the first page merged with the server's exact matches while the index loads),
which user the cursor is on, the Sentera statuses asked for so far and the links for the detail.

The screen is the adapter: it feeds keys, answers and highlights in, and draws what `show()` and
`detail()` return. Timers (the debounces) and requests stay on the screen's side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from leaf_tui.api.models import LeafUser, MagicLink, SenteraCredential
from leaf_tui.api.user_index import FIELDS, ID, UserRecord, phone_digits, record_of


class UserSearch(Protocol):
    """The part of `api.user_index.UserIndex` the view uses."""

    @property
    def loaded(self) -> bool: ...

    def __len__(self) -> int: ...

    def search_records(self, query: str) -> Sequence[UserRecord]: ...

    def upsert(self, user: LeafUser) -> None: ...

    def remove(self, user_id: str) -> None: ...


def merge(*groups: Iterable[UserRecord]) -> list[UserRecord]:
    """Concatenate, first occurrence of each id wins (earlier groups rank higher)."""
    seen: dict[str, UserRecord] = {}
    for group in groups:
        for user in group:
            seen.setdefault(user[ID], user)
    return list(seen.values())


def local_match(users: Iterable[UserRecord], query: str) -> list[UserRecord]:
    """As the index searches (phones by their digits), over the users at hand."""
    needle = phone_digits(query) or query.strip().casefold()
    return [u for u in users if needle in u[FIELDS]]


def records(users: Iterable[LeafUser]) -> list[UserRecord]:
    return [record_of(user) for user in users]


@dataclass(frozen=True)
class SenteraState:
    """The user's Sentera credential as far as we know: loading, none, one, or why unknown."""

    loading: bool = False
    credential: SenteraCredential | None = None
    error: str | None = None


NOT_ASKED = SenteraState(loading=True)
"""What the detail shows for a user not asked for yet: a (debounced) request is coming."""


class SenteraStatuses:
    """Each user's Sentera credential as asked for (Leaf's user object does not carry it), kept
    until a reload. A request that ends without an answer (cancelled: the cursor moved on) must
    not leave "checking…" behind: `settle` forgets it, so it is asked again."""

    def __init__(self) -> None:
        self._states: dict[str, SenteraState] = {}

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._states

    def get(self, user_id: str) -> SenteraState | None:
        return self._states.get(user_id)

    def state_of(self, user_id: str) -> SenteraState:
        return self._states.get(user_id) or NOT_ASKED

    def asking(self, user_id: str) -> None:
        self._states[user_id] = SenteraState(loading=True)

    def answered(self, user_id: str, credential: SenteraCredential | None) -> None:
        self._states[user_id] = SenteraState(credential=credential)

    def failed(self, user_id: str, message: str) -> None:
        self._states[user_id] = SenteraState(error=message)

    def forget(self, user_id: str | None) -> None:
        self._states.pop(user_id or "", None)

    def settle(self, user_id: str) -> None:
        """The request for `user_id` is over: if it left no answer, forget it."""
        state = self._states.get(user_id)
        if state is not None and state.loading:
            del self._states[user_id]

    def clear(self) -> None:
        self._states.clear()

    def not_asked(self, user_ids: Iterable[str]) -> list[str]:
        return [uid for uid in user_ids if uid not in self._states]

    def loading(self, user_ids: Iterable[str]) -> bool:
        return any(self._states[uid].loading for uid in user_ids if uid in self._states)

    def has_credential(self, user_id: str) -> bool:
        state = self._states.get(user_id)
        return state is not None and state.credential is not None

    def known(self) -> dict[str, str | None]:
        """Status by user id for the table (None: no credential), the answered ones only."""
        return {
            uid: (st.credential.status if st.credential else None)
            for uid, st in self._states.items()
            if not st.loading and st.error is None
        }


@dataclass(frozen=True)
class Count:
    """The count beside the search: `widest` is the widest text it will show for now."""

    text: str
    widest: str = ""


@dataclass(frozen=True)
class Shown:
    """What the table shows after a change: the users in rank order and where the cursor goes."""

    users: list[UserRecord]
    first_row: bool  # a new query: the cursor on the first row shown
    keep: str | None  # otherwise the user it stays on (if still there)
    count: Count | None  # None: the count stays as it is
    nothing: str | None  # no rows: what the detail pane says instead
    ask_server: str | None  # the index is not loaded: ask the server for this query


DetailArgs = tuple[LeafUser, SenteraState, list[MagicLink] | None, str | None]


class UsersView:
    """The Users screen's state. `index()` gives the app's user index (searched once loaded): a
    new one after signing in again, so it is asked for each time."""

    def __init__(self, index: Callable[[], UserSearch]) -> None:
        self._index = index
        self.query_text = ""  # as typed
        self.first_page: list[UserRecord] = []
        self.first_page_loaded = False
        self.rows: list[UserRecord] = []  # the last rows shown, in rank order
        self.highlighted: str | None = None  # the user under the cursor, as the table said last
        self._move_to: str | None = None  # a user the cursor goes to on purpose (one saved)
        self.sentera = SenteraStatuses()
        self.links: list[MagicLink] | None = None  # every link, once loaded
        self.links_error: str | None = None
        self.detail_for: str | None = None  # whose Sentera the detail asked for
        self._server_hits: dict[str, list[UserRecord]] = {}  # query -> the server's answer
        self._cursor_query: str | None = None  # the query the cursor went to the top for
        self._detail_shown: DetailArgs | None = None

    @property
    def index(self) -> UserSearch:
        return self._index()

    @property
    def query(self) -> str:
        return self.query_text.strip()

    # -- rows ---------------------------------------------------------------------------------

    def typed(self, text: str) -> Shown:
        self.query_text = text
        return self.show()

    def first_page_loaded_with(self, users: Iterable[LeafUser]) -> Shown:
        self.first_page = records(users)
        self.first_page_loaded = True
        return self.show()

    def cursor_on(self, user_id: str | None) -> None:
        """Where the table's cursor is now. The screen tells this before any redraw: the
        table's Highlighted message comes some hops later (behind arrow keys still queued), and
        a redraw for a background answer must not move the cursor back to the user before."""
        self.highlighted = user_id

    def show(self) -> Shown:
        """The best answer we have now. A new query puts the cursor on the first row (enter, `s`
        or `n` then act on the user at the top of what is shown), a save on the user saved;
        anything else (the index or a server answer arriving, a reload) keeps the highlighted
        user."""
        query = self.query
        ask: str | None = None
        if self.index.loaded:
            total = len(self.index)
            # every match: the table draws only the rows on screen, so all stay reachable
            users = list(self.index.search_records(query))
            widest = f"{total} of {total} users"
            text = f"{len(users)} of {total} users" if query else f"{total} users"
            count: Count | None = Count(text, widest)
        else:
            local = local_match(self.first_page, query) if query else self.first_page
            users = merge(self._server_hits.get(query, []), local)
            if query and query not in self._server_hits:
                ask = query
            count = (
                Count(f"{len(users)} users (indexing…)")
                if self.first_page_loaded and not query
                else None
            )
        first_row = query != self._cursor_query
        self._cursor_query = query
        if self._move_to is not None:
            self.highlighted, self._move_to = self._move_to, None
        elif first_row:
            self.highlighted = users[0][ID] if users else None
        self.rows = users
        return Shown(users, first_row, self.highlighted, count, self._nothing(), ask)

    def again(self) -> Shown:
        """The same rows (a Sentera status arrived: their cells change), the cursor kept."""
        return Shown(self.rows, False, self.highlighted, None, self._nothing(), None)

    def _nothing(self) -> str | None:
        if self.rows:
            return None
        self.detail_for = None
        self._detail_shown = None
        return f"No user matches {self.query!r}" if self.query_text else "No users"

    def server_answered(self, query: str, *groups: Iterable[LeafUser]) -> bool:
        """The server's exact matches for `query`; True when it is still the query shown."""
        self._server_hits[query] = merge(*map(records, groups))
        return self.query == query

    def highlight(self, user_id: str | None) -> bool:
        """The cursor is on `user_id` (the table says so); True when the detail must follow."""
        self.highlighted = user_id
        if user_id is None or user_id == self.detail_for:
            return False
        self.detail_for = user_id
        return True

    def adopt(self, user: LeafUser) -> None:
        """A user made or changed here or elsewhere: in the list at once, not after a reload."""
        self.index.upsert(user)
        new = record_of(user)
        if user.id in {u[ID] for u in self.first_page}:
            self.first_page = [new if u[ID] == user.id else u for u in self.first_page]
        else:
            self.first_page.append(new)
        for query, hits in self._server_hits.items():
            self._server_hits[query] = [new if u[ID] == user.id else u for u in hits]

    def saved(self, user: LeafUser) -> None:
        """The form saved `user`: adopted, the cursor goes to it (next `show`), its detail
        drawn afresh."""
        self.adopt(user)
        self._move_to = user.id
        self.detail_for = None

    def removed(self, user_id: str) -> None:
        self.index.remove(user_id)
        self.first_page = [u for u in self.first_page if u[ID] != user_id]
        for query, hits in self._server_hits.items():
            self._server_hits[query] = [u for u in hits if u[ID] != user_id]
        self.sentera.forget(user_id)

    def reloading(self) -> None:
        """`r`: every Sentera status is asked again, the highlighted user's first."""
        self.sentera.clear()
        self.detail_for = None

    # -- the detail pane ----------------------------------------------------------------------

    def links_loaded(self, links: list[MagicLink]) -> None:
        self.links, self.links_error = links, None

    def links_failed(self, message: str) -> None:
        self.links_error = message
        self.links = self.links or []

    def detail(self, user: LeafUser) -> DetailArgs | None:
        """What the detail pane shows for `user`, or None when it shows that already."""
        links = (
            None if self.links is None else [lk for lk in self.links if lk.leaf_user_id == user.id]
        )
        shown = (user, self.sentera.state_of(user.id), links, self.links_error)
        if shown == self._detail_shown:
            return None
        self._detail_shown = shown
        return shown

    def detail_cleared(self) -> None:
        """The pane shows something else (a message): draw the user again next time."""
        self._detail_shown = None

    def settled(self, visible: Sequence[str]) -> bool:
        """Nothing the first view needs is still coming (tests and screenshots wait for this)."""
        detail_done = self.detail_for is None or not self.sentera.state_of(self.detail_for).loading
        return (
            self.first_page_loaded
            and not self.sentera.not_asked(visible)
            and not self.sentera.loading(visible)
            and self.index.loaded
            and self.links is not None
            and detail_done
        )
