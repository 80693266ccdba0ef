"""Fixtures for the reliability and security tests (issue 6), and the counts they print.

- `live_env`: the sandbox on a real loopback port with its data in a file, so it can be stopped
  and started again on the same port (the "server restarted" fault) without losing anything.
- `tui_on(env)`: a `LeafApp` on a session whose client talks to that sandbox over sockets, with
  short retry delays so a fault costs milliseconds of backoff, not seconds.
- `Recorder`: every notification the app shows and every connection status the header is told.
- `tally`: what the tests here counted (reliability/tally.py); tests/conftest.py prints it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from leaf_tui.api import LeafClient, RetryPolicy
from leaf_tui.common import clock
from leaf_tui.sandbox.app import SandboxConfig
from leaf_tui.sandbox.server import RunningSandbox, start_in_thread
from reliability.tally import TALLY, Tally

FROZEN = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
OWNER = ("support@sandbox.local", "sandbox")
OTHER = ("other@sandbox.local", "sandbox")
SIZE = (120, 40)
# Backoff in milliseconds: the behaviour (retry, honour Retry-After, give up) is the same as the
# defaults, only faster. Retry-After up to 2 s is waited for, as a person would.
FAST_RETRIES = RetryPolicy(base_delay=0.02, max_delay=0.1, retry_after_cap=2.0, slow_after=0.5)


# --- what the run counted ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "soak: long-running soak test (LEAF_SOAK_SECONDS sets its length, default 60)"
    )


# --- the sandbox on loopback, restartable ---------------------------------------------------------


class LiveEnv:
    """A loopback sandbox whose data lives in a file: `stop()` and `start()` keep the port, the
    data and the token secret, like a real server restarted by its operator."""

    def __init__(self, db_path: Path, **config: Any) -> None:
        self.cfg = SandboxConfig(
            db_path=str(db_path), seed=7, activity=False, now=lambda: FROZEN, **config
        )
        self.port = 0
        self.running: RunningSandbox | None = None
        self.base_url = ""
        self.start()

    def start(self) -> None:
        assert self.running is None
        self.running = start_in_thread(self.cfg, host="127.0.0.1", port=self.port)
        self.base_url = self.running.base_url
        self.port = int(self.base_url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None

    def token(self, who: tuple[str, str] = OWNER) -> str:
        r = httpx.post(
            f"{self.base_url}/api/authenticate",
            json={"username": who[0], "password": who[1], "rememberMe": True},
            timeout=10,
        )
        r.raise_for_status()
        return str(r.json()["id_token"])


@pytest.fixture
def frozen_client_clock() -> Iterator[datetime]:
    with clock.frozen(FROZEN):
        yield FROZEN


@pytest.fixture
def live_env(tmp_path: Path, frozen_client_clock: datetime) -> Iterator[LiveEnv]:
    env = LiveEnv(tmp_path / "sandbox.db")
    yield env
    env.stop()


@pytest.fixture
async def control(live_env: LiveEnv) -> AsyncIterator[httpx.AsyncClient]:
    """Raw client for /_sandbox/ on the live sandbox; follows it across restarts (same port)."""
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=live_env.base_url, timeout=10, limits=no_keepalive
    ) as client:
        yield client


# --- the app on that sandbox ----------------------------------------------------------------------


def leaf_app_on(
    base_url: str,
    token: str | None,
    *,
    timeout: float = 10.0,
    max_retries: int = 2,
    debug_log: Any = None,
) -> Any:
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp

    client = LeafClient(
        base_url,
        token=token,
        timeout=timeout,
        max_retries=max_retries,
        retry_policy=FAST_RETRIES,
        debug_log=debug_log,
    )
    session = Session(
        client=client, profile_name="sandbox", base_url=base_url, is_sandbox=True, sandbox=None
    )
    return LeafApp(session)


@dataclass
class Note:
    message: str
    title: str
    severity: str


class Recorder:
    """Everything the app told the person: notifications, and the header's connection states."""

    def __init__(self, app: Any) -> None:
        self.notes: list[Note] = []
        self.statuses: list[str] = []
        original = app.notify

        def notify(message: Any, *args: Any, **kwargs: Any) -> Any:
            self.notes.append(
                Note(
                    str(message),
                    str(kwargs.get("title", "")),
                    str(kwargs.get("severity", "information")),
                )
            )
            return original(message, *args, **kwargs)

        app.notify = notify
        app.client.add_status_listener(lambda status: self.statuses.append(status.name))

    def problems(self) -> list[Note]:
        return [n for n in self.notes if n.severity in ("error", "warning")]

    def text(self) -> str:
        return "\n".join(f"{n.title}: {n.message}" for n in self.notes)


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], Any], *, timeout: float = 10.0, what: str = ""
) -> None:
    """Poll `predicate` while the app runs. Sleeps rather than `pilot.pause()` in the loop: each
    pause forces a full repaint, which made the waiting cost more CPU than the app itself."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if predicate():
            await pilot.pause()  # let what follows from it (messages, a repaint) settle
            return
        await asyncio.sleep(0.03)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


async def app_ready(pilot: Pilot[Any], timeout: float = 15.0) -> None:
    """Connected, and the Users screen has its first page, index, links and detail."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: getattr(app, "connected", False) and getattr(app.screen, "is_ready", False),
        timeout=timeout,
        what="the Users screen to load",
    )
