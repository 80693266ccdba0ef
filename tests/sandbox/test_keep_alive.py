"""A kept demo stays alive: reopened days later it tops up links in every state relative to
now, the activity simulator makes new links now and then, and seeded data never moves."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leaf_tui.sandbox import activity, demo
from leaf_tui.sandbox.app import SandboxConfig, create_app
from leaf_tui.sandbox.config import DEMO_OWNER
from leaf_tui.sandbox.link_requests import KINDS, MAX_USAGE
from leaf_tui.sandbox.state import Sandbox
from leaf_tui.sandbox.store import Store
from leaf_tui.sandbox.timefmt import from_db, to_db

SEEDED = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
WEEK_LATER = SEEDED + timedelta(days=7)
YEAR_LATER = SEEDED + timedelta(days=400)  # past the demo's longest expiry (365 days)
EVERY = {(kind, state) for kind in KINDS for state in demo.STATES}


def _states(store: Store, now: datetime) -> set[tuple[str, str]]:
    return {(r["kind"], demo.link_state(r, now)) for r in store.owner_links(DEMO_OWNER)}


def _open(path: Path, now: datetime, **kw: object) -> Sandbox:
    cfg = SandboxConfig(db_path=str(path), now=lambda: now, **kw)  # type: ignore[arg-type]
    sandbox: Sandbox = create_app(cfg).state.sandbox
    return sandbox


def test_a_fresh_demo_has_every_kind_in_every_state() -> None:
    sandbox = _open(Path(":memory:"), SEEDED)
    assert _states(sandbox.store, SEEDED) == EVERY
    assert sandbox.refresh_demo() == []  # nothing missing, nothing added
    sandbox.close()


def test_a_year_old_demo_is_topped_up_on_start(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    _open(db, SEEDED).close()
    stale = _open(db, YEAR_LATER)  # refresh off: the problem
    before = stale.store.owner_links(DEMO_OWNER)
    assert {s for _, s in _states(stale.store, YEAR_LATER)} == {"expired"}
    stale.close()

    alive = _open(db, YEAR_LATER, refresh_demo=True)
    store = alive.store
    assert _states(store, YEAR_LATER) == EVERY
    after = store.owner_links(DEMO_OWNER)
    old_ids = {r["id"] for r in before}
    assert [r for r in after if r["id"] in old_ids] == before  # the kept links are untouched
    added = [r for r in after if r["id"] not in old_ids]
    assert len(added) == 9  # active, expiring, used up for each of the three kinds
    users = set(store.user_ids(DEMO_OWNER))
    for row in added:
        assert row["user_id"] in users
        created, expires = from_db(row["created_at"]), from_db(row["expires_at"])
        assert created < YEAR_LATER < expires
        assert 0 <= row["usage_count"] <= row["max_usage"] == MAX_USAGE
        if row["last_accessed_at"] is not None:
            assert created <= from_db(row["last_accessed_at"]) <= YEAR_LATER
    expiring = [r for r in added if demo.link_state(r, YEAR_LATER) == "expiring"]
    assert all(from_db(r["expires_at"]) - YEAR_LATER <= timedelta(hours=1) for r in expiring)
    alive.close()

    # opened again at once: nothing is missing, so nothing is added
    again = _open(db, YEAR_LATER, refresh_demo=True)
    assert len(again.store.owner_links(DEMO_OWNER)) == len(after)
    again.close()


def test_a_week_old_demo_gets_only_what_it_lacks(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    _open(db, SEEDED).close()
    stale = _open(db, WEEK_LATER)
    had = _states(stale.store, WEEK_LATER)
    count = len(stale.store.owner_links(DEMO_OWNER))
    stale.close()
    assert had != EVERY  # nothing expires within the hour any more, at least
    alive = _open(db, WEEK_LATER, refresh_demo=True)
    assert _states(alive.store, WEEK_LATER) == EVERY
    assert len(alive.store.owner_links(DEMO_OWNER)) == count + len(EVERY - had)
    alive.close()


def test_refresh_never_touches_deterministic_data() -> None:
    plain = _open(Path(":memory:"), SEEDED)
    flagged = _open(Path(":memory:"), SEEDED, refresh_demo=True)
    assert plain.store.dump() == flagged.store.dump()
    plain.close()
    flagged.close()


def test_a_demo_without_links_stays_without(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    _open(db, SEEDED, links=0).close()
    later = _open(db, WEEK_LATER, links=0, refresh_demo=True)
    assert later.store.owner_links(DEMO_OWNER) == []
    later.close()


def test_the_simulator_sends_new_links_and_tidies_expired_ones() -> None:
    now = [SEEDED]
    cfg = SandboxConfig(users=6, links=12, events=10, now=lambda: now[0])
    sandbox: Sandbox = create_app(cfg).state.sandbox
    store = sandbox.store
    rng = random.Random(5)
    made = []
    for _ in range(4000):
        outcome = activity.tick(sandbox, rng)
        if outcome.startswith("created link"):
            made.append(outcome.split(";")[0].split()[-1])
        now[0] += timedelta(minutes=20)
    assert len(made) >= 5
    rows = {r["id"]: r for r in store.owner_links(DEMO_OWNER)}
    assert len(rows) <= 24  # twice the demo's 12, the oldest expired ones went first
    newest = rows[made[-1]]
    assert newest["usage_count"] <= MAX_USAGE and newest["kind"] in KINDS
    assert newest["created_at"] <= to_db(now[0])
    assert newest["expires_at"] > newest["created_at"]
    sandbox.close()


def test_a_big_kept_demo_is_tidied_a_little_at_a_time(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    _open(db, SEEDED, links=120).close()
    later = _open(db, YEAR_LATER, links=12)  # every link expired; keep 24
    before = len(later.store.owner_links(DEMO_OWNER))
    demo.support_link(later.store, later.cfg, YEAR_LATER, random.Random(3))
    assert len(later.store.owner_links(DEMO_OWNER)) == before + 1 - 2
    later.close()


def test_a_new_link_is_made_now_and_unused() -> None:
    sandbox = _open(Path(":memory:"), SEEDED)
    new_id = demo.support_link(sandbox.store, sandbox.cfg, SEEDED, random.Random(1))
    assert new_id is not None
    row = sandbox.store.link(new_id)
    assert row is not None and row["owner"] == DEMO_OWNER
    assert row["created_at"] == to_db(SEEDED) and row["usage_count"] == 0
    assert row["last_accessed_at"] is None
    assert from_db(row["expires_at"]) - SEEDED in {timedelta(seconds=s) for s in demo.EXPIRIES}
    sandbox.close()


async def test_a_long_running_demo_tops_up_as_time_passes() -> None:
    cfg = SandboxConfig(users=6, links=12, events=10, now=lambda: SEEDED, refresh_demo=True)
    sandbox: Sandbox = create_app(cfg).state.sandbox

    class OnlySyncs(random.Random):  # every tick a Sentera sync: no visits use links up
        def random(self) -> float:
            return 0.5

    task = asyncio.create_task(activity.run(sandbox, 0.001, OnlySyncs(2)))
    try:
        await asyncio.sleep(0.05)
        assert _states(sandbox.store, sandbox.clock.now()) == EVERY
        sandbox.clock.advance(timedelta(days=3).total_seconds())
        assert _states(sandbox.store, sandbox.clock.now()) != EVERY
        for _ in range(500):
            if _states(sandbox.store, sandbox.clock.now()) == EVERY:
                break
            await asyncio.sleep(0.01)
        assert _states(sandbox.store, sandbox.clock.now()) == EVERY
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sandbox.close()


async def test_the_embedded_demo_comes_back_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through session.open_session: a demo whose links all expired gets fresh ones."""
    from leaf_tui.api.models import LinkKind
    from leaf_tui.common import paths
    from leaf_tui.domain.session import open_session

    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    session = await open_session()
    await session.aclose()
    db = str(paths.data_dir() / "sandbox.db")
    # a week passes: every link of the kept demo has expired
    store = Store(db)
    store._exec("UPDATE links SET expires_at = ?", (to_db(datetime.now(UTC) - timedelta(days=1)),))
    store.close()

    session = await open_session()
    try:
        links = await session.client.links.list_all()
        now = datetime.now(UTC)
        for kind in LinkKind:
            mine = [x for x in links if x.kind == kind]
            assert any(not x.is_expired(now) and x.is_used_up for x in mine), kind
            assert any(not x.is_used_up and x.seconds_left(now) > 3600 for x in mine), kind
            assert any(not x.is_used_up and 0 < x.seconds_left(now) <= 3600 for x in mine), kind
    finally:
        await session.aclose()
