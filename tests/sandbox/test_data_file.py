"""The sandbox's data file holds the token secret and the fake Sentera passwords: owner-only."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import httpx

from leaf_tui.sandbox.app import SandboxConfig, create_app

from .helpers import UM, login

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_data_file_and_its_wal_are_0600(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    old_umask = os.umask(0o022)  # the usual umask would give 0644
    try:
        cfg = SandboxConfig(db_path=str(db), users=3, links=3, events=3, now=lambda: NOW)
        app = create_app(cfg)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
            headers = await login(http)
            r = await http.post(f"{UM}/users", json={"name": "Wal Writer"}, headers=headers)
            assert r.status_code == 201
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        app.state.sandbox.close()
    finally:
        os.umask(old_umask)


def test_an_existing_world_readable_file_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    db.chmod(0o644)
    wal = Path(f"{db}-wal")
    wal.write_bytes(b"")
    wal.chmod(0o644)
    app = create_app(SandboxConfig(db_path=str(db), users=2, links=0, events=0, now=lambda: NOW))
    assert _mode(db) == 0o600 and _mode(wal) == 0o600
    # still a working sandbox (the old layout was rebuilt)
    assert app.state.sandbox.store.counts()["support@sandbox.local"]["users"] == 2
    app.state.sandbox.close()
