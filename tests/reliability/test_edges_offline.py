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


def open_sentera(app: Any, user: Any) -> None:
    app.open_sentera(user)


def open_john_deere(app: Any, user: Any) -> None:
    app.open_provider_events(user, provider("JohnDeere"))


# the Sentera screen and a provider's events screen are one code with another card
SCREENS = {
    "Sentera": (open_sentera, SenteraScreen, "card-status", "could not load"),
    "John Deere": (
        open_john_deere,
        ProviderEventsScreen,
        "provider-card",
        "Status  could not load",
    ),
}


@pytest.mark.parametrize("source", SCREENS)
async def test_offline_the_card_says_it_could_not_load_and_retries(
    live_env: LiveEnv, source: str
) -> None:
    open_screen, kind, card, failed = SCREENS[source]
    app = leaf_app_on(live_env.base_url, live_env.token(), max_retries=0)
    async with app.run_test(size=SIZE) as pilot:
        await app_ready(pilot)
        user = app.screen.current_user()
        assert user is not None
        live_env.stop()  # the server goes away: connection refused from here on
        open_screen(app, user)
        await wait_until(pilot, lambda: isinstance(app.screen, kind), what=source)
        screen = app.screen
        await wait_until(
            pilot,
            lambda: f"Could not load the {source} credential" in shown(screen, "diagnosis"),
            what="the card to say it could not load",
        )
        assert "Unreachable" in shown(screen, "diagnosis")
        assert "trying again in" in shown(screen, "diagnosis")
        assert shown(screen, card) == failed
        assert not screen.loaded

        screen.events_log.interval = 0.1  # the next tries come quickly once back
        live_env.start()
        await wait_until(pilot, lambda: screen.loaded, timeout=20, what="the credential")
        assert "Could not load" not in shown(screen, "diagnosis")
        assert shown(screen, card) != failed
        assert app.is_running and app.return_code is None
