"""The tours: each runs on a fresh app and sandbox and takes its shots, by keys, as a person would
(search with `/`, arrows, `s`, `n`, the wizard's ctrl+n and ctrl+s)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from screenshots.tooling.camera import Camera

if TYPE_CHECKING:
    from leaf_tui.api.models import LeafUser


async def _home(cam: Camera) -> None:
    from leaf_tui.tui.screens.users import UsersScreen

    app = cam.app
    await cam.until(
        lambda: app.connected and isinstance(app.screen, UsersScreen) and app.screen.is_ready,
        "the Users screen",
    )


async def _arrow_to(cam: Camera, user: LeafUser) -> None:
    """Move the table's cursor down to the grower with the arrow key, and wait for the detail."""
    from leaf_tui.tui.widgets.users_table import UsersTable

    table = cam.app.screen.query_one(UsersTable)
    table.focus()
    await cam.press(*["down"] * (table.get_row_index(user.id) - table.cursor_row))
    await _home(cam)


async def _search_for(cam: Camera, user: LeafUser) -> None:
    """Find the grower as a person would: `/`, part of the name, enter (into the table)."""
    await cam.press("slash")
    await cam.type(user.display_name.lower())
    await cam.press("enter")
    await _home(cam)
    await _arrow_to(cam, user)


async def _showcase_user(cam: Camera) -> LeafUser:
    """The first grower (by name) with Sentera and live links: the detail pane shows every part."""
    from leaf_tui.common import clock

    client = cam.app.client
    links = await client.links.list_all()
    now = clock.now()
    live = {lk.leaf_user_id for lk in links if not lk.is_expired(now) and not lk.is_used_up}
    users = sorted(await client.users.list_all(), key=lambda u: (u.display_name, u.id))
    for user in users:
        if user.id in live and await client.sentera.has_credential(user.id):
            return user
    raise LookupError("no grower with Sentera and a live link")


async def _password_changed_user(cam: Camera) -> LeafUser:
    """The first grower (by name) whose Sentera credential broke because the password changed."""
    from leaf_tui.api.errors import NotFound

    client = cam.app.client
    users = sorted(await client.users.list_all(), key=lambda u: (u.display_name, u.id))
    for user in users:
        if not await client.sentera.has_credential(user.id):
            continue
        try:
            credential = await client.sentera.get(user.id)
        except NotFound:
            continue
        if credential.healthy:
            continue
        events = await client.sentera.events(user.id)
        if events and events[-1].status_code == 401:
            return user
    raise LookupError("no demo grower with a changed Sentera password")


async def users_tour(cam: Camera) -> None:
    await _home(cam)
    await _arrow_to(cam, await _showcase_user(cam))
    await cam.take("users")
    await cam.press("question_mark")
    await cam.take("help")


async def sentera_tour(cam: Camera) -> None:
    from leaf_tui.tui.screens.event_detail import EventDetailScreen
    from leaf_tui.tui.screens.sentera import SenteraScreen

    app = cam.app
    await _home(cam)
    await _search_for(cam, await _password_changed_user(cam))
    await cam.press("s")
    await cam.until(
        lambda: (
            isinstance(app.screen, SenteraScreen)
            and app.screen.loaded
            and len(app.screen.events_log.events) > 0
        ),
        "the Sentera screen and its events",
    )
    await cam.take("sentera")
    await cam.press("end", "enter")
    await cam.until(lambda: isinstance(app.screen, EventDetailScreen), "the event detail")
    await cam.take("sentera-event")


async def links_tour(cam: Camera) -> None:
    from leaf_tui.tui.screens.links import LinksScreen

    app = cam.app
    await _home(cam)
    await cam.press("L")
    await cam.until(lambda: isinstance(app.screen, LinksScreen), "the Magic links screen")
    screen = app.screen
    assert isinstance(screen, LinksScreen)
    await cam.until(lambda: screen.polls >= 1 and not screen.view.resolving, "the links")
    await cam.until(lambda: screen.table.set_names(screen.names) == 0, "the users' names")
    await cam.take("links")


async def wizard_tour(cam: Camera) -> None:
    from leaf_tui.tui.screens.link_result import LinkResultScreen
    from leaf_tui.tui.screens.wizard import WizardScreen

    app = cam.app
    await _home(cam)
    await _search_for(cam, await _showcase_user(cam))
    await cam.press("n")
    await cam.until(lambda: isinstance(app.screen, WizardScreen), "the wizard")
    wizard = app.screen
    assert isinstance(wizard, WizardScreen)
    await cam.take("wizard-1-kind")
    await cam.press("enter")  # provider link, and on to the next step
    await cam.until(lambda: wizard.current == "user", "the user step")
    await cam.take("wizard-2-user")
    await cam.press("ctrl+n")
    await cam.until(lambda: wizard.current == "providers", "the providers step")
    await cam.press("x", "space", "down", "down", "space", "down", "space")
    await cam.take("wizard-3-providers")
    await cam.press("ctrl+n")
    await cam.until(lambda: wizard.current == "expiry", "the expiry step")
    await cam.press("down", "down")
    await cam.take("wizard-4-expiry")
    await cam.press("ctrl+n")
    await cam.until(lambda: wizard.current == "customize", "the customization step")
    await _fill(
        cam,
        background_color="#1E3A5F",
        company_name="Prairie Co-op",
        company_logo="https://cdn.prairie.example/logo.png",
        header_image="https://cdn.prairie.example/header.jpg",
    )
    await cam.pilot.click("#show_leaf_user_name")
    await cam.take("wizard-5-customize")
    await cam.press("ctrl+n")
    await cam.until(lambda: wizard.current == "review", "the review step")
    await cam.take("wizard-6-review")
    await cam.press("ctrl+s")
    await cam.until(
        lambda: isinstance(app.screen, LinkResultScreen) and app.screen.link is not None,
        "the result screen's first poll",
    )
    await cam.take("link-created")


async def _fill(cam: Camera, **values: str) -> None:
    from textual.widgets import Input

    for field, value in values.items():
        box = cam.app.screen.query_one(f"#{field}", Input)
        box.focus()
        await cam.pilot.pause()
        box.value = value
        await cam.pilot.pause()


Tour = Callable[[Camera], Awaitable[None]]
TOURS: tuple[Tour, ...] = (users_tour, sentera_tour, links_tour, wizard_tour)
