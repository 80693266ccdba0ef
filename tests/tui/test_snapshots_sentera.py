"""Snapshots of the Sentera screen: frozen clock (2026-03-02T09:00:00Z), seed-7 demo data, 120x40.
Growers are found by asking the sandbox (their Sentera status and events), never by id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from leaf_tui.api.models import LeafUser
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from tests.tui.snapshot_waits import until

from .test_sentera import GROWER, broken_user, sentera_users

SIZE = (120, 40)
Pick = Callable[[Any], Awaitable[LeafUser]]


def open_sentera(pick: Pick, then: Callable[[Pilot[Any]], Awaitable[None]] | None = None) -> Any:
    """run_before: open the Sentera screen of the grower `pick` finds; wait for the card and
    the first events; then run `then`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await until(pilot, lambda: app.connected and app.screen.is_attached, "the app")
        user = await pick(app)
        app.open_sentera(user)
        await until(
            pilot, lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded, "card"
        )
        screen = app.screen
        if screen.credential is not None:
            await until(pilot, lambda: len(screen.events_log.events) > 0, "events")
        if then is not None:
            await then(pilot)
        await pilot.pause()

    return run_before


async def healthy(app: Any) -> LeafUser:
    return (await sentera_users(app))["OK"][0]


async def password_changed(app: Any) -> LeafUser:
    return await broken_user(app, 401)


async def not_connected(app: Any) -> LeafUser:
    return (await sentera_users(app))[None][0]


async def organization_not_found(app: Any) -> LeafUser:
    return await broken_user(app, 404)


async def open_recreate(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.press("r")
    await until(pilot, lambda: isinstance(app.screen, SenteraFormScreen), "recreate form")


async def connect_with_wrong_case(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, SenteraFormScreen), "form")
    form = app.screen
    for name, value in zip(
        ("username", "password", "organization"),
        (GROWER[0], GROWER[1], "prairie farms"),
        strict=True,
    ):
        form.query_one(f"#{name}", Input).value = value
    await pilot.press("ctrl+s")
    organization = form.query_one("#organization", Input)
    await until(
        pilot,
        lambda: not form.busy and form.last_error is not None and form.focused is organization,
        "the error at the organization field",
    )


async def open_newest_event(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await pilot.press("end", "enter")
    await until(pilot, lambda: isinstance(app.screen, EventDetailScreen), "event detail")


def test_healthy_credential_with_log(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_sentera(healthy))


def test_unauthenticated_credential_with_diagnosis(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_sentera(password_changed))


def test_not_connected(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_sentera(not_connected))


def test_connect_form_with_an_error(snap_compare: Any, make_app: Any) -> None:
    run_before = open_sentera(not_connected, connect_with_wrong_case)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_event_detail(snap_compare: Any, make_app: Any) -> None:
    run_before = open_sentera(password_changed, open_newest_event)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_organization_not_found_with_diagnosis(snap_compare: Any, make_app: Any) -> None:
    run_before = open_sentera(organization_not_found)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_recreate_form_for_an_organization_problem(snap_compare: Any, make_app: Any) -> None:
    run_before = open_sentera(organization_not_found, open_recreate)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
