"""The hostile corpus served by the sandbox through every field of every screen, and found shown
inert: no control character or bidi override on any screen, ESC visible as ␛, markup shown as
the brackets it is (never parsed: no MarkupError, no injected action).

The data goes in through the sandbox's own API (users, links, Sentera credentials) and its
control API (event bodies and headers); profile names through a hand-written settings.toml.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import Input

from leaf_tui.api import LeafClient
from leaf_tui.common.inert import UNSAFE, inert
from leaf_tui.domain.session import Session
from leaf_tui.tui.widgets.search_box import SearchBox

from .conftest import FAST_RETRIES, LiveEnv, Recorder, wait_until
from .hostile import HOSTILE_PROFILE, NAME_ONLY, SERVABLE, seed, write_hostile_profiles
from .tally import Tally

UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
SIZE = (120, 40)
CASES = list(SERVABLE.items())


def svg_text(svg: str) -> str:
    spans = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", s)) for s in spans).replace("\xa0", " ")


def raw_controls(svg: str) -> list[str]:
    """Controls and bidi overrides anywhere in the exported screen (the SVG's own newlines
    aside): what the terminal would have been sent."""
    return sorted({repr(c) for c in UNSAFE.findall(html.unescape(svg)) if c != "\n"})


class Looker:
    """Takes the screen as exported (what the terminal would get) and checks it."""

    def __init__(self, app: Any, tally: Tally) -> None:
        self.app = app
        self.tally = tally
        self.seen: dict[str, str] = {}

    def __call__(self, place: str) -> str:
        svg = self.app.export_screenshot()
        bad = raw_controls(svg)
        assert not bad, (place, bad)
        text = svg_text(svg)
        self.seen[place] = text
        self.tally.inert_checks[f"screen: {place.split(' #')[0]}"] += 1
        return text


async def test_the_corpus_is_shown_inert_on_every_screen(
    live_env: LiveEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tally: Tally
) -> None:
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.confirm import ConfirmScreen
    from leaf_tui.tui.screens.event_detail import EventDetailScreen
    from leaf_tui.tui.screens.link_details import LinkDetailsScreen
    from leaf_tui.tui.screens.links import LinksScreen
    from leaf_tui.tui.screens.sentera import SenteraScreen
    from leaf_tui.tui.screens.user_form import UserFormScreen
    from leaf_tui.tui.screens.users import UsersScreen
    from leaf_tui.tui.screens.wizard.screen import WizardScreen

    home = tmp_path / "home"
    monkeypatch.setenv("LEAF_TUI_HOME", str(home))
    write_hostile_profiles(home)
    token = live_env.token()
    world = seed(live_env, token)
    client = LeafClient(live_env.base_url, token=token, retry_policy=FAST_RETRIES)
    session = Session(
        client=client,
        profile_name=HOSTILE_PROFILE,
        base_url=live_env.base_url,
        is_sandbox=False,
    )
    app = LeafApp(session)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rec = Recorder(app)
        look = Looker(app, tally)
        await wait_until(pilot, lambda: getattr(app.screen, "is_ready", False), what="users")
        shown = look("users (header with a hostile profile name)")
        assert inert(HOSTILE_PROFILE)[:12] in shown

        # Users: the hostile rows, then each one's detail pane
        await pilot.press("slash")
        app.screen.query_one("#users-search", SearchBox).value = "hx"
        await wait_until(
            pilot,
            lambda: len(app.screen.query_one("UsersTable").keys) == len(CASES) + 1,
            what="the hostile users listed",
        )
        await pilot.press("enter")
        shown = look("users table")
        assert "hx00 Ann ␛]0;PWNED" in shown and "hx12 Ny [/] [/b]" in shown
        assert "hx13 Oz [@click=" in shown, "markup is shown as written"
        for i in range(len(CASES)):
            shown = look(f"user detail #{i}")
            if i == CASES.index(("markup click", SERVABLE["markup click"])):
                assert "[@click=app.quit]" in shown, "markup shown as written"
            await pilot.press("down")
        await pilot.press("home")
        await pilot.pause()

        # the form, prefilled with every field (its checks refuse some: it is looked at only)
        for i in (1, CASES.index(("markup click", SERVABLE["markup click"]))):
            await pilot.press("home", *["down"] * i, "e")
            await wait_until(pilot, lambda: isinstance(app.screen, UserFormScreen), what="form")
            look(f"user form #{i}")
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, UsersScreen), what="closed")

        # a user whose name only is hostile: saved unchanged, then deleted; the notifications
        # and the question name them
        app.screen.query_one("#users-search", SearchBox).value = "hx99"
        await wait_until(pilot, lambda: len(app.screen.query_one("UsersTable").keys) == 1)
        await pilot.press("enter", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, UserFormScreen), what="form")
        look("user form, name only")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        look("saved notification")
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        look("delete confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("Deleted" in n.message for n in rec.notes))
        look("deleted notification")
        saved = next(n.message for n in rec.notes if n.message.startswith("Saved"))
        assert saved == f"Saved {NAME_ONLY}", "the name as it is, never parsed as markup"
        assert app.is_running, "no markup action ran (app.quit)"

        # Sentera: the card, the hostile events, one event's headers and body
        victim = await app.client.users.get(world["victim"]["id"])
        app.open_sentera(victim)
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, SenteraScreen)
                and app.screen.loaded
                and len(app.screen.events_log.events) >= len(CASES)
            ),
            what="sentera with events",
        )
        screen = app.screen
        look("sentera card and events")
        screen.events_log.focus()
        await pilot.press("home")
        for i in range(len(CASES)):
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, EventDetailScreen))
            look(f"event detail #{i}")
            await pilot.press("escape")
            await wait_until(pilot, lambda s=screen: app.screen is s)
            await pilot.press("down")
        await pilot.press("escape")

        # Links: names and branding in the table, then each hostile link's details
        app.open_links()
        await wait_until(pilot, lambda: isinstance(app.screen, LinksScreen) and app.screen.is_ready)
        links_screen = app.screen
        await pilot.press("slash")
        await pilot.press(*"hx")
        await pilot.press("enter")
        await pilot.pause()
        look("links table")
        for i in range(len(world["links"])):
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, LinkDetailsScreen))
            look(f"link details #{i}")
            await pilot.press("escape")
            await wait_until(pilot, lambda s=links_screen: app.screen is s)
            await pilot.press("down")

        # the wizard: search results, review, the created link's screen
        app.open_wizard()
        await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen), what="wizard")
        await pilot.press("ctrl+n")
        await pilot.pause()
        search = app.screen.query_one("#user-search", Input)
        search.focus()
        search.value = "hx"
        await pilot.pause()
        await wait_until(
            pilot, lambda: "hx0" in svg_text(app.export_screenshot()), what="user results"
        )
        look("wizard user results")
        await pilot.press("down", "enter")
        for step in range(4):
            await pilot.press("ctrl+n")
            await pilot.pause()
            look(f"wizard step #{step + 3}")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: type(app.screen).__name__ == "LinkResultScreen", what="link result"
        )
        look("link result")
        await pilot.press("escape")
        await pilot.pause()

        # the command palette offers the hand-written (hostile) profiles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Switch")
        await wait_until(
            pilot, lambda: "Switch profile" in svg_text(app.export_screenshot()), what="palette"
        )
        shown = look("command palette with hostile profile names")
        assert "p0 Ann ␛]0;PWNED-TITLE" in shown
        await pilot.press("escape")
        assert app.is_running
    assert len(look.seen) >= 3 * len(CASES)


class HostileLeafUserIds:
    """A server that answers link lists with hostile leafUserIds (the sandbox makes them UUIDs):
    the sandbox's answers, with that one field rewritten, as a compromised API would send."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or ML not in scope["path"]:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body = bytearray()

        async def keep(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                body.extend(message.get("body", b""))

        await self.app(scope, receive, keep)
        data = json.loads(body)
        for i, link in enumerate(data if isinstance(data, list) else [data]):
            link["leafUserId"] = CASES[i % len(CASES)][1]
        new = json.dumps(data).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(new)).encode())]})
        await send({"type": "http.response.body", "body": new})


