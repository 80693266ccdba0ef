"""Issue 12, the right account: every confirmation of a destructive action names the profile it
acts on, and a profile marked read-only hides and refuses every write (TUI here, CLI in
tests/test_cli.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from leaf_tui.api import LeafClient, LinkKind, LinkRequest
from leaf_tui.api.errors import ReadOnly
from leaf_tui.domain.session import Session
from leaf_tui.tui.app import LeafApp
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import BASE_URL, SIZE
from tests.tui.screen_text import footer_row, screen_lines
from tests.tui.test_links import open_links
from tests.tui.test_sentera import open_screen, sentera_users

OWNER = "support@sandbox.local"


def on_screen(app: Any) -> str:
    return "\n".join(screen_lines(app))


def app_on_profile(sandbox_app: Any, token: str, *, read_only: bool = False) -> LeafApp:
    """The app on a named (non-sandbox) profile, "prod", served by the sandbox."""
    client = LeafClient(
        BASE_URL, token, transport=httpx.ASGITransport(app=sandbox_app), read_only=read_only
    )
    session = Session(
        client=client,
        profile_name="prod",
        base_url=BASE_URL,
        is_sandbox=False,
        username=OWNER,
    )
    return LeafApp(session)


async def confirm_shown(app: Any, pilot: Any, wait_for: Any) -> str:
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
    await pilot.pause()
    return on_screen(app)


async def test_deleting_a_user_names_the_sandbox(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("D")
        assert "On SANDBOX" in await confirm_shown(app, pilot, wait_for)


async def test_deleting_a_link_names_the_profile_and_host(
    sandbox_app: Any, owner_token: str, tui_home: Any, ready: Any, wait_for: Any
) -> None:
    app = app_on_profile(sandbox_app, owner_token)
    async with app.run_test(size=SIZE) as pilot:
        await open_links(pilot, ready, wait_for)
        await pilot.press("D")
        assert "On prod (sandbox.test)" in await confirm_shown(app, pilot, wait_for)


async def test_deleting_and_recreating_a_credential_name_the_profile(
    sandbox_app: Any, owner_token: str, tui_home: Any, ready: Any, wait_for: Any
) -> None:
    app = app_on_profile(sandbox_app, owner_token)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        await open_screen(pilot, wait_for, user)
        await pilot.press("D")
        assert "On prod (sandbox.test)" in await confirm_shown(app, pilot, wait_for)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen), what="back")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraFormScreen), what="the form")
        await pilot.pause()
        assert "On prod (sandbox.test)" in on_screen(app)


async def test_a_read_only_profile_hides_and_refuses_every_write(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    ready: Any,
    wait_for: Any,
    sandbox_control: Any,
) -> None:
    counts_before = (await sandbox_control.get("/_sandbox/counts")).json()[OWNER]
    app = app_on_profile(sandbox_app, owner_token, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert "READ-ONLY" in screen_lines(app)[0]
        footer = footer_row(app)
        for key in (" n ", " a ", " e ", " D "):
            assert key not in f" {footer} ", footer
        await pilot.press("D", "a", "e", "n")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)  # nothing opened
        # Sentera: no connect, recreate or delete; pressed anyway, the answer says why
        user = (await sentera_users(app))["OK"][0]
        table = app.screen.query_one(UsersTable)
        table.move_cursor(row=table.get_row_index(user.id))
        await pilot.press("s")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded,
            what="the Sentera screen",
        )
        await pilot.pause()
        for word in ("Recreate", "Delete", "New link"):
            assert word not in footer_row(app)
        await pilot.press("r", "D", "n")
        await pilot.pause()
        assert isinstance(app.screen, SenteraScreen)
        # Links: no renew, delete or new
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LinksScreen", what="links")
        await pilot.press("r", "D", "n")
        await pilot.pause()
        assert type(app.screen).__name__ == "LinksScreen"
        assert not any(isinstance(s, WizardScreen | ConfirmScreen) for s in app.screen_stack)
        # and the client itself refuses, before anything is sent
        with pytest.raises(ReadOnly):
            await app.client.links.create_for_user(user.id, LinkRequest(LinkKind.FILE_UPLOAD))
        with pytest.raises(ReadOnly):
            await app.client.users.delete(user.id)
    assert (await sandbox_control.get("/_sandbox/counts")).json()[OWNER] == counts_before
