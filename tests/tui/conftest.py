"""Shared fixtures for the TUI tests.

`make_app()` builds a `LeafApp` on a session over ASGITransport to the sandbox fixture, logged in as
the demo owner, with the client clock frozen at the sandbox's frozen time and LEAF_TUI_HOME in a tmp
dir. Login happens once during fixture setup (no loop is running then), so `make_app()` itself is
synchronous and works both in async Pilot tests and in (sync) snapshot tests, which run the app in
their own event loop.

    async def test_x(make_app):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)          # `ready` and `wait_for` are fixtures returning helpers
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from leaf_tui.api import LeafClient
from leaf_tui.common import clock
from leaf_tui.tui.app import LeafApp

FROZEN_AT = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
BASE_URL = "http://sandbox.test"
OWNER = ("support@sandbox.local", "sandbox")
SIZE = (120, 40)


def _session(client: LeafClient, sandbox_app: Any) -> Any:
    from leaf_tui.domain.session import Session

    return Session(
        client=client,
        profile_name="sandbox",
        base_url=BASE_URL,
        is_sandbox=True,
        sandbox=None,
        username=OWNER[0],
    )


def _client(sandbox_app: Any, token: str | None) -> LeafClient:
    client = LeafClient(BASE_URL, token=token, transport=httpx.ASGITransport(app=sandbox_app))
    return client


class LoseFirstPostAnswer:
    """A transport fault, not a mock: the first POST whose path contains `path` reaches the
    sandbox (or not, with `deliver=False`) but its answer is lost, as with a timeout after
    sending."""

    def __init__(self, app: Any, path: str, *, deliver: bool) -> None:
        self.app = app
        self.path = path
        self.deliver = deliver
        self.lost = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        is_post = scope["type"] == "http" and scope["method"] == "POST"
        if is_post and self.path in scope["path"] and self.lost == 0:
            self.lost += 1
            if self.deliver:

                async def swallow(message: Any) -> None:
                    return None

                await self.app(scope, receive, swallow)
            raise httpx.ReadTimeout("answer lost")
        await self.app(scope, receive, send)


class HoldPosts:
    """A slow network, not a mock: each POST whose path contains `path` reaches the sandbox
    only on `release()` (`sent` counts those that arrived), so a test sees the app while its
    request is in flight however loaded the machine is."""

    def __init__(self, app: Any, path: str) -> None:
        self.app = app
        self.path = path
        self.sent = 0
        self._gate = asyncio.Event()

    def release(self) -> None:
        self._gate.set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        is_post = scope["type"] == "http" and scope["method"] == "POST"
        if is_post and self.path in scope["path"]:
            self.sent += 1
            await self._gate.wait()
        await self.app(scope, receive, send)


def app_through(sandbox_app: Any, token: str, wrapper: Any) -> LeafApp:
    """A LeafApp like `make_app()`'s whose requests pass through `wrapper` (an ASGI app around
    the sandbox, e.g. LoseFirstPostAnswer)."""
    client = LeafClient(BASE_URL, token=token, transport=httpx.ASGITransport(app=wrapper))
    return LeafApp(_session(client, sandbox_app))


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No cursor blink (the public `cursor_blink`, off in every Input and TextArea made): a
    focused input's cursor stays visible, so screenshots never depend on when, within a blink,
    they were taken."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):

        def steady(self: Any, *args: Any, _made: Any = widget.__init__, **kwargs: Any) -> None:
            _made(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(widget, "__init__", steady)


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    with clock.frozen(FROZEN_AT):
        yield FROZEN_AT


@pytest.fixture
def tui_home(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def owner_token(sandbox_app: Any, frozen_clock: datetime) -> str:
    """The demo owner's token, obtained once before the test's loop runs."""

    async def login() -> str:
        client = _client(sandbox_app, None)
        try:
            await client.auth.authenticate(*OWNER)
            assert client.token is not None
            return client.token
        finally:
            await client.aclose()

    return asyncio.run(login())


@pytest.fixture
def clipboard_backend() -> Iterator[list[str]]:
    """A stand-in system clipboard: what was copied, in order (never the real clipboard)."""
    from leaf_tui.common import clipboard

    copied: list[str] = []
    previous = clipboard.set_backend(copied.append)
    yield copied
    clipboard.set_backend(previous)


@pytest.fixture
def make_app(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    frozen_clock: datetime,
    clipboard_backend: list[str],
) -> Callable[..., LeafApp]:
    """Factory: `make_app()` -> a LeafApp with a ready session; `make_app(connect=True)` -> one that
    connects in the background like the CLI does; `make_app(token=None)` -> a session whose token is
    missing (the login dialog appears on the first call)."""

    def factory(*, connect: bool = False, token: str | object | None = ...) -> LeafApp:
        use_token = owner_token if token is ... else token
        if connect:

            async def do_connect() -> Any:
                client = _client(sandbox_app, None)
                await client.auth.authenticate(*OWNER)
                return _session(client, sandbox_app)

            return LeafApp(connect=do_connect)
        client = _client(sandbox_app, use_token)  # type: ignore[arg-type]
        return LeafApp(_session(client, sandbox_app))

    return factory


@pytest.fixture
async def sandbox_control(sandbox_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A raw client on the same sandbox for /_sandbox/ control calls (clock, faults, events)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url=BASE_URL
    ) as client:
        yield client


async def _ready(pilot: Pilot[Any], *, timeout: float = 5.0) -> None:
    """Wait until the app is connected and the home screen has loaded its first data."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause()
        screen = app.screen
        if getattr(app, "connected", False) and getattr(screen, "is_ready", True):
            await pilot.pause()
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"app not ready after {timeout}s (screen {type(app.screen).__name__})")


async def _wait_for(
    pilot: Pilot[Any], predicate: Callable[[], bool], *, timeout: float = 5.0, what: str = ""
) -> None:
    """Pause until `predicate()` holds (workers finish, a poll lands); fail with `what` if not."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause()
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or predicate}")


@pytest.fixture
def ready() -> Callable[..., Any]:
    """`await ready(pilot)`: connected, home screen loaded."""
    return _ready


@pytest.fixture
def wait_for() -> Callable[..., Any]:
    """`await wait_for(pilot, lambda: cond, what="...")`."""
    return _wait_for
