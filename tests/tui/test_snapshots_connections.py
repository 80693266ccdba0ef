"""Snapshots of the Connections screen, a non-Sentera events log with its diagnosis, and the
triage queue: frozen clock (2026-03-02T09:00:00Z), seed-7 demo data, 120x40. Growers are found
by asking the sandbox (their user objects), never by id."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from leaf_tui.api.models import LeafUser
from leaf_tui.tui.screens.connections import ConnectionsScreen
from leaf_tui.tui.screens.provider_events import ProviderEventsScreen
from leaf_tui.tui.screens.triage import TriageScreen
from tests.tui.snapshot_waits import until

SIZE = (120, 40)


async def _started(pilot: Pilot[Any]) -> Any:
    app: Any = pilot.app
    await until(pilot, lambda: app.connected and app.screen.is_attached, "the app")
    return app


async def most_connected(app: Any) -> LeafUser:
    """The grower with the most providers that has John Deere (first by name on a tie)."""
    users = [
        u for u in await app.client.users.list_all() if "johnDeereCredentials" in u.credentials
    ]
    return min(users, key=lambda u: (-len(u.credentials), u.display_name, u.id))


async def _connections(pilot: Pilot[Any]) -> None:
    app = await _started(pilot)
    app.open_connections(await most_connected(app))
    await until(
        pilot, lambda: isinstance(app.screen, ConnectionsScreen) and app.screen.loaded, "rows"
    )
    # the scrollbars settle after the rows' first layout
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()


async def _john_deere_log(pilot: Pilot[Any]) -> None:
    app = await _started(pilot)
    user = await most_connected(app)
    from leaf_tui.api.providers import provider

    app.open_provider_events(user, provider("JohnDeere"))
    await until(
        pilot,
        lambda: isinstance(app.screen, ProviderEventsScreen) and app.screen.diagnosis is not None,
        "the John Deere log and its diagnosis",
    )
    await pilot.pause()


async def _triage(pilot: Pilot[Any]) -> None:
    app = await _started(pilot)
    app.open_triage()
    await until(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.loaded, "queue")
    await pilot.pause()


def test_connections_screen(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_connections)


def test_john_deere_events_log_with_diagnosis(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_john_deere_log)


def test_triage_queue(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_triage)
