"""Snapshots of the create-link wizard, each step, the preview with custom branding, a failed
create, and the result screen: frozen clock (2026-03-02T09:00:00Z), seed-7 demo data, 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from leaf_tui.api.models import LinkKind
from leaf_tui.common import clock
from leaf_tui.common.clipboard import CopyResult
from leaf_tui.tui.screens.link_result import CreatedInfo, LinkResultScreen
from leaf_tui.tui.screens.wizard import WizardPrefill, WizardScreen
from tests.tui.conftest import _wait_for as wait_for
from tests.tui.snapshot_waits import until

SIZE = (120, 40)
Step = Callable[[Pilot[Any]], Awaitable[None]]


async def _connected(pilot: Pilot[Any]) -> Any:
    app: Any = pilot.app
    await wait_for(
        pilot, lambda: app.connected and getattr(app.screen, "is_ready", False), what="home"
    )
    await app.user_index.load()
    return app


def wizard(*more: Step, user: str | None = "Ava Anderson") -> Step:
    """Open the wizard (for `user`, found by name), then run `more`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = await _connected(pilot)
        prefill = None
        if user is not None:
            prefill = WizardPrefill(user=next(u for u in app.user_index.search(user)))
        app.open_wizard(prefill)
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
        await pilot.pause()
        for step in more:
            await step(pilot)
            await pilot.pause()
        # what the steps started has finished (a user search runs in a worker; a Switch slides
        # when clicked): on a loaded machine the picture could catch either halfway
        await until(pilot, lambda: all(w.is_finished for w in app.workers), "the app's workers")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run_before


def go(step: str) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        screen: Any = pilot.app.screen
        screen.go_to(step)
        await pilot.pause()

    return run


def press(*keys: str) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return run


def fill(**values: str) -> Step:
    async def run(pilot: Pilot[Any]) -> None:
        for field, value in values.items():
            box = pilot.app.screen.query_one(f"#{field}", Input)
            box.focus()
            box.value = value
            await pilot.pause()

    return run


def test_kind_step(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=wizard())


def test_user_step_search(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(press("ctrl+n"), fill(**{"user-search": "ava"}), user=None)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_user_step_new_user_with_errors(snap_compare: Any, make_app: Any) -> None:
    async def new_mode(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#user-mode").focus()
        await pilot.press("right")

    steps = wizard(
        press("ctrl+n"), new_mode, fill(new_name="Nora New", new_email="nora@"), user=None
    )
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_providers_step(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(go("providers"), press("x", "space", "down", "down", "space"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_providers_step_authentication(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(press("down", "enter", "ctrl+n"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_expiry_step_custom(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(go("expiry"), fill(expiry="1d12h"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_customize_step_default(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=wizard(go("customize")))


def test_customize_preview_with_branding(snap_compare: Any, make_app: Any) -> None:
    async def switches(pilot: Pilot[Any]) -> None:
        await pilot.click("#show_leaf_user_name")
        await pilot.click("#disconnect_enabled")

    steps = wizard(
        go("customize"),
        fill(
            background_color="#1E3A5F",
            company_name="Prairie Co-op",
            company_logo="https://cdn.prairie.example/logo.png",
            header_image="https://cdn.prairie.example/header.jpg",
        ),
        switches,
    )
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_review_ready(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(go("customize"), fill(company_name="Prairie Co-op"), go("review"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_review_blocked(snap_compare: Any, make_app: Any) -> None:
    steps = wizard(go("customize"), fill(background_color="teal"), go("review"), user=None)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_create_failed_with_500(snap_compare: Any, make_app: Any, sandbox_app: Any) -> None:
    async def fail(pilot: Pilot[Any]) -> None:
        screen: Any = pilot.app.screen
        transport = httpx.ASGITransport(app=sandbox_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as c:
            await c.post("/_sandbox/faults", json={"error_rate": 1.0, "error_status": [500]})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.busy and bool(screen.error), what="the error")
            await c.post("/_sandbox/faults", json={"reset": True})

    steps = wizard(go("customize"), fill(company_name="Prairie Co-op"), fail)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps)


def test_result_screen(snap_compare: Any, make_app: Any) -> None:
    async def show_result(pilot: Pilot[Any]) -> None:
        app = await _connected(pilot)
        now = clock.now()
        links = await app.client.links.list(LinkKind.PROVIDER)
        link = min(
            (lk for lk in links if not lk.is_expired(now) and not lk.is_used_up),
            key=lambda lk: lk.id,
        )
        user = app.user_index.get(link.leaf_user_id)
        info = CreatedInfo(
            id=link.id,
            link=link.link,
            kind=LinkKind.PROVIDER,
            leaf_user_id=link.leaf_user_id,
            user_name=user.display_name if user else None,
            user=user,
            providers=link.providers,
            expires_at=link.expires_at,
        )
        app.push_screen(LinkResultScreen(info, CopyResult(True, True, "")))
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, LinkResultScreen) and app.screen.link is not None,
            what="the result screen's first poll",
        )
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=show_result)
