"""Issue 13: offline, the Sentera card said "Loading…" for ever. Now it says it could not load,
and the poll tries again by itself until the server is back, then shows the credential; a
provider's events screen (the same code) too."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from leaf_tui.api.providers import provider
from leaf_tui.tui.screens.provider_events import ProviderEventsScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from reliability.conftest import SIZE, LiveEnv, app_ready, leaf_app_on, wait_until

pytestmark = pytest.mark.edge("dashboard")


def shown(screen: Any, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Static).content)


async def test_offline_the_sentera_card_says_it_could_not_load_and_retries(
    live_env: LiveEnv,
) -> None:
    app = leaf_app_on(live_env.base_url, live_env.token(), max_retries=0)
    async with app.run_test(size=SIZE) as pilot:
        await app_ready(pilot)
        user = app.screen.current_user()
        assert user is not None
        live_env.stop()  # the server goes away: connection refused from here on
        app.open_sentera(user)
        await wait_until(pilot, lambda: isinstance(app.screen, SenteraScreen), what="Sentera")
        screen = app.screen
        await wait_until(
            pilot,
            lambda: "Could not load the Sentera credential" in shown(screen, "diagnosis"),
            what="the card to say it could not load",
        )
        assert "Unreachable" in shown(screen, "diagnosis")
        assert "trying again in" in shown(screen, "diagnosis")
        assert shown(screen, "card-status") == "could not load"
        assert not screen.loaded

        screen.events_log.interval = 0.1  # the next tries come quickly once back
        live_env.start()
        await wait_until(pilot, lambda: screen.loaded, timeout=20, what="the credential")
        assert "Could not load" not in shown(screen, "diagnosis")
        assert shown(screen, "card-status") != "could not load"
        assert app.is_running and app.return_code is None


async def test_offline_a_provider_card_says_it_could_not_load_and_retries(
    live_env: LiveEnv,
) -> None:
    """A provider's events screen is the Sentera screen's code with another card: the same."""
    app = leaf_app_on(live_env.base_url, live_env.token(), max_retries=0)
    async with app.run_test(size=SIZE) as pilot:
        await app_ready(pilot)
        user = app.screen.current_user()
        assert user is not None
        live_env.stop()
        app.open_provider_events(user, provider("JohnDeere"))
        await wait_until(
            pilot, lambda: isinstance(app.screen, ProviderEventsScreen), what="John Deere"
        )
        screen = app.screen
        await wait_until(
            pilot,
            lambda: "Could not load the John Deere credential" in shown(screen, "diagnosis"),
            what="the card to say it could not load",
        )
        assert shown(screen, "provider-card") == "Status  could not load"
        assert not screen.loaded

        screen.events_log.interval = 0.1
        live_env.start()
        await wait_until(pilot, lambda: screen.loaded, timeout=20, what="the credential")
        assert "Could not load" not in shown(screen, "diagnosis")
        assert "could not load" not in shown(screen, "provider-card")
        assert app.is_running and app.return_code is None
