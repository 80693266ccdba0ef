"""Magic-link states and filters: pure logic shared by the Links screen (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import TypeVar

from leaf_tui.api.models import LinkKind, MagicLink
from leaf_tui.common.formatting import SOON_SECONDS

_T = TypeVar("_T")


class LinkState(Enum):
    """What a link is good for right now, one per link (for colour and the details panel)."""

    ACTIVE = "active"
    EXPIRING = "expiring"  # usable, but expires within the hour
    EXPIRED = "expired"
    USED_UP = "used up"


class StateFilter(Enum):
    """The state filter. ACTIVE means still usable, so it includes links expiring soon."""

    ALL = "all"
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    USED_UP = "used up"

    @property
    def label(self) -> str:
        return "expiring < 1h" if self is StateFilter.EXPIRING else self.value


KIND_CYCLE: tuple[LinkKind | None, ...] = (None, *LinkKind)
STATE_CYCLE: tuple[StateFilter, ...] = tuple(StateFilter)


def link_state(link: MagicLink, now: datetime) -> LinkState:
    """Expired wins over used up (time is what the countdown shows), then expiring, then active."""
    if link.is_expired(now):
        return LinkState.EXPIRED
    if link.is_used_up:
        return LinkState.USED_UP
    left = link.seconds_left(now)
    if left is not None and left < SOON_SECONDS:
        return LinkState.EXPIRING
    return LinkState.ACTIVE


def matches_state(link: MagicLink, wanted: StateFilter, now: datetime) -> bool:
    """Each state filter is a predicate, so an expired and used-up link shows under both."""
    if wanted is StateFilter.ALL:
        return True
    if wanted is StateFilter.EXPIRED:
        return link.is_expired(now)
    if wanted is StateFilter.USED_UP:
        return link.is_used_up
    usable = not link.is_expired(now) and not link.is_used_up
    if wanted is StateFilter.ACTIVE:
        return usable
    left = link.seconds_left(now)
    return usable and left is not None and left < SOON_SECONDS


@dataclass(frozen=True)
class LinkFilters:
    """kind None means every kind; user_id pins one user; user_text matches name or id."""

    kind: LinkKind | None = None
    state: StateFilter = StateFilter.ALL
    user_id: str | None = None
    user_text: str = ""

    @property
    def is_default(self) -> bool:
        return self == LinkFilters(user_id=self.user_id)

    def next_kind(self) -> LinkFilters:
        return replace(self, kind=_next(KIND_CYCLE, self.kind))

    def next_state(self) -> LinkFilters:
        return replace(self, state=_next(STATE_CYCLE, self.state))

    def describe(self, user_label: str | None = None) -> str:
        """One line for the filter bar, e.g. `kind: provider · state: expired · user: Ann`."""
        kind = self.kind.label.lower() if self.kind else "all"
        parts = [f"kind: {kind}", f"state: {self.state.label}"]
        if self.user_id:
            parts.append(f"user: {user_label or self.user_id}")
        if self.user_text.strip():
            parts.append(f'name: "{self.user_text.strip()}"')
        return " · ".join(parts)


def matches(
    link: MagicLink, filters: LinkFilters, now: datetime, user_name: str | None = None
) -> bool:
    """Whether `link` passes every filter; `user_name` is the resolved name, if known yet."""
    if filters.kind is not None and link.kind is not filters.kind:
        return False
    if filters.user_id is not None and link.leaf_user_id != filters.user_id:
        return False
    text = filters.user_text.strip().casefold()
    if text:
        haystacks = (user_name or "", link.leaf_user_id or "")
        if not any(text in h.casefold() for h in haystacks):
            return False
    return matches_state(link, filters.state, now)


def _next(cycle: tuple[_T, ...], current: _T) -> _T:
    return cycle[(cycle.index(current) + 1) % len(cycle)]