async def test_hostile_leaf_user_ids_in_links_are_shown_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tally: Tally
) -> None:
    from leaf_tui.common import clock
    from leaf_tui.sandbox.app import SandboxConfig, create_app
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.link_details import LinkDetailsScreen
    from leaf_tui.tui.screens.links import LinksScreen

    from .conftest import FROZEN, OWNER

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    sandbox = create_app(SandboxConfig(now=lambda: FROZEN))
    transport = httpx.ASGITransport(app=HostileLeafUserIds(sandbox))
    client = LeafClient("http://sandbox.test", transport=transport, retry_policy=FAST_RETRIES)
    try:
        with clock.frozen(FROZEN):
            await client.auth.authenticate(*OWNER)
            session = Session(
                client=client,
                profile_name="sandbox",
                base_url="http://sandbox.test",
                is_sandbox=True,
            )
            app = LeafApp(session)
            async with app.run_test(size=SIZE) as pilot:
                look = Looker(app, tally)
                await wait_until(pilot, lambda: getattr(app.screen, "is_ready", False))
                app.open_links()
                await wait_until(
                    pilot, lambda: isinstance(app.screen, LinksScreen) and app.screen.is_ready
                )
                links = app.screen
                look("links with hostile leafUserIds")
                for i in range(6):
                    await pilot.press("enter")
                    await wait_until(pilot, lambda: isinstance(app.screen, LinkDetailsScreen))
                    shown = look(f"link details, hostile leafUserId #{i}")
                    assert "User" in shown
                    await pilot.press("escape")
                    await wait_until(pilot, lambda s=links: app.screen is s)
                    await pilot.press("down")
                assert app.is_running
    finally:
        sandbox.state.sandbox.close()
