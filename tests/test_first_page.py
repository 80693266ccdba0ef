"""domain/first_page: the first users page asked for from a thread before the window is built,
against the sandbox served on real loopback; the session takes it only for its own server and
token."""

from __future__ import annotations

import asyncio

import pytest

from leaf_tui.api import LeafClient
from leaf_tui.api.errors import AuthError
from leaf_tui.common import clock
from leaf_tui.domain.first_page import FirstPage, first_page_size
from tests.conftest import FROZEN_NOW

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
