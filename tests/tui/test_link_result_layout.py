"""The created link: on one line whenever the terminal is wide enough, else broken between its
parts, never inside its id (checked on what the terminal shows at 120, 100 and 80 columns)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from leaf_tui.api.models import LinkKind
from leaf_tui.common import clock
from leaf_tui.common.formatting import link_lines
from leaf_tui.tui.screens.link_result import CreatedInfo, LinkResultScreen
from tests.tui.screen_text import screen_lines

LINK_ID = "1eeae938-1243-449c-8400-0732f7ff0426"
LONG = f"https://widget.withleaf.io/magic-link/{LINK_ID}"  # 74 columns


def test_link_lines_break_between_parts_only() -> None:
    assert len(LONG) == 74 and link_lines(LONG, 74) == [LONG]
    assert link_lines(LONG, 73) == ["https://widget.withleaf.io/magic-link", f"/{LINK_ID}"]
    assert link_lines(LONG, 30) == ["https://widget.withleaf.io", "/magic-link", f"/{LINK_ID}"]
    query = f"https://a.example/m/{LINK_ID}?t=1"
    assert link_lines(query, 40) == ["https://a.example/m", f"/{LINK_ID}", "?t=1"]


async def _show(app: Any, pilot: Any, wait_for: Any, link: str) -> None:
    links = await app.client.links.list(LinkKind.PROVIDER)
    now = clock.now()
    real = next(lk for lk in links if not lk.is_expired(now))
    info = CreatedInfo(
        id=real.id,
        link=link,
        kind=LinkKind.PROVIDER,
        leaf_user_id=real.leaf_user_id,
        user_name="Ava Anderson",
        user=None,
        providers=real.providers,
        expires_at=real.expires_at,
    )
    app.push_screen(LinkResultScreen(info, None))
    await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="the result")
    await pilot.pause()


@pytest.mark.parametrize(
    ("size", "one_line"), [((120, 40), True), ((100, 30), True), ((80, 24), False)]
)
async def test_the_link_is_whole_on_one_line_when_it_fits(
    make_app, ready, wait_for, size, one_line
):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await _show(app, pilot, wait_for, LONG)
        lines = [line.strip(" ║│") for line in screen_lines(app)]
        if one_line:
            assert LONG in lines
        else:  # 80 columns leave 70 for it: broken before the id, the id whole
            at = lines.index("https://widget.withleaf.io/magic-link")
            assert lines[at + 1] == f"/{LINK_ID}"
        # the sandbox's own links (67 columns) are whole on one line even at 80
        app.pop_screen()
        await _show(app, pilot, wait_for, f"http://sandbox.test/magic-link/{LINK_ID}")
        assert f"http://sandbox.test/magic-link/{LINK_ID}" in [
            line.strip(" ║│") for line in screen_lines(app)
        ]


async def test_back_from_a_full_screen_the_countdown_is_as_of_now(make_app, ready, wait_for):
    """Covered by the wizard (the palette's "new link"), the result stops its countdown (each
    new second would only have the screen above drawn whole); back, it counts from now."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _show(app, pilot, wait_for, LONG)

        def countdown() -> str:
            return next(line for line in screen_lines(app) if "Expires in" in line).strip(" ║│")

        before = countdown()
        await app.run_action("new_link")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WizardScreen", what="wizard")
        clock.freeze(clock.now() + timedelta(minutes=3))
        app.pop_screen()
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="back")
        await wait_for(pilot, lambda: countdown() != before, what="the countdown 3 minutes on")
