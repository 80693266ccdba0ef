"""The sandbox over a real loopback socket: uvicorn in a thread on a free port."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx

from leaf_tui.sandbox.app import SandboxConfig
from leaf_tui.sandbox.server import RunningSandbox, start_in_thread

from .helpers import ML, UM, login


async def test_serves_on_loopback_free_port(live_sandbox: RunningSandbox) -> None:
    assert live_sandbox.base_url.startswith("http://127.0.0.1:")
    assert not live_sandbox.base_url.endswith(":0")
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as http:
        assert (await http.get("/_sandbox/health")).json()["status"] == "ok"
        auth = await login(http)
        r = await http.get(f"{UM}/users", headers=auth)
        assert r.status_code == 200 and r.headers["x-total-count"] == "40"
        assert r.headers["link"].startswith('<api/users?page=1&size=20>;rel="next"')
        uid = r.json()[0]["id"]
        created = (
            await http.post(
                f"{ML}/users/{uid}/authentication", json={"provider": "JohnDeere"}, headers=auth
            )
        ).json()
        assert created["link"] == f"{live_sandbox.base_url}/magic-link/{created['id']}"
        page = await http.get(created["link"])
        assert page.status_code == 200 and "Connect JohnDeere" in page.text


async def test_concurrent_requests_and_creates(live_sandbox: RunningSandbox) -> None:
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as http:
        auth = await login(http)
        uid = (await http.get(f"{UM}/users", headers=auth)).json()[0]["id"]
        creates = [
            http.post(f"{ML}/users/{uid}/file-upload", json={"expiresIn": 3600}, headers=auth)
            for _ in range(20)
        ]
        reads = [http.get(f"{ML}/provider", headers=auth) for _ in range(20)]
        results = await asyncio.gather(*creates, *reads)
        assert all(r.status_code in (200, 201) for r in results)
        counts = (await http.get("/_sandbox/counts")).json()
        assert counts["support@sandbox.local"]["links"] == 80


def test_two_sandboxes_are_independent(sandbox_config: SandboxConfig) -> None:
    a = start_in_thread(sandbox_config)
    b = start_in_thread(SandboxConfig(seed=8, users=3, links=0, events=0))
    try:
        assert a.base_url != b.base_url
        ca = httpx.get(f"{a.base_url}/_sandbox/counts").json()
        cb = httpx.get(f"{b.base_url}/_sandbox/counts").json()
        assert ca["support@sandbox.local"]["users"] == 40
        assert cb["support@sandbox.local"]["users"] == 3
    finally:
        a.stop()
        b.stop()
    assert not a.thread.is_alive() and not b.thread.is_alive()


def test_file_database_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "sandbox.db"
    running = start_in_thread(SandboxConfig(db_path=str(db), users=5, links=6, events=10))
    try:
        token = httpx.post(
            f"{running.base_url}/api/authenticate",
            json={"username": "support@sandbox.local", "password": "sandbox"},
        )
        assert token.status_code == 200
    finally:
        running.stop()
    assert db.exists()
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 10


def test_activity_runs_in_the_lifespan() -> None:
    running = start_in_thread(SandboxConfig(activity=True, activity_interval=0.005))
    try:
        before = httpx.get(f"{running.base_url}/_sandbox/counts").json()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            now = httpx.get(f"{running.base_url}/_sandbox/counts").json()
            if now["support@sandbox.local"]["events"] > before["support@sandbox.local"]["events"]:
                break
            time.sleep(0.05)
        assert now["support@sandbox.local"]["events"] > before["support@sandbox.local"]["events"]
    finally:
        running.stop()


def test_cli_serves_in_the_foreground_and_prints_the_login(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import argparse, sys\n"
        "from leaf_tui.sandbox import cli_args\n"
        "p = argparse.ArgumentParser(); cli_args.add_arguments(p)\n"
        "sys.exit(cli_args.run_from_args(p.parse_args(sys.argv[1:])))\n"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "--port",
            "0",
            "--users",
            "4",
            "--links",
            "3",
            "--no-activity",
            "--db",
            str(tmp_path / "cli.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Leaf sandbox at http://127.0.0.1:"), first
        base = first.split(" at ")[1].strip()
        assert "support@sandbox.local / sandbox" in proc.stdout.readline()
        deadline = time.monotonic() + 10
        while True:
            try:
                health = httpx.get(f"{base}/_sandbox/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox did not come up"
                time.sleep(0.05)
        assert health.json()["status"] == "ok"
        counts = httpx.get(f"{base}/_sandbox/counts").json()
        assert counts["support@sandbox.local"]["users"] == 4
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
