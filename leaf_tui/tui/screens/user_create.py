"""Creating a Leaf user at most once: who already looked like the new user before the POST, and,
after a POST whose answer was lost, the user it made if it made one; and who already has an
externalId, asked before a save. Textual-free: the form decides what to show.

Comparing against the users there before the POST is what makes a name-only user checkable:
names are not unique, so "a user with this name exists" proves nothing, "one more than before"
does."""

from __future__ import annotations

from dataclasses import dataclass

from leaf_tui.api.models import LeafUser
from leaf_tui.api.users import MAX_PAGE_SIZE, UsersService

MAX_PAGES = 50
"""Pages of one lookup at most (5,000 users sharing a name): a bound, not a limit one meets."""


@dataclass(frozen=True)
class Identity:
    """The name, email and external ID a create sends ("" for one not given)."""

    name: str
    email: str
    external_id: str

    def matches(self, user: LeafUser) -> bool:
        # Case-insensitive: the server may normalise, and users that matched before the POST
        # are left out anyway.
        theirs = (user.name or "", user.email or "", user.external_id or "")
        ours = (self.name, self.email, self.external_id)
        return all(a.casefold() == b.casefold() for a, b in zip(theirs, ours, strict=True))


async def existing_ids(users: UsersService, identity: Identity) -> frozenset[str]:
    """Users that already look like `identity`: asked before the POST."""
    return frozenset(user.id for user in await _matching(users, identity))


async def find_created(
    users: UsersService, identity: Identity, before: frozenset[str]
) -> LeafUser | None:
    """After a create whose answer was lost: a user that looks like `identity` and was not
    there before the POST (`existing_ids`), or None when Leaf did not create one."""
    return next((user for user in await _matching(users, identity) if user.id not in before), None)


async def users_with_external_id(
    users: UsersService, external_id: str, *, except_id: str | None = None
) -> list[LeafUser]:
    """Other users whose externalId is `external_id` (case-insensitive, as the sandbox's filter;
    Leaf's is undocumented, so it is checked here too). Asked of Leaf before a save: the TUI's
    user index may be stale."""
    wanted = external_id.casefold()
    return [
        user
        for user in await _listed(users, external_id=external_id)
        if (user.external_id or "").casefold() == wanted and user.id != except_id
    ]


async def _matching(users: UsersService, identity: Identity) -> list[LeafUser]:
    # The most selective server filter: the external ID, else the email, else the name.
    external_id = identity.external_id or None
    email = None if external_id else identity.email or None
    name = None if external_id or email else identity.name or None
    listed = await _listed(users, name=name, email=email, external_id=external_id)
    return [user for user in listed if identity.matches(user)]


async def _listed(
    users: UsersService,
    *,
    name: str | None = None,
    email: str | None = None,
    external_id: str | None = None,
) -> list[LeafUser]:
    found: list[LeafUser] = []
    for number in range(MAX_PAGES):
        page = await users.list(
            page=number, size=MAX_PAGE_SIZE, name=name, email=email, external_id=external_id
        )
        found.extend(page.items)
        if not page.has_next or not page.items:
            break
    return found
