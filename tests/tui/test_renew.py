"""Issue 12: `r` Renew says what it does, offers to delete the old link while it still works,
and a renewal never becomes the wizard's remembered default."""

from __future__ import annotations

from typing import Any

from leaf_tui.api.models import LinkKind, MagicLink
from leaf_tui.common import clock
from leaf_tui.domain.link_filters import LinkState, link_state
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from tests.tui.conftest import SIZE
from tests.tui.test_links import open_links
from tests.tui.toasts import toast_says


def live_file_upload_link(screen: LinksScreen) -> MagicLink:
    table = screen.table
    for key in table.keys:
        link = table.links[key]
        usable = link_state(link, clock.now()) in (LinkState.ACTIVE, LinkState.EXPIRING)
        if link.kind is LinkKind.FILE_UPLOAD and usable and link.leaf_user_id:
            return link
    raise AssertionError("no live file-upload link in the demo")


async def renew(app: Any, pilot: Any, wait_for: Any, screen: LinksScreen) -> MagicLink:
    old = live_file_upload_link(screen)
    screen.table.move_cursor(row=screen.table.keys.index(old.id))
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
    status = str(app.screen.query_one("#wizard-status").render())
    assert "Renew" in status and "delete the old link" in status
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the offer")
    assert any(isinstance(s, LinkResultScreen) for s in app.screen_stack)
    assert old.link in app.screen.question
    return old


async def test_renew_offers_to_delete_the_old_link(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        old = await renew(app, pilot, wait_for, screen)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="result")
        await wait_for(
            pilot,
            lambda: toast_says(app, "Old link deleted"),
            what="the old link deleted",
        )
        assert old.id not in {link.id for link in await app.client.links.list_all()}


async def test_declining_keeps_the_old_link_and_defaults_stay(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        old = await renew(app, pilot, wait_for, screen)
        await pilot.press("n")  # keep the old link
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="result")
        assert old.id in {link.id for link in await app.client.links.list_all()}
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen), what="links")
        await pilot.press("u", "n")  # a new link from Users: the wizard's usual defaults
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
        assert app.screen.draft.kind is LinkKind.PROVIDER  # not the renewed file-upload link
