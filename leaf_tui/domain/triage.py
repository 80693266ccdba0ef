"""The triage queue: every grower with an unhealthy connection, most recent failure first
(no Textual here). Built from the user objects already loaded: their `*Credentials` carry each
credential with its status, so only the unhealthy ones cost a request (their events)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import REGISTRY, ProviderCredential, credentials_of
from leaf_tui.domain.connections import Connection, is_unhealthy_status


def not_checked(users: Iterable[LeafUser]) -> list[str]:
    """Providers Leaf documents outside the user object that no loaded user object carries:
    the queue cannot see them without a request per grower, so it says it did not check them."""
    seen: set[str] = set()
    for user in users:
        seen.update(user.credentials)
    return not_checked_among(seen)


def not_checked_among(seen: Iterable[str]) -> list[str]:
    """As `not_checked`, from the `*Credentials` keys the user objects carry."""
    keys = set(seen)
    return [p.display for p in REGISTRY if not p.in_user_object and p.user_field not in keys]


@dataclass(frozen=True)
class TriageItem:
    user: LeafUser
    connection: Connection

    @property
    def when(self) -> datetime | None:
        """The latest failure, else the credential's creation: what the queue sorts by."""
        failure = self.connection.last_failure
        if failure is not None and failure.created_date is not None:
            return failure.created_date
        cred = self.connection.credential
        return cred.created_time if cred is not None else None


def candidates(users: Iterable[LeafUser]) -> list[tuple[LeafUser, ProviderCredential]]:
    """Every (grower, credential) whose status is not OK, from the user objects alone."""
    found = []
    for user in users:
        if not user.credentials:
            continue
        for credential in credentials_of(user.credentials):
            if is_unhealthy_status(credential):
                found.append((user, credential))
    return found


def without_status(users: Iterable[LeafUser]) -> list[str]:
    """Providers with a credential whose user object carries no status: not checked."""
    found = {
        credential.provider.display
        for user in users
        for credential in credentials_of(user.credentials or {})
        if credential.status is None
    }
    return sorted(found)


def ordered(items: Sequence[TriageItem]) -> list[TriageItem]:
    """Most recent failure first; undated ones last, then by grower name."""
    dated = sorted(
        (i for i in items if i.when is not None),
        key=lambda i: (i.when, i.user.display_name.casefold()),
        reverse=True,
    )
    undated = sorted(
        (i for i in items if i.when is None), key=lambda i: i.user.display_name.casefold()
    )
    return dated + undated
