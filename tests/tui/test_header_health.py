"""Issue 12: the header's badge says what is true of the calls (OK, degraded with the last
failure, offline), never "● OK" while every call fails."""

from __future__ import annotations

from typing import Any

import httpx

from leaf_tui.tui.widgets.header import LeafHeader
from tests.tui.conftest import SIZE, app_through
from tests.tui.screen_text import widget_text


def header_text(app: Any) -> str:
    return widget_text(app.screen.query_one(LeafHeader))


async def test_every_call_failing_is_degraded_with_the_failure(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        assert "● OK" in header_text(app)
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1.0, "error_status": [500]}
        )
        await pilot.press("r")  # reload: every call now answers 500
        await wait_for(
            pilot, lambda: "DEGRADED" in header_text(app), what="the header to say degraded"
        )
        text = header_text(app)
        assert "● OK" not in text
        assert "HTTP 500 on GET" in text
        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        await pilot.press("r")
        await wait_for(pilot, lambda: "● OK" in header_text(app), what="the header back to OK")
        assert "HTTP 500" not in header_text(app)


async def test_a_malformed_answer_is_degraded(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await sandbox_control.post("/_sandbox/faults", json={"malformed_rate": 1.0})
        await pilot.press("r")
        await wait_for(
            pilot, lambda: "DEGRADED" in header_text(app), what="the header to say degraded"
        )
        assert "malformed answer to GET" in header_text(app)


class Unplugged:
    """A transport fault, not a mock: once `unplugged`, no request reaches the sandbox (the
    connection is refused)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.unplugged = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.unplugged and scope["type"] == "http":
            raise httpx.ConnectError("connection refused")
        await self.app(scope, receive, send)


async def test_no_connection_is_offline(
    sandbox_app: Any, owner_token: str, tui_home: Any, ready: Any, wait_for: Any
) -> None:
    plug = Unplugged(sandbox_app)
    app = app_through(sandbox_app, owner_token, plug)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        plug.unplugged = True
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: "OFFLINE" in header_text(app),
            timeout=15,
            what="the header to say offline",
        )
        assert "ConnectError on GET" in header_text(app)
