"""domain/first_page: the first users page asked for from a thread before the window is built,
against the sandbox served on real loopback; the session takes it only for its own server and
token."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future

import pytest

from leaf_tui.api import LeafClient
from leaf_tui.api.errors import AuthError
from leaf_tui.common import clock
from leaf_tui.domain.first_page import FirstPage, first_page_size
from tests.conftest import FROZEN_NOW
from tests.test_embedded_sandbox import answers

OWNER = ("support@sandbox.local", "sandbox")


def owner_token(base_url: str) -> str:
    async def login() -> str:
        async with LeafClient(base_url) as client:
            await client.auth.authenticate(*OWNER)
            assert client.token is not None
            return client.token

    return asyncio.run(login())


def test_the_page_comes_from_a_thread_of_its_own(live_sandbox) -> None:
    token = owner_token(live_sandbox.base_url)
    asked = FirstPage(live_sandbox.base_url, token, size=7).start()
    page = asked.answer.result(timeout=30)
    assert len(page.items) == 7
    assert asked.taken_for(live_sandbox.base_url, token) is asked.answer
    # another server or another token (a login in between): not this answer
    assert asked.taken_for(live_sandbox.base_url, token + "x") is None
    assert asked.taken_for("http://127.0.0.1:9", token) is None


def test_a_refused_token_is_the_answer_the_screen_asks_again_for(live_sandbox) -> None:
    asked = FirstPage(live_sandbox.base_url, "not-a-token", size=7).start()
    with pytest.raises(AuthError):
        asked.answer.result(timeout=30)


@pytest.mark.parametrize(("rows", "size"), [(24, 40), (40, 40), (60, 60), (200, 100)])
def test_the_page_is_as_tall_as_the_terminal_within_bounds(rows: int, size: int) -> None:
    assert first_page_size(rows) == size


def test_nothing_is_asked_early_where_a_session_would_not_ask(
    live_sandbox, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaf_tui.domain import config
    from leaf_tui.domain.first_page import start_for

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    monkeypatch.delenv("LEAF_PROFILE", raising=False)
    monkeypatch.delenv("LEAF_API_URL", raising=False)
    monkeypatch.delenv("LEAF_TOKEN", raising=False)
    assert start_for(config.resolve(None)) is None  # the embedded sandbox: nothing to ask yet
    token = owner_token(live_sandbox.base_url)
    monkeypatch.setenv("LEAF_TOKEN", token)
    # a token is never sent in clear text to another machine (the session refuses it too)
    monkeypatch.setenv("LEAF_API_URL", "http://leaf.example.com")
    assert start_for(config.resolve(None)) is None
    monkeypatch.setenv("LEAF_API_URL", live_sandbox.base_url)
    with clock.frozen(FROZEN_NOW):  # the sandbox's clock: its token is fresh then
        asked = start_for(config.resolve(None))
    assert asked is not None
    assert len(asked.answer.result(timeout=30).items) >= 1


# -- the embedded sandbox: asked as soon as its port is bound --------------------------------


@pytest.fixture
def sandbox_home(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


async def test_the_embedded_sandbox_session_takes_the_thread_s_login_and_page(
    sandbox_home,
) -> None:
    from leaf_tui.domain import embedded_sandbox
    from leaf_tui.domain.first_page import SandboxFirstPage
    from leaf_tui.domain.session import open_session

    starting = embedded_sandbox.start(sandbox_home / "one.db", shared=False)
    asked = SandboxFirstPage(starting, size=7).start()
    session = await open_session(sandbox=starting, first_page=asked)
    try:
        url, token = asked.login.result(timeout=30)
        assert (session.base_url, session.client.token) == (url, token)  # no second login
        assert session.first_page is asked.answer
        assert len((await asyncio.wrap_future(asked.answer)).items) == 7
        assert (await session.client.users.list(size=1)).total >= 40  # the token works here
    finally:
        await session.aclose()


async def test_a_page_asked_of_another_sandbox_start_is_not_taken(sandbox_home) -> None:
    """The thread's login and page belong to the start it was given: a session opened on
    another start (a retry starts anew) logs in itself and asks itself."""
    from leaf_tui.domain import embedded_sandbox
    from leaf_tui.domain.first_page import SandboxFirstPage
    from leaf_tui.domain.session import open_session

    other = embedded_sandbox.start(sandbox_home / "other.db", shared=False)
    asked = SandboxFirstPage(other, size=7).start()
    try:
        other_url, other_token = asked.login.result(timeout=30)
        session = await open_session(
            sandbox=embedded_sandbox.start(sandbox_home / "mine.db", shared=False),
            first_page=asked,
        )
        try:
            assert session.first_page is None
            assert session.base_url != other_url
            assert session.client.token not in (None, other_token)
            assert (await session.client.users.list(size=1)).total >= 40
        finally:
            await session.aclose()
    finally:
        other.cancel()


def test_a_sandbox_that_fails_after_saying_its_port_fails_the_early_page(sandbox_home) -> None:
    """The port comes before the server's imports; a data file it cannot use fails after it.
    The thread's login and page fail, and the session's wait says why in the sandbox's line."""
    from leaf_tui.domain import embedded_sandbox
    from leaf_tui.domain.embedded_sandbox import SandboxFailed
    from leaf_tui.domain.first_page import SandboxFirstPage

    db = sandbox_home / "folder.db"
    db.mkdir()
    starting = embedded_sandbox.start(db, shared=False)
    asked = SandboxFirstPage(starting, size=7).start()
    with pytest.raises(Exception):  # noqa: B017 - refused or reset, as the socket closes
        asked.login.result(timeout=30)
    with pytest.raises(Exception):  # noqa: B017
        asked.answer.result(timeout=30)
    with pytest.raises(SandboxFailed, match="it is a folder"):
        starting.wait()
    with pytest.raises(SandboxFailed, match="it is a folder"):
        starting.ready()  # the same failure again, not a wait for ever


class LoginInFlight(Future[tuple[str, str]]):
    """The thread's login, still in flight: never resolved; says when the session waits on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited_on = threading.Event()

    def add_done_callback(self, fn: Callable[[Future[tuple[str, str]]], object]) -> None:
        super().add_done_callback(fn)
        self.waited_on.set()


async def test_a_session_cancelled_while_it_waits_for_the_thread_s_login_lets_the_sandbox_go(
    sandbox_home,
) -> None:
    """The window closes (the connect is cancelled) while the session waits for the early
    login: the sandbox it holds is let go and stops, as on any other failure after its start."""
    from leaf_tui.domain import embedded_sandbox
    from leaf_tui.domain.first_page import SandboxFirstPage
    from leaf_tui.domain.session import open_session

    starting = embedded_sandbox.start(sandbox_home / "one.db", shared=False)
    asked = SandboxFirstPage(starting, size=7)  # not started: its login stays in flight
    asked.login = in_flight = LoginInFlight()
    url = await asyncio.to_thread(starting.ready)
    opening = asyncio.create_task(open_session(sandbox=starting, first_page=asked))
    try:
        assert await asyncio.to_thread(in_flight.waited_on.wait, 30)
        opening.cancel()
        with pytest.raises(asyncio.CancelledError):
            await opening
        assert not await asyncio.to_thread(answers, url), "the sandbox still serves"
    finally:
        starting.cancel()
