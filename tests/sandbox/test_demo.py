"""The demo data generator: deterministic, varied, and fast at scale."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from leaf_tui.sandbox.app import SandboxConfig, create_app

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def _dump(**sizes: int) -> dict:
    cfg = SandboxConfig(now=lambda: NOW, **sizes)
    app = create_app(cfg)
    try:
        return app.state.sandbox.store.dump()
    finally:
        app.state.sandbox.close()


def test_same_seed_same_clock_same_data() -> None:
    assert _dump(seed=7) == _dump(seed=7)
    assert _dump(seed=11, users=15, links=20, events=50) == _dump(
        seed=11, users=15, links=20, events=50
    )


def test_other_seed_other_data() -> None:
    a, b = _dump(seed=7), _dump(seed=8)
    assert [u["id"] for u in a["users"]] != [u["id"] for u in b["users"]]


def test_sizes_are_honoured() -> None:
    data = _dump(users=12, links=24, events=77)
    demo_users = [u for u in data["users"] if u["owner"] == "support@sandbox.local"]
    assert len(demo_users) == 12
    assert len([x for x in data["links"] if x["owner"] == "support@sandbox.local"]) == 24
    assert len(data["sentera_events"]) == 77
    assert len({u["external_id"] for u in demo_users}) == 12
    assert all("@" in u["email"] and u["name"] for u in demo_users)


def test_empty_demo_still_has_owners_and_the_free_grower() -> None:
    data = _dump(users=0, links=0, events=0)
    assert [o["email"] for o in data["owners"]] == ["other@sandbox.local", "support@sandbox.local"]
    assert [a["username"] for a in data["sentera_accounts"]] == ["grower@sentera.example"]
    assert data["users"] == [] and data["links"] == []


def test_file_database_is_reused_not_reseeded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "sandbox.db")
    first = create_app(SandboxConfig(db_path=path, now=lambda: NOW))
    store = first.state.sandbox.store
    assert store.meta("seeded") == "7"
    ids = [u["id"] for u in store.dump()["users"]]
    secret = first.state.sandbox.secret
    first.state.sandbox.close()
    again = create_app(SandboxConfig(db_path=path, seed=99, now=lambda: NOW))
    assert [u["id"] for u in again.state.sandbox.store.dump()["users"]] == ids
    assert again.state.sandbox.secret == secret  # tokens survive a restart
    again.state.sandbox.close()


def test_scales_to_ten_thousand_users() -> None:
    # how long it takes is benchmarks/seed.py's to say (31 s on a loaded machine, 5 on a quiet one)
    start = time.monotonic()
    data = _dump(users=10_000, links=2_000, events=20_000)
    elapsed = time.monotonic() - start
    assert len(data["users"]) == 10_005 and len(data["sentera_events"]) == 20_000
    print(f"demo 10k users / 2k links / 20k events generated and dumped in {elapsed:.2f}s")


def test_a_file_from_an_older_layout_is_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (id TEXT, owner TEXT)")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('seeded', '7')")
    app = create_app(SandboxConfig(db_path=str(path), users=3, links=0, events=0, now=lambda: NOW))
    assert app.state.sandbox.store.counts()["support@sandbox.local"]["users"] == 3
    app.state.sandbox.close()
