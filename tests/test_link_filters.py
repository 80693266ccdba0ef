"""link_filters: the state of a link and whether it passes the Links screen's filters."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from leaf_tui.api.models import LinkKind, LinkSettings, MagicLink
from leaf_tui.domain.link_filters import (
    KIND_CYCLE,
    LinkFilters,
    LinkState,
    StateFilter,
    link_state,
    matches,
    matches_state,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_link(
    *,
    kind: LinkKind = LinkKind.PROVIDER,
    left: float | None = 7200,
    used: int | None = 0,
    limit: int | None = 3,
    user: str | None = "user-1",
) -> MagicLink:
    return MagicLink(
        id="link-1",
        link="http://sandbox.test/magic-link/link-1",
        kind=kind,
        widget=kind.widget,
        leaf_user_id=user,
        created_at=NOW - timedelta(hours=1),
        expires_at=None if left is None else NOW + timedelta(seconds=left),
        last_accessed_at=None,
        max_usage=limit,
        usage_count=used,
        settings=LinkSettings(),
        allowed_providers=("JohnDeere",) if kind is LinkKind.PROVIDER else (),
        provider="CNHI" if kind is LinkKind.AUTHENTICATION else None,
    )


def test_states_by_time_and_usage() -> None:
    assert link_state(make_link(left=7200), NOW) is LinkState.ACTIVE
    assert link_state(make_link(left=3599), NOW) is LinkState.EXPIRING
    assert link_state(make_link(left=3600), NOW) is LinkState.ACTIVE
    assert link_state(make_link(left=0), NOW) is LinkState.EXPIRED
    assert link_state(make_link(left=-5), NOW) is LinkState.EXPIRED
    assert link_state(make_link(used=3), NOW) is LinkState.USED_UP
    # no expiry known: never expiring, never expired
    assert link_state(make_link(left=None), NOW) is LinkState.ACTIVE


def test_expired_wins_over_used_up_but_both_filters_show_it() -> None:
    link = make_link(left=-60, used=3)
    assert link_state(link, NOW) is LinkState.EXPIRED
    assert matches_state(link, StateFilter.EXPIRED, NOW)
    assert matches_state(link, StateFilter.USED_UP, NOW)
    assert not matches_state(link, StateFilter.ACTIVE, NOW)


def test_unknown_usage_is_not_used_up() -> None:
    assert link_state(make_link(used=None), NOW) is LinkState.ACTIVE
    assert link_state(make_link(limit=None, used=9), NOW) is LinkState.ACTIVE


def test_active_includes_expiring_but_not_used_up() -> None:
    expiring = make_link(left=600)
    assert matches_state(expiring, StateFilter.ACTIVE, NOW)
    assert matches_state(expiring, StateFilter.EXPIRING, NOW)
    used_up_soon = make_link(left=600, used=3)
    assert not matches_state(used_up_soon, StateFilter.EXPIRING, NOW)
    assert not matches_state(make_link(left=7200), StateFilter.EXPIRING, NOW)


def test_the_state_moves_with_the_clock() -> None:
    link = make_link(left=3700)
    assert link_state(link, NOW) is LinkState.ACTIVE
    assert link_state(link, NOW + timedelta(seconds=200)) is LinkState.EXPIRING
    assert link_state(link, NOW + timedelta(seconds=3700)) is LinkState.EXPIRED


def test_kind_filter() -> None:
    auth = make_link(kind=LinkKind.AUTHENTICATION)
    assert matches(auth, LinkFilters(), NOW)
    assert matches(auth, LinkFilters(kind=LinkKind.AUTHENTICATION), NOW)
    assert not matches(auth, LinkFilters(kind=LinkKind.PROVIDER), NOW)
    assert not matches(auth, LinkFilters(kind=LinkKind.FILE_UPLOAD), NOW)


def test_user_id_filter_is_exact() -> None:
    link = make_link(user="user-1")
    assert matches(link, LinkFilters(user_id="user-1"), NOW)
    assert not matches(link, LinkFilters(user_id="user-10"), NOW)
    assert not matches(make_link(user=None), LinkFilters(user_id="user-1"), NOW)


def test_user_text_filter_matches_name_or_id_case_insensitively() -> None:
    link = make_link(user="0b5e-user")
    by_name = LinkFilters(user_text="  ann ")
    assert matches(link, by_name, NOW, user_name="Ann Lindqvist")
    assert not matches(link, by_name, NOW, user_name="Bob Ortega")
    # before the name is resolved, the id still matches
    assert matches(link, LinkFilters(user_text="0B5E"), NOW, user_name=None)
    assert not matches(link, by_name, NOW, user_name=None)


def test_filters_combine() -> None:
    link = make_link(kind=LinkKind.FILE_UPLOAD, left=-1)
    both = LinkFilters(kind=LinkKind.FILE_UPLOAD, state=StateFilter.EXPIRED)
    assert matches(link, both, NOW)
    assert not matches(link, LinkFilters(kind=LinkKind.FILE_UPLOAD, state=StateFilter.ACTIVE), NOW)


def test_cycles_visit_every_value_and_wrap() -> None:
    f = LinkFilters(user_id="u")
    kinds = []
    for _ in range(len(KIND_CYCLE)):
        f = f.next_kind()
        kinds.append(f.kind)
    assert kinds == [LinkKind.PROVIDER, LinkKind.AUTHENTICATION, LinkKind.FILE_UPLOAD, None]
    states = []
    for _ in range(len(StateFilter)):
        f = f.next_state()
        states.append(f.state)
    assert states[-1] is StateFilter.ALL and set(states) == set(StateFilter)
    assert f.user_id == "u" and f.is_default


def test_describe() -> None:
    f = LinkFilters(kind=LinkKind.FILE_UPLOAD, state=StateFilter.EXPIRING, user_id="u1")
    assert f.describe("Ann") == "kind: file upload · state: expiring < 1h · user: Ann"
    assert LinkFilters(user_text="ann").describe() == 'kind: all · state: all · name: "ann"'
    assert not LinkFilters(user_text="ann").is_default


@given(
    left=st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    used=st.one_of(st.none(), st.integers(0, 5)),
    limit=st.one_of(st.none(), st.integers(0, 5)),
)
def test_state_agrees_with_the_filters(left: float | None, used: int | None, limit: int | None):
    link = make_link(left=left, used=used, limit=limit)
    state = link_state(link, NOW)
    # the single state always passes its own filter, and usable states pass ACTIVE
    own = {
        LinkState.ACTIVE: StateFilter.ACTIVE,
        LinkState.EXPIRING: StateFilter.EXPIRING,
        LinkState.EXPIRED: StateFilter.EXPIRED,
        LinkState.USED_UP: StateFilter.USED_UP,
    }[state]
    assert matches_state(link, own, NOW)
    usable = state in (LinkState.ACTIVE, LinkState.EXPIRING)
    assert matches_state(link, StateFilter.ACTIVE, NOW) is usable
    assert matches_state(link, StateFilter.ALL, NOW)


def test_module_stays_textual_free() -> None:
    code = "import sys, leaf_tui.domain.link_filters; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
