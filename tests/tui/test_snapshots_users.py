"""Snapshots of the shell and the Users screen: frozen clock (2026-03-02T09:00:00Z), seed-7
demo data, 120x40, no cursor blink, no header clock. Users are picked by asking the sandbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from leaf_tui.common import clock
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.snapshot_waits import until

SIZE = (120, 40)
Step = Callable[[Pilot[Any]], Awaitable[None]]


async def _settled(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await until(
        pilot,
        lambda: app.connected and isinstance(app.screen, UsersScreen) and app.screen.is_ready,
        "the users screen",
    )


async def _showcase_user(pilot: Pilot[Any]) -> None:
    """Highlight the first user (by name) with a Sentera credential and live links, so the
    detail pane shows every section."""
    app: Any = pilot.app
    await _settled(pilot)
    links = await app.client.links.list_all()
    now = clock.now()
    live = {lk.leaf_user_id for lk in links if not lk.is_expired(now) and not lk.is_used_up}
    table = app.screen.query_one(UsersTable)
    for row in range(table.row_count):
        user = table.users[table.keys[row]]
        if user.id in live and await app.client.sentera.has_credential(user.id):
            table.move_cursor(row=row)
            break
    else:
        raise AssertionError("no user with Sentera and live links in the demo data")
    await pilot.pause()
    await _settled(pilot)


def steps(*more: Step) -> Step:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _showcase_user(pilot)
        for step in more:
            await step(pilot)
        await pilot.pause()

    return run_before


def press(*keys: str) -> Step:
    async def step(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return step


async def _search_an(pilot: Pilot[Any]) -> None:
    await pilot.press("slash", "a", "n", "d")
    await _settled(pilot)


def test_users_loaded_with_detail(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps())


def test_users_search_results(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(_search_an))


def test_add_user_form_with_field_error(snap_compare, make_app):
    async def fill(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Nora Field", "tab", *"nora@field")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(fill))


def test_edit_user_form(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(press("e")))


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(press("question_mark")))


def test_delete_confirm(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(press("D")))


def test_login_dialog(snap_compare, make_app):
    async def expire(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        app.request_login(reason="Your session has ended while trying to load users.")
        await pilot.pause()
        app.screen.query_one("#login-password", Input).value = "secret-not-shown"
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(expire))
