"""What the Links screen knows between polls, without Textual: the links of the last answer, the
users' names, the filters, the polling streak and what the status line says about it."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from leaf_tui.api.models import MagicLink
from leaf_tui.domain.link_cells import short_id
from leaf_tui.domain.link_filters import LinkFilters, StateFilter, matches

POLL_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 60.0


def newest_first(link: MagicLink) -> tuple[float, str]:
    created = link.created_at.timestamp() if link.created_at else float("-inf")
    return (-created, link.id)


@dataclass(frozen=True)
class Status:
    """The status line: what is shown, when the data is from, what is failing."""

    summary: str
    updated: str | None = None  # " · updated 09:00:00 UTC"
    failing: str | None = None  # " · last poll failed (ServerError); retrying in 10s"


@dataclass
class Answered:
    """What a poll's answer changed."""

    reconnected: bool  # it ends a streak of failures
    same: bool  # the very same links as the last answer


@dataclass
class LinksView:
    """All links, or one user's (`filters.user_id`)."""

    filters: LinkFilters = field(default_factory=LinkFilters)
    poll_seconds: float = POLL_SECONDS
    max_backoff_seconds: float = MAX_BACKOFF_SECONDS
    links: dict[str, MagicLink] = field(default_factory=dict)  # the last answer, newest first
    names: dict[str, str] = field(default_factory=dict)  # leafUserId -> display name
    polls: int = 0  # answers received
    updated_at: datetime | None = None
    failures: int = 0  # polls failed in a row
    failure: str | None = None  # the kind of the last failure
    resolving: bool = False  # names are being fetched
    answer: tuple[MagicLink, ...] = ()  # the last answer, as the service gave it

    # -- polling ------------------------------------------------------------------------------

    def answered(self, links: Sequence[MagicLink], now: datetime) -> Answered:
        reconnected = self.failures > 0
        self.failures = 0
        self.failure = None
        self.polls += 1
        self.updated_at = now
        # The service hands back the very same links when Leaf's answer did not change (the
        # usual poll): compared by identity in C, no need to sort and diff 2,000 rows again.
        last, self.answer = self.answer, tuple(links)
        same = len(links) == len(last) and not any(map(operator.is_not, links, last))
        if not same:
            self.links = {link.id: link for link in sorted(links, key=newest_first)}
        return Answered(reconnected, same)

    def failed(self, kind: str) -> bool:
        """Count a failed poll; True for the first of a streak of this kind (say it once)."""
        self.failures += 1
        first = self.failure != kind
        self.failure = kind
        return first

    def next_delay(self) -> float:
        """Seconds to the next poll: longer after each failure in a row, up to the cap."""
        if not self.failures:
            return self.poll_seconds
        backoff = self.poll_seconds * 2.0 ** min(self.failures, 6)
        return min(self.max_backoff_seconds, backoff)

    def depends_on_time(self) -> bool:
        """Whether the rows shown can change with the clock alone (links expire into and out
        of a state filter), so an unchanged answer still needs the rows recomputed."""
        return self.filters.state is not StateFilter.ALL

    def forget(self, link_id: str) -> None:
        self.links.pop(link_id, None)

    # -- rows and names -----------------------------------------------------------------------

    def shown(self, now: datetime) -> list[MagicLink]:
        names = self.names
        return [
            link
            for link in self.links.values()
            if matches(link, self.filters, now, names.get(link.leaf_user_id or ""))
        ]

    def name_of(self, user_id: str | None) -> str | None:
        return self.names.get(user_id or "")

    def learn_names(self, known: Callable[[str], str | None]) -> list[str]:
        """Take the names `known` has for the links' users; returns the ids still unknown."""
        unknown: list[str] = []
        for user_id in {link.leaf_user_id for link in self.links.values() if link.leaf_user_id}:
            if user_id in self.names:
                continue
            name = known(user_id)
            if name is not None:
                self.names[user_id] = name
            else:
                unknown.append(user_id)
        return unknown

    def user_label(self) -> str | None:
        """The pinned user as the filter bar names them: the name once known, else the id."""
        user_id = self.filters.user_id
        return (self.names.get(user_id) or short_id(user_id)) if user_id else None

    # -- the status line ----------------------------------------------------------------------

    def status(self, shown: int) -> Status:
        total = len(self.links)
        if self.updated_at is None:
            summary = "Loading links…" if not self.failures else "Could not load links"
        elif not total:
            summary = "No magic links yet: n creates one."
        elif not shown:
            summary = f"No links match these filters ({total} in all): x clears them."
        else:
            summary = f"{shown} of {total} links" if shown != total else f"{total} links"
        updated = f" · updated {self.updated_at:%H:%M:%S} UTC" if self.updated_at else None
        failing = None
        if self.failures:
            wait = int(self.next_delay())
            failing = f" · last poll failed ({self.failure}); retrying in {wait}s"
        return Status(summary, updated, failing)
