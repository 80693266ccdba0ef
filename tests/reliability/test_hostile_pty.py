"""The TUI and the CLI on a real pty over the hostile corpus: in every byte they write, none of
the corpus's escape sequences (title changes, OSC 52, screen clears, 8-bit controls, bidi
overrides), and no OSC 0/2/52 or screen clear at all; the inert forms are what shows. JSON
output carries the same strings back exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from leaf_tui.sandbox.app import SandboxConfig
from leaf_tui.sandbox.server import start_in_thread

from .conftest import OWNER
from .hostile import CASES, MARKERS, seed, write_hostile_profiles
from .ptyrun import PtyRun
from .tally import Tally

NEVER = (b"\x1b]0;", b"\x1b]2;", b"\x1b]52;", b"\x1b[2J", b"\x1b[3J")
"""OSC 0/2 (title), OSC 52 (clipboard), screen clears: none of it in the bytes written."""


class RealClockSandbox:
    """The sandbox on loopback with the real clock: its tokens are valid for the programs
    started here, which do not share the tests' frozen clock."""

    def __init__(self, db: Path) -> None:
        cfg = SandboxConfig(db_path=str(db), seed=7, activity=False, now=None)
        self.running = start_in_thread(cfg, host="127.0.0.1", port=0)
        self.base_url = self.running.base_url

    def token(self) -> str:
        body = {"username": OWNER[0], "password": OWNER[1], "rememberMe": True}
        r = httpx.post(f"{self.base_url}/api/authenticate", json=body, timeout=10)
        r.raise_for_status()
        return str(r.json()["id_token"])


@pytest.fixture
def live_env(tmp_path: Path) -> Iterator[RealClockSandbox]:
    env = RealClockSandbox(tmp_path / "sandbox.db")
    yield env
    env.running.stop()


def offending(raw: bytes) -> list[bytes]:
    return [m for m in (*MARKERS, *NEVER) if m in raw]


def test_the_tui_on_a_pty_writes_none_of_the_corpus_raw(
    live_env: RealClockSandbox, tmp_path: Path, tally: Tally
) -> None:
    home = tmp_path / "home"
    write_hostile_profiles(home)
    token = live_env.token()
    seed(live_env, token)
    env = {"LEAF_TUI_HOME": str(home), "LEAF_TOKEN": token}
    run = PtyRun([sys.executable, "-m", "leaf_tui", "--base-url", live_env.base_url], env=env)
    try:
        run.wait_for("External ID", limit=60)
        run.send("/", "h", "x", "enter")
        run.wait_for("hx00 Ann ␛]0;PWNED", limit=30)
        shown = run.text()
        for _ in range(len(CASES)):  # every hostile user's detail pane
            run.send("down")
        run.send("L")  # all links, with the hostile users' names
        run.wait_for("Links", limit=30)
        run.settle(0.5)
        run.send("q")
    finally:
        code = run.finish(limit=30)
    assert code == 0, bytes(run.raw[-2000:])
    assert "hx12 Ny [/] [/b] Ob" in shown
    assert offending(bytes(run.raw)) == [], "raw escape sequences reached the terminal"
    tally.inert_checks["pty: TUI bytes"] += len(CASES)


def cli(args: list[str], env: dict[str, str]) -> PtyRun:
    run = PtyRun([sys.executable, "-m", "leaf_tui", *args], env=env)
    assert run.finish(limit=60) in (0, 1, 2), bytes(run.raw[-2000:])
    return run


def test_the_cli_on_a_pty_writes_none_of_the_corpus_raw(
    live_env: RealClockSandbox, tmp_path: Path, tally: Tally
) -> None:
    home = tmp_path / "home"
    write_hostile_profiles(home)
    token = live_env.token()
    seed(live_env, token)
    env = {"LEAF_TUI_HOME": str(home), "LEAF_TOKEN": token, "LEAF_API_URL": live_env.base_url}
    runs = {
        "link list": cli(["link", "list"], env),
        "profiles list": cli(["profiles", "list"], env),
        "profiles list --json": cli(["profiles", "list", "--json"], env),
        "link list --json": cli(["link", "list", "--json"], env),
        "unknown hostile profile": cli(["--profile", CASES[0][1], "link", "list"], env),
    }
    for name, run in runs.items():
        assert offending(bytes(run.raw)) == [], name
    assert "p0 Ann ␛]0;PWNED-TITLE␇Lee" in runs["profiles list"].raw.decode()
    tally.inert_checks["pty: CLI bytes"] += len(runs)


def test_json_output_carries_hostile_names_back_exactly(
    live_env: RealClockSandbox, tmp_path: Path, tally: Tally
) -> None:
    home = tmp_path / "home"
    write_hostile_profiles(home)
    env = {**os.environ, "LEAF_TUI_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "leaf_tui", "profiles", "list", "--json"],
        env=env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert all(b < 0x80 for b in done.stdout), "ensure_ascii: pure ASCII"
    names = {row["name"] for row in json.loads(done.stdout)}
    expected = {f"p{i} {text}" for i, (_, text) in enumerate(CASES[:8])}
    assert expected <= names, "every hostile name, exactly as written in settings.toml"
    tally.inert_checks["JSON round trip"] += len(expected)


def test_link_list_json_carries_hostile_user_names_back_exactly(
    live_env: RealClockSandbox, tmp_path: Path, tally: Tally
) -> None:
    token = live_env.token()
    world = seed(live_env, token)
    env = {
        **os.environ,
        "LEAF_TUI_HOME": str(tmp_path / "home"),
        "LEAF_TOKEN": token,
        "LEAF_API_URL": live_env.base_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "leaf_tui", "link", "list", "--json"],
        env=env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert all(b < 0x80 for b in done.stdout), "ensure_ascii: pure ASCII"
    rows = {row["leafUserId"]: row for row in json.loads(done.stdout)}
    names = {u["id"]: u["name"] for u in world["users"]}
    hostile = [rows[uid] for uid in names if uid in rows]
    assert len(hostile) == len(world["links"]) >= 5
    for row in hostile:
        assert row["userName"] == names[row["leafUserId"]], "the name exactly as the API sent it"
    tally.inert_checks["JSON round trip"] += len(hostile)
