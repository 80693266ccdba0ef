"""Issue 13, failures at the edges, seen in the dashboard: damaged local files become a warning
naming the key; a long Retry-After wait shows in the header; offline, the Sentera card says it
could not load and tries again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leaf_tui.tui.app import LeafApp

pytestmark = pytest.mark.edge("dashboard")

SIZE = (120, 40)


def notes_of(app: LeafApp) -> list[tuple[str, str, str]]:
    """Every notification the app shows, as (severity, title, message), from here on."""
    seen: list[tuple[str, str, str]] = []
    original = app.notify

    def notify(message: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((str(kwargs.get("severity")), str(kwargs.get("title")), str(message)))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


async def test_a_damaged_settings_file_is_a_warning_naming_the_key(
    make_app: Any, tui_home: Path, ready: Any, wait_for: Any
) -> None:
    config_dir = tui_home / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "settings.toml").write_text('link_expiry = "banana"\nactive_profile = "ghost"\n')
    (config_dir / "tokens.json").write_text("{not json")
    app = make_app()
    seen = notes_of(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: len(seen) >= 3, what="three warnings")
        warnings = [message for severity, _, message in seen if severity == "warning"]
        assert any(m.startswith('settings.toml: link_expiry = "banana"') for m in warnings)
        assert any(m.startswith('settings.toml: active_profile = "ghost"') for m in warnings)
        assert any("tokens.json is not JSON" in m for m in warnings)
        assert app.is_running


class SlowDownOnce:
    """A transport fault, not a mock: the first reload of the users list is answered 429 with
    Retry-After: 3, as a rate-limiting Leaf does; the next goes to the sandbox."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.armed = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.armed and scope["type"] == "http" and scope["path"].endswith("/users"):
            self.armed = False
            headers = [(b"retry-after", b"3"), (b"content-length", b"0")]
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


async def test_a_long_retry_after_wait_shows_in_the_header(
    sandbox_app: Any, owner_token: str, tui_home: Any, ready: Any, wait_for: Any
) -> None:
    from tests.tui.conftest import app_through
    from tests.tui.test_header_health import header_text

    fault = SlowDownOnce(sandbox_app)
    app = app_through(sandbox_app, owner_token, fault)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        fault.armed = True
        await pilot.press("r")  # reload: Leaf asks to wait 3 s
        await wait_for(
            pilot,
            lambda: "Leaf asked to wait 3 s" in header_text(app),
            what="the header to say why it waits",
        )
        assert "RETRYING" in header_text(app)
        await wait_for(pilot, lambda: "● OK" in header_text(app), timeout=10, what="OK again")
        assert "asked to wait" not in header_text(app)


async def test_a_garbage_sandbox_db_is_named_on_the_connecting_screen(
    tui_home: Path, wait_for: Any
) -> None:
    """The embedded sandbox cannot open its data: the dashboard says which file and how to
    start again (delete it), and offers to retry, instead of the sandbox's traceback."""
    from textual.widgets import Static

    from leaf_tui.domain.session import open_session
    from leaf_tui.tui.screens.connecting import ConnectingScreen

    db = tui_home / "data" / "sandbox.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database\x00" * 64)
    app = LeafApp(connect=lambda: open_session())

    def message() -> str:
        if not isinstance(app.screen, ConnectingScreen):
            return ""
        return "".join(
            str(w.content) for w in app.screen.query("#connecting-message").results(Static)
        )

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "cannot be used" in message(), timeout=30, what="failure")
        text = message()
        assert f"the sandbox data file {str(db)!r} cannot be used" in text
        assert f"rm {str(db)!r}" in text
        assert "Traceback" not in text and "Press r to retry" in text
        assert app.is_running


async def test_a_failure_that_comes_before_the_connecting_screen_is_composed_is_shown(
    wait_for: Any,
) -> None:
    """On a loaded machine the connection can fail between the connecting screen's push and its
    compose: the failure is kept and shown once the screen's widgets exist (it raised NoMatches
    in the app's worker, which ended the app)."""
    from textual.app import App
    from textual.widgets import LoadingIndicator, Static

    from leaf_tui.api.errors import Unreachable
    from leaf_tui.tui.screens.connecting import ConnectingScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            screen = ConnectingScreen()
            screen.show_failure(Unreachable("Could not reach http://127.0.0.1:9 (refused)"))
            self.push_screen(screen)

    app = Host()

    def message() -> str:
        return "".join(
            str(w.content) for w in app.screen.query("#connecting-message").results(Static)
        )

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Press r to retry" in message(), what="the failure")
        assert "127.0.0.1:9" in message()
        assert not app.screen.query_one(LoadingIndicator).display
        assert app.is_running
