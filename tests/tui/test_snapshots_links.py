"""Snapshots of the Magic links screen: frozen clock (2026-03-02T09:00:00Z), seed-7 demo data,
120x40. The demo data gives every kind in every state: active, expiring, expired, used up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from leaf_tui.tui.screens.links import LinksScreen
from tests.tui.snapshot_waits import until

SIZE = (120, 40)


def open_links(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """run_before: open the links screen, wait for data and names, then press `keys`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await until(pilot, lambda: app.connected and app.screen.is_attached, "the app")
        app.open_links()
        await until(pilot, lambda: isinstance(app.screen, LinksScreen), "links screen")
        screen = app.screen
        await until(pilot, lambda: screen.polls >= 1 and not screen.view.resolving, "links")
        await until(pilot, lambda: screen.table.set_names(screen.names) == 0, "names")
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_links_table_all_states(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_links())


def test_links_filtered_expiring(snap_compare: Any, make_app: Any) -> None:
    # f: active -> expiring within the hour
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_links("f", "f"))


def test_links_filtered_provider_used_up(snap_compare: Any, make_app: Any) -> None:
    keys = ("K", "f", "f", "f", "f")  # kind: provider; state: used up
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_links(*keys))


def test_links_delete_confirm(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_links("down", "D"))


def test_links_details(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_links("enter"))
