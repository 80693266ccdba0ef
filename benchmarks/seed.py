"""The sandbox at scale: 10,000 users, 2,000 links of all kinds and states, and one Sentera
credential with 20,000 events, served on a free loopback port in a process of its own (so the
sandbox's work never lands on the measured process's CPU or GIL).

  uv run python benchmarks/seed.py                 # serve until Ctrl+C; prints base URL + token
  uv run python benchmarks/seed.py --users 500     # smaller, for a quick look

Benchmarks use `ScaledSandbox` (a context manager that starts this script and reads its one
JSON line). The demo generator spreads `events` over every credential, so the 20,000 events of
the one heavy credential are inserted through the sandbox's store after seeding.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HEAVY_EXTERNAL_ID = "CRM-10000"  # the first demo user: the demo always gives it a credential


@dataclass(frozen=True)
class Scale:
    users: int = 10_000
    links: int = 2_000
    events: int = 20_000  # spread by the demo generator over all credentials
    heavy_events: int = 20_000  # on the one heavy credential
    seed: int = 7


def _add_heavy_events(sandbox: Any, user_id: str, count: int, seed: int) -> dict[str, Any]:
    """Give user_id's credential `count` more events over the last ten days, the last few
    failing with 401 (a changed password), through the sandbox's own row builder."""
    from leaf_tui.sandbox import sentera_world
    from leaf_tui.sandbox.store import EVENT_COLUMNS

    store = sandbox.store
    cred = store.credential_for_user(user_id)
    if cred is None:
        raise SystemExit(f"user {user_id} has no Sentera credential to load events onto")
    rng = random.Random(f"heavy-events-{seed}")  # not the demo's stream: its ids would collide
    now = sandbox.clock.now()
    stamps = sorted(now - timedelta(seconds=rng.uniform(60, 10 * 86400)) for _ in range(count))
    rows = []
    for i, when in enumerate(stamps):
        status = 401 if i >= count - 25 else rng.choice((200, 200, 200, 200, 200, 200, 500))
        event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        row = sentera_world.event_row(cred, when, status, event_id)
        rows.append([row[c] for c in EVENT_COLUMNS])
    store.bulk_insert("sentera_events", EVENT_COLUMNS, rows)
    return cred


def build(db_path: str, scale: Scale) -> dict[str, Any]:
    """Seed db_path at scale; returns facts the benchmarks need (ids, names)."""
    from leaf_tui.sandbox.app import SandboxConfig, create_app
    from leaf_tui.sandbox.config import DEMO_OWNER

    t0 = time.perf_counter()
    cfg = SandboxConfig(
        db_path=db_path,
        seed=scale.seed,
        users=scale.users,
        links=scale.links,
        events=scale.events,
        activity=False,
    )
    app = create_app(cfg)
    sandbox = app.state.sandbox
    store = sandbox.store
    owner = DEMO_OWNER
    heavy = store.user_by_external_id(owner, HEAVY_EXTERNAL_ID)
    if heavy is None:
        raise SystemExit(f"no user with externalId {HEAVY_EXTERNAL_ID}")
    _add_heavy_events(sandbox, heavy["id"], scale.heavy_events, scale.seed)
    counts = store.counts()[owner]
    first_rows, _ = store.list_users(
        owner, name=None, email=None, external_id=None, sort=[("name", True)], offset=0, limit=50
    )
    sandbox.close()
    return {
        "seed_seconds": round(time.perf_counter() - t0, 2),
        "owner": owner,
        "counts": counts,
        "heavy_user_id": heavy["id"],
        "heavy_user_name": heavy["name"],
        "heavy_external_id": HEAVY_EXTERNAL_ID,
        "first_names": [r["name"] for r in first_rows],
    }


def _login(base_url: str) -> str:
    import httpx

    from leaf_tui.sandbox.config import DEMO_OWNER, OWNER_PASSWORD

    answer = httpx.post(
        f"{base_url}/api/authenticate",
        json={"username": DEMO_OWNER, "password": OWNER_PASSWORD, "rememberMe": True},
        timeout=30,
    )
    answer.raise_for_status()
    token: str = answer.json()["id_token"]
    return token


def serve(db_path: str, scale: Scale, port: int, watch_stdin: bool = False) -> None:
    """Seed, serve on loopback, print one JSON line of facts; run until a signal (or, with
    watch_stdin, until stdin closes: the parent benchmark holds it open)."""
    from leaf_tui.sandbox.app import SandboxConfig
    from leaf_tui.sandbox.server import start_in_thread

    facts = build(db_path, scale)
    cfg = SandboxConfig(
        db_path=db_path,
        seed=scale.seed,
        users=scale.users,
        links=scale.links,
        events=scale.events,
        activity=False,
    )
    running = start_in_thread(cfg, host="127.0.0.1", port=port)
    facts["base_url"] = running.base_url
    facts["token"] = _login(running.base_url)
    facts["db_path"] = db_path
    facts["pid"] = os.getpid()
    print(json.dumps(facts), flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    if watch_stdin:
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    running.stop()


class ScaledSandbox:
    """Start the seeded sandbox in a child process; `.facts` holds base_url, token and ids."""

    def __init__(self, scale: Scale | None = None, *, limit: float = 300.0) -> None:
        self.scale = scale or Scale()
        self.limit = limit
        self.facts: dict[str, Any] = {}
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> ScaledSandbox:
        self._dir = tempfile.TemporaryDirectory(prefix="leaf-bench-")
        s = self.scale
        argv = [
            sys.executable,
            str(HERE / "seed.py"),
            "--db",
            f"{self._dir.name}/sandbox.db",
            "--users",
            str(s.users),
            "--links",
            str(s.links),
            "--events",
            str(s.events),
            "--heavy-events",
            str(s.heavy_events),
            "--seed",
            str(s.seed),
        ]
        self._proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self.__exit__(None, None, None)
            raise RuntimeError("the seeded sandbox did not start (see its stderr above)")
        self.facts = json.loads(line)
        return self

    @property
    def base_url(self) -> str:
        return str(self.facts["base_url"])

    @property
    def token(self) -> str:
        return str(self.facts["token"])

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            if self._proc.stdin is not None:
                self._proc.stdin.close()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    d = Scale()
    p.add_argument("--db", help="sqlite file (default: a new temporary one)")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--users", type=int, default=d.users)
    p.add_argument("--links", type=int, default=d.links)
    p.add_argument("--events", type=int, default=d.events)
    p.add_argument("--heavy-events", type=int, default=d.heavy_events)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--watch-stdin", action="store_true", help="stop when stdin closes")
    a = p.parse_args()
    scale = Scale(a.users, a.links, a.events, a.heavy_events, a.seed)
    if a.db:
        serve(a.db, scale, a.port, a.watch_stdin)
        return
    with tempfile.TemporaryDirectory(prefix="leaf-bench-") as tmp:
        serve(f"{tmp}/sandbox.db", scale, a.port, a.watch_stdin)


if __name__ == "__main__":
    main()
