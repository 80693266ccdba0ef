"""The header at 80 columns: the connection status stays whole; the URL and the words around the
token's expiry give way first."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_text import screen_lines


async def test_at_80_columns_the_status_stays_whole(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        header = screen_lines(app)[0].rstrip()
        assert header == " SANDBOX   http://sandbox.test  token expires in 30d  ● OK"
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1.0, "error_status": [500]}
        )
        await pilot.press("r")  # every call now answers 500
        await wait_for(pilot, lambda: "DEGRADED" in screen_lines(app)[0], what="degraded")
        header = screen_lines(app)[0].rstrip()
        # the status whole; the failure after it in the room left, cut with "…"
        assert header.startswith(" SANDBOX ") and len(header) <= 80, header
        assert "● DEGRADED: HTTP 500 on " in header, header
        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
