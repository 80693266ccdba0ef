"""Nothing typed or pasted is lost: every text field of the wizard and of the forms (user,
Sentera connect, login) gets a bracketed paste, the same text unbracketed (every key in one
terminal read) and fast typing (a key every 20 ms, none waiting for the one before), and keeps
every character, the app's own keys (n, s, q, ?, /) included. The every-field tests are in the
long tier (tests/conftest.py LONG_TIER); the custom-expiry ones stay in the default run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

from leaf_tui.api.models import LinkKind
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.login import LoginScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.wizard import WizardPrefill
from tests.tui.conftest import SIZE
from tests.tui.keyboard import bracketed, one_read, typed_at
from tests.tui.test_sentera import open_connect_form
from tests.tui.wizard_steps import open_wizard

FAST_GAP = 1 / 50  # seconds between two keys typed fast


async def typed_fast(pilot: Any, text: str) -> None:
    await typed_at(pilot, text, FAST_GAP)


async def pasted_bracketed(pilot: Any, text: str) -> None:
    await one_read(pilot, bracketed(text))


async def pasted_unbracketed(pilot: Any, text: str) -> None:
    await one_read(pilot, text)


WAYS: dict[str, Callable[[Any, str], Awaitable[None]]] = {
    "bracketed paste": pasted_bracketed,
    "unbracketed paste": pasted_unbracketed,
    "typed fast": typed_fast,
}


async def fill(pilot: Any, wait_for: Any, selector: str, text: str, way: str) -> Input:
    """Empty the field, focus it, enter `text` the given way; the field once it holds it all
    (a bounded wait: a lost or reordered key fails here, naming the field)."""
    box = pilot.app.screen.query_one(selector, Input)
    box.clear()
    box.focus()
    await pilot.pause()
    await WAYS[way](pilot, text)
    what = f"{selector} to hold {text!r} ({way})"
    await wait_for(pilot, lambda: box.value == text, what=what)
    await pilot.pause()
    assert box.value == text, f"{selector}: {box.value!r} after settling ({way})"
    return box


async def fill_every_way(pilot: Any, wait_for: Any, fields: dict[str, str]) -> None:
    """Each field (by id) gets its text every way in turn."""
    for way in WAYS:
        for field, text in fields.items():
            await fill(pilot, wait_for, f"#{field}", text, way)


async def test_wizard_fields(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for, step="user")
        for way in WAYS:
            await fill(pilot, wait_for, "#user-search", "kowalski q?", way)
        screen.query_one("#user-mode").focus()
        await pilot.press("right")  # New user by externalId
        fields = {
            "external_id": "crm-77/ns",
            "new_name": "Nora Quinn-Smith?",
            "new_email": "nora.q+s@newfarm.example",
        }
        await fill_every_way(pilot, wait_for, fields)
        screen.go_to("customize")
        await pilot.pause()
        branding = {
            "background_color": "#1a2b3c",
            "company_name": "Quincy & Sons / North",
            "company_logo": "https://cdn.example/q/logo.png?s=n",
            "header_image": "https://cdn.example/q/header.jpg",
        }
        await fill_every_way(pilot, wait_for, branding)
        for field, text in {**fields, **branding}.items():
            assert getattr(screen.draft, field) == text, field
        # the preset name, in its own dialog
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.screen.query("#preset-name"), what="preset dialog")
        for way in WAYS:
            await fill(pilot, wait_for, "#preset-name", "Quincy north / s", way)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("duration", "seconds"), [("1h30m", 5400), ("7d2h", 7 * 86400 + 7200)])
async def test_a_custom_expiry_is_the_links_expiry(
    make_app: Any, ready: Any, wait_for: Any, way: str, duration: str, seconds: int
) -> None:
    """Pasted "1h30m" used to end as "1h": the preset chosen for "1h" wrote itself back."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = next(iter(app.user_index.search("Ava Anderson")))
        screen = await open_wizard(app, pilot, wait_for, WizardPrefill(user=user), step="expiry")
        await fill(pilot, wait_for, "#expiry", duration, way)
        assert screen.draft.expires_in == seconds
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="the link")
        result = app.screen
        assert isinstance(result, LinkResultScreen)
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.expires_at is not None and created.created_at is not None
        assert (created.expires_at - created.created_at).total_seconds() == pytest.approx(
            seconds, abs=2
        )


async def test_user_form_fields(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="the form")
        fields = {
            "name": "Quinn Nash-Sorensen",
            "email": "quinn.n+s@farm.example",
            "external_id": "CRM-q/n?s",
            "phone": "+1 (555) 010-9422",
            "address": "12 North Rd, Quincy, IL 62301",
        }
        await fill_every_way(pilot, wait_for, fields)


async def test_sentera_connect_form_fields(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_connect_form(pilot, wait_for)
        fields = {
            "username": "grower.q+s@sentera.example",
            "password": "n?s/q harvest-2026",
            "organization": "Quincy North Farms",
        }
        await fill_every_way(pilot, wait_for, fields)


async def test_login_fields(make_app: Any, wait_for: Any) -> None:
    app = make_app(token=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="login dialog")
        for way in WAYS:
            await fill(pilot, wait_for, "#login-username", "quinn.n+s@sandbox.example", way)
            await fill(pilot, wait_for, "#login-password", "q?n/s sandbox", way)
