"""The tests' sandboxes start from a copy of the demo seeded once (tests/seeded_copy.py): the
copy must hold exactly what seeding anew would, with a token secret of its own."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from leaf_tui.sandbox.config import SandboxConfig
from leaf_tui.sandbox.state import Sandbox
from tests.seeded_copy import memdb_works, seeded_copy


def dump(name: str) -> tuple[list[str], str]:
    """Every row of the database, and its token secret apart (it differs by design)."""
    conn = sqlite3.connect(name, uri=True)
    try:
        (secret,) = conn.execute("SELECT value FROM meta WHERE key = 'jwt_secret'").fetchone()
        rows = [line for line in conn.iterdump() if "jwt_secret" not in line]
    finally:
        conn.close()
    return rows, secret


@pytest.mark.skipif(not memdb_works(), reason="SQLite without the memdb VFS seeds anew")
def test_a_copy_holds_what_seeding_anew_would(sandbox_config: SandboxConfig) -> None:
    fresh_name = "file:/leaf-test-fresh?vfs=memdb"
    keep = sqlite3.connect(fresh_name, uri=True)  # holds the in-memory database open
    fresh = Sandbox(replace(sandbox_config, db_path=fresh_name))
    try:
        fresh_rows, fresh_secret = dump(fresh_name)
        with seeded_copy(sandbox_config) as first, seeded_copy(sandbox_config) as second:
            assert first.db_path != second.db_path
            copies = [Sandbox(first), Sandbox(second)]
            (first_rows, first_secret), (second_rows, second_secret) = (
                dump(first.db_path),
                dump(second.db_path),
            )
            for sandbox in copies:
                sandbox.close()
    finally:
        fresh.close()
        keep.close()
    assert len(fresh_rows) > 2_000  # the demo: users, links, events, provider histories
    assert first_rows == fresh_rows == second_rows
    assert len({fresh_secret, first_secret, second_secret}) == 3


def test_a_real_clock_seeds_as_before() -> None:
    cfg = SandboxConfig(db_path=":memory:", seed=7)
    with seeded_copy(cfg) as same:
        assert same is cfg
