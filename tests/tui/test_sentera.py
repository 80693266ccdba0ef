"""The Sentera screen against the sandbox: the card, connect/delete/recreate, the live log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input, Label, Static

from leaf_tui.api.models import LeafUser, SenteraEvent
from leaf_tui.domain.sentera_diagnosis import MASK, Problem
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from leaf_tui.tui.widgets.events_log import EventsLog
from tests.tui.screen_text import footer_row, screen_lines
from tests.tui.toasts import toast_says, toasts

SIZE = (120, 40)
GROWER = ("grower@sentera.example", "harvest-2026", "Prairie Farms")
FAST = 0.1  # poll interval in tests: the behaviour is the same, the waits shorter


# --- helpers -------------------------------------------------------------------------------


def screen_text(app: App[Any]) -> str:
    """Everything on screen (the screen stack as composited), as plain text."""
    return "\n".join(screen_lines(app))


async def sentera_users(app: Any) -> dict[str | None, list[LeafUser]]:
    """Users grouped by their Sentera status, as the API reports it (None: not connected)."""
    from leaf_tui.api.errors import NotFound

    groups: dict[str | None, list[LeafUser]] = {}
    for user in await app.client.users.list_all():
        try:  # Leaf's user object does not say: ask its endpoint
            status = (await app.client.sentera.get(user.id)).status
        except NotFound:
            status = None
        groups.setdefault(status, []).append(user)
    return groups


async def broken_user(app: Any, last_code: int) -> LeafUser:
    """A demo grower whose credential is UNAUTHENTICATED and whose latest event is `last_code`
    (401: the password changed; 404: the organization is not found)."""
    for user in (await sentera_users(app))["UNAUTHENTICATED"]:
        events = await app.client.sentera.events(user.id)
        if events and events[-1].status_code == last_code:
            return user
    raise AssertionError(f"no demo grower with a failing {last_code}")


async def open_screen(pilot: Any, wait_for: Any, user: LeafUser) -> SenteraScreen:
    app = pilot.app
    app.open_sentera(user)
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded,
        what="the Sentera screen to load",
    )
    screen = app.screen
    screen.events_log.interval = FAST
    screen.events_log.poll_now()  # the next poll was already planned at the normal interval
    await pilot.pause()
    return screen


def card(screen: SenteraScreen, key: str) -> str:
    return str(screen.query_one(f"#card-{key}", Label).content)


def form_error(form: SenteraFormScreen) -> str:
    return str(form.query_one("#form-error", Static).content)


async def fill(pilot: Any, form: SenteraFormScreen, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#{name}", Input).value = value
    await pilot.pause()


async def open_form(pilot: Any, wait_for: Any, key: str) -> SenteraFormScreen:
    """Press `key` (c connect, r recreate) on the Sentera screen; the form it opens."""
    app = pilot.app
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, SenteraFormScreen), what="the form")
    form = app.screen
    assert isinstance(form, SenteraFormScreen)
    return form


async def open_connect_form(pilot: Any, wait_for: Any) -> SenteraFormScreen:
    """The connect form (c) of a demo grower with no Sentera credential."""
    user = (await sentera_users(pilot.app))[None][0]
    await open_screen(pilot, wait_for, user)
    return await open_form(pilot, wait_for, "c")


async def recreate_with_a_wrong_password(
    app: Any, pilot: Any, ready: Any, wait_for: Any
) -> tuple[LeafUser, SenteraScreen, SenteraFormScreen]:
    """A grower connected with GROWER; r, then a password Sentera refuses (after the delete):
    (the grower, the Sentera screen, the form left open)."""
    await ready(pilot)
    user = (await sentera_users(app))[None][0]
    await app.client.sentera.create(user.id, *GROWER)
    screen = await open_screen(pilot, wait_for, user)
    form = await open_form(pilot, wait_for, "r")
    await fill(pilot, form, password="not-it")
    await pilot.press("ctrl+s")
    return user, screen, form


async def record_event(control: Any, user_id: str, code: int, advance: float = 1.0) -> str:
    """A sync event recorded by the sandbox 'now', the sandbox clock moved on first so events
    recorded one after another sort in that order."""
    await control.post("/_sandbox/clock", json={"advance": advance})
    answer = await control.post(f"/_sandbox/sentera/{user_id}/events", json={"statusCode": code})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["event"]["id"])


# --- the card ----------------------------------------------------------------------------


async def test_healthy_credential_card_log_and_masked_token(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        token = (await app.client.sentera.get(user.id)).auth_token
        screen = await open_screen(pilot, wait_for, user)
        await wait_for(pilot, lambda: len(screen.events_log.events) > 0, what="events")

        assert card(screen, "status") == "OK"
        assert screen.query_one("#card-status").has_class("ok")
        assert card(screen, "token") == MASK + token[-4:]
        assert screen.diagnosis is not None and screen.diagnosis.problem is Problem.HEALTHY
        assert "Syncing normally; last success" in screen_text(app)
        events = screen.events_log.events
        dates = [e.created_date for e in events]
        assert dates == sorted(dates)
        # the token appears nowhere on screen, in the SVG snapshot or in notifications
        assert token not in screen_text(app)
        assert token not in app.export_screenshot()
        assert all(token not in said for _, said in toasts(app))


async def test_unauthenticated_credential_explains_the_password_change(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await broken_user(app, 401)
        screen = await open_screen(pilot, wait_for, user)
        assert card(screen, "status") == "UNAUTHENTICATED"
        assert screen.query_one("#card-status").has_class("bad")
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.PASSWORD_CHANGED
        assert "Press r to recreate with the new password" in screen_text(app)


async def test_organization_not_found_is_explained(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await broken_user(app, 404)
        screen = await open_screen(pilot, wait_for, user)
        # Leaf's status as it is, with the cause: it is not the password
        assert card(screen, "status") == (
            "UNAUTHENTICATED  (cause: organization name, not the password)"
        )
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.ORG_NOT_FOUND
        assert screen.diagnosis.key == "r"
        organization = card(screen, "organization").split("  (id")[0]
        assert f'organization "{organization}" not found' in screen_text(app)
        assert "including case" in screen_text(app)


async def test_not_connected_offers_connect_only(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        screen = await open_screen(pilot, wait_for, user)
        assert card(screen, "status") == "Not connected"
        assert "Press c to connect" in screen_text(app)
        assert screen.check_action("connect", ()) is True
        assert screen.check_action("delete", ()) is False
        assert screen.check_action("recreate", ()) is False
        await pilot.press("D")  # not offered: nothing opens
        assert app.screen is screen


async def test_the_footer_fits_in_120_columns(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:  # SIZE is 120 columns
        await ready(pilot)
        groups = await sentera_users(app)
        for user, offered, hidden in (
            (groups["OK"][0], {"Recreate", "Delete"}, {"Connect", "Refresh"}),
            (groups[None][0], {"Connect"}, {"Recreate", "Delete", "Refresh"}),
        ):
            screen = await open_screen(pilot, wait_for, user)
            await pilot.pause()
            row = footer_row(app)
            keys, _, palette = row.rpartition("▏")
            # every key whole before the palette's, and that one whole at the right edge
            for description in offered | {"Back", "Help", "Quit"}:
                assert f" {description} " in keys, (description, row)
            assert not any(f" {description} " in row for description in hidden), row
            assert palette == " ^p palette " and len(row) == SIZE[0], row
            await pilot.press("escape")
            await wait_for(pilot, lambda s=screen: app.screen is not s, what="back")


# --- connect ---------------------------------------------------------------------------------


async def test_connect_a_credential(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        screen = await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        assert form.query_one("#password", Input).password is True
        # type as a person would: username, enter, password, enter, organization, enter
        await pilot.press(*GROWER[0], "enter", *GROWER[1], "enter", *GROWER[2], "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the form to close")
        assert card(screen, "status") == "OK"
        assert card(screen, "username") == GROWER[0]
        assert card(screen, "organization").startswith("Prairie Farms")
        created = await app.client.sentera.get(user.id)
        assert created.username == GROWER[0]
        # the first event (Leaf's login) shows up, and the password is nowhere on screen
        await wait_for(pilot, lambda: len(screen.events_log.events) >= 1, what="first event")
        assert GROWER[1] not in screen_text(app)


async def test_a_cancelled_form_offers_what_was_typed_again_but_not_the_password(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        screen = await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        await fill(pilot, form, username=GROWER[0], password=GROWER[1], organization="Pra")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        form = await open_form(pilot, wait_for, "c")
        assert form.query_one("#username", Input).value == GROWER[0]
        assert form.query_one("#organization", Input).value == "Pra"
        assert form.query_one("#password", Input).value == ""
        assert form.focused is form.query_one("#password", Input)


async def test_connect_validates_every_field_before_sending(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        before = (await sandbox_control.get("/_sandbox/counts")).json()
        await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        await fill(pilot, form, username="grower@sentera.example")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(form.query_one("#password-error", Label).content) == "Required"
        assert str(form.query_one("#organization-error", Label).content) == "Required"
        assert str(form.query_one("#username-error", Label).content) == ""
        assert form.focused is form.query_one("#password", Input)
        assert app.screen is form
        assert (await sandbox_control.get("/_sandbox/counts")).json() == before


async def test_wrong_password_is_said_at_the_form_and_nothing_typed_is_lost(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        await fill(pilot, form, username=GROWER[0], password="wrong-pass", organization=GROWER[2])
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "login failed" in form_error(form), what="the error")
        assert app.screen is form
        assert form.query_one("#username", Input).value == GROWER[0]
        assert form.query_one("#password", Input).value == "wrong-pass"
        assert form.query_one("#organization", Input).value == GROWER[2]
        assert str(form.query_one("#password-error", Label).content) == "Sentera login failed"
        assert form.focused is form.query_one("#password", Input)
        # correct the password only, submit again: connected
        await fill(pilot, form, password=GROWER[1])
        assert str(form.query_one("#password-error", Label).content) == ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen), what="connected")
        assert card(app.screen, "status") == "OK"


async def test_wrong_case_organization_gets_the_did_you_mean(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        screen = await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        await fill(
            pilot, form, username=GROWER[0], password=GROWER[1], organization="prairie farms"
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "did you mean" in form_error(form), what="did-you-mean")
        assert 'did you mean "Prairie Farms"?' in form_error(form)
        assert "case-sensitive" in form_error(form)
        assert form.query_one("#organization", Input).value == "prairie farms"
        assert form.focused is form.query_one("#organization", Input)
        # leaving the form: the diagnosis remembers why connecting failed
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the screen")
        assert screen.diagnosis is not None and screen.diagnosis.problem is Problem.ORG_CASE
        assert 'did you mean "Prairie Farms"?' in screen_text(app)
        assert await sentera_users(app) and card(screen, "status") == "Not connected"


async def test_connect_conflict_when_connected_meanwhile(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await open_screen(pilot, wait_for, user)
        form = await open_form(pilot, wait_for, "c")
        await app.client.sentera.create(user.id, *GROWER)  # someone else, meanwhile
        await fill(pilot, form, username=GROWER[0], password=GROWER[1], organization=GROWER[2])
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "already has" in form_error(form), what="conflict")
        assert "r to recreate" in form_error(form)
        assert app.screen is form


# --- delete and recreate -----------------------------------------------------------------------


async def test_delete_is_confirmed(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        screen = await open_screen(pilot, wait_for, user)
        await wait_for(pilot, lambda: len(screen.events_log.events) > 0, what="events")
        # declined: nothing changes
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert (await app.client.sentera.get(user.id)).status == "OK"
        # confirmed: gone, the card and the log say so
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: card(screen, "status") == "Not connected", what="deleted")
        assert len(screen.events_log.events) == 0
        assert (await sentera_users(app)).get("OK", []).count(user) == 0
        assert screen.check_action("connect", ()) is True


async def test_recreate_after_a_password_change(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        old = await app.client.sentera.create(user.id, *GROWER)
        screen = await open_screen(pilot, wait_for, user)
        assert card(screen, "status") == "OK"
        # the grower changes their password; Leaf's next sync fails with a 401
        answer = await sandbox_control.post(
            "/_sandbox/sentera/password", json={"username": GROWER[0], "password": "new-pass-1"}
        )
        assert answer.status_code == 200
        await sandbox_control.post("/_sandbox/clock", json={"advance": 60})
        await sandbox_control.post(f"/_sandbox/sentera/{user.id}/sync")
        await wait_for(
            pilot, lambda: card(screen, "status") == "UNAUTHENTICATED", what="unauthenticated"
        )
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.PASSWORD_CHANGED
        form = await open_form(pilot, wait_for, "r")
        assert form.query_one("#username", Input).value == GROWER[0]
        assert form.query_one("#organization", Input).value == GROWER[2]
        assert form.query_one("#password", Input).value == ""
        assert form.focused is form.query_one("#password", Input)
        await pilot.press(*"new-pass-1", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="recreated")
        new = await app.client.sentera.get(user.id)
        assert new.id != old.id and new.status == "OK"
        assert card(screen, "status") == "OK"
        await wait_for(
            pilot,
            lambda: screen.diagnosis is not None and screen.diagnosis.problem is Problem.HEALTHY,
            what="healthy again",
        )
        # the old credential's events went with it
        assert all(e.status_code != 401 for e in screen.events_log.events)


async def test_recreate_that_fails_after_delete_keeps_the_form(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        user, screen, form = await recreate_with_a_wrong_password(app, pilot, ready, wait_for)
        await wait_for(pilot, lambda: "login failed" in form_error(form), what="error")
        assert "has NO Sentera credential now" in form_error(form)
        assert form.query_one("#password", Input).value == "not-it"
        assert form.query_one("#username", Input).value == GROWER[0]
        # the second try only creates (nothing left to delete)
        await fill(pilot, form, password=GROWER[1])
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="created")
        assert (await app.client.sentera.get(user.id)).status == "OK"


async def test_recreate_abandoned_after_delete_shows_not_connected(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        _, screen, form = await recreate_with_a_wrong_password(app, pilot, ready, wait_for)
        await wait_for(pilot, lambda: "NO Sentera credential" in form_error(form), what="error")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert card(screen, "status") == "Not connected"
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.LOGIN_FAILED


# --- the live log ----------------------------------------------------------------------------


async def test_a_sync_event_appears_without_a_key_press(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        screen = await open_screen(pilot, wait_for, user)
        log = screen.events_log
        await wait_for(pilot, lambda: len(log.events) > 0, what="events")
        event_id = await record_event(sandbox_control, user.id, 503)
        await wait_for(pilot, lambda: log.events[-1].id == event_id, what="the new event")
        assert "503" in screen_text(app)
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.PROVIDER_DOWN
        # a duplicate never appears twice
        await pilot.pause(FAST * 3)
        assert [e.id for e in log.events].count(event_id) == 1


async def test_follows_at_the_bottom_but_not_when_scrolled_up(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await app.client.sentera.create(user.id, *GROWER)
        for _ in range(40):  # more than the log shows at once
            await record_event(sandbox_control, user.id, 200)
        screen = await open_screen(pilot, wait_for, user)
        log = screen.events_log
        await wait_for(pilot, lambda: len(log.events) == 41, what="41 events")
        assert log.max_scroll_y > 0
        assert log.following and log.scroll_y == log.max_scroll_y
        assert log.cursor == len(log.events) - 1

        # at the bottom: the new event scrolls into view and the cursor follows it
        first = await record_event(sandbox_control, user.id, 401)
        await wait_for(pilot, lambda: log.events[-1].id == first, what="event at bottom")
        await pilot.pause()
        assert log.scroll_y == log.max_scroll_y
        assert log.selected_event is not None and log.selected_event.id == first

        # scrolled up to the top: new events don't move the view or the cursor
        await pilot.press("home")
        await pilot.pause()
        assert log.scroll_y == 0 and log.cursor == 0
        assert "scrolled up: End follows" in screen_text(app)  # said at once, not next poll
        top_event = log.selected_event
        second = await record_event(sandbox_control, user.id, 500)
        await wait_for(pilot, lambda: log.events[-1].id == second, what="event while up")
        await pilot.pause()
        assert log.scroll_y == 0
        assert log.selected_event is top_event
        assert not log.following
        assert "scrolled up" in screen_text(app)

        # End goes back to following
        await pilot.press("end")
        await pilot.pause()
        assert "scrolled up" not in screen_text(app)
        third = await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: log.events[-1].id == third, what="event after End")
        await pilot.pause()
        assert log.scroll_y == log.max_scroll_y
        assert log.selected_event is not None and log.selected_event.id == third


async def test_a_new_event_repaints_the_log_without_laying_out_the_screen(
    make_app, ready, wait_for, sandbox_control
):
    """A poll that adds an event (every few seconds while Sentera syncs) redraws the log and its
    scrollbar; a whole-screen layout (10-50 ms of blocked loop) only when something's size
    changes, as when the diagnosis takes another number of rows."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await app.client.sentera.create(user.id, *GROWER)
        for _ in range(30):  # more than the log shows at once: it scrolls
            await record_event(sandbox_control, user.id, 200)
        screen = await open_screen(pilot, wait_for, user)
        log = screen.events_log
        await wait_for(pilot, lambda: len(log.events) == 31, what="31 events")
        await pilot.pause()
        layouts: list[Screen[Any]] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        diagnosis = screen.query_one("#diagnosis", Static)
        rows_before = diagnosis.size.height

        added = await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: log.events[-1].id == added, what="the new event")
        await pilot.pause()
        assert layouts == []
        assert log.scroll_y == log.max_scroll_y  # followed: the new event is the bottom row
        assert log.selected_event is not None and log.selected_event.id == added
        assert log.vertical_scrollbar.window_virtual_size == len(log.events) == 32
        assert "32 events" in screen_text(app)

        # a failure: the diagnosis says more, on more rows, and the screen makes room for it
        failed = await record_event(sandbox_control, user.id, 503)
        await wait_for(pilot, lambda: log.events[-1].id == failed, what="the failed event")
        await pilot.pause()
        assert screen.diagnosis is not None
        assert screen.diagnosis.problem is Problem.PROVIDER_DOWN
        width = diagnosis.content_region.width
        rows = diagnosis.get_content_height(screen.size, screen.size, width)
        assert rows != rows_before and layouts  # it wrapped onto more rows: laid out
        assert diagnosis.content_region.height == rows
        assert log.scroll_y == log.max_scroll_y


def count_drawn_rows(log: EventsLog) -> list[int]:
    """The rows (0 = the top row in view) the log draws from now on."""
    drawn: list[int] = []
    draw = log.render_line

    def counting(y: int) -> Strip:
        drawn.append(y)
        return draw(y)

    log.render_line = counting  # type: ignore[method-assign]
    return drawn


async def test_a_poll_redraws_only_the_rows_that_changed(
    make_app, ready, wait_for, sandbox_control
):
    """A new event while the reader is scrolled up is off screen: no row of the log is drawn
    again, only its scrollbar moves. In a log shorter than its view, the new row and the
    highlight's old row are drawn, not every row."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))[None][0]
        await app.client.sentera.create(user.id, *GROWER)
        for _ in range(2):
            await record_event(sandbox_control, user.id, 200)
        screen = await open_screen(pilot, wait_for, user)
        log = screen.events_log
        await wait_for(pilot, lambda: len(log.events) == 3, what="3 events")
        await pilot.pause()
        assert log.max_scroll_y == 0 and log.cursor == 2  # all in view, the newest highlighted

        drawn = count_drawn_rows(log)
        added = await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: log.events[-1].id == added, what="the new event")
        await pilot.pause()
        assert sorted(set(drawn)) == [2, 3]  # the old highlight's row and the new row
        assert log.cursor == 3

        for _ in range(30):  # more than the log shows at once
            await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: len(log.events) == 34, what="34 events")
        await pilot.press("home")
        await pilot.pause()
        assert not log.following
        rows_before = [line for line in screen_lines(app) if "  200  " in line]

        drawn.clear()
        added = await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: log.events[-1].id == added, what="the new event")
        await wait_for(pilot, lambda: "35 events" in screen_text(app), what="the status")
        await pilot.pause()
        assert drawn == []  # nothing in view changed
        assert [line for line in screen_lines(app) if "  200  " in line] == rows_before
        assert log.vertical_scrollbar.window_virtual_size == 35
        assert log.cursor == 0 and log.scroll_y == 0


async def test_enter_opens_the_event_detail_pretty(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        token = (await app.client.sentera.get(user.id)).auth_token
        screen = await open_screen(pilot, wait_for, user)
        body = json.dumps({"errors": [{"message": "boom"}], "authToken": token})
        await sandbox_control.post("/_sandbox/clock", json={"advance": 5})
        answer = await sandbox_control.post(
            f"/_sandbox/sentera/{user.id}/events", json={"statusCode": 502, "body": body}
        )
        event_id = answer.json()["event"]["id"]
        log = screen.events_log
        await wait_for(pilot, lambda: log.events[-1].id == event_id, what="event")
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailScreen), what="detail")
        detail = app.screen
        shown_body = str(detail.query_one("#event-body", Static).content)
        assert shown_body.splitlines()[0] == "{"
        assert '  "errors": [' in shown_body
        assert token not in shown_body
        headers = str(detail.query_one("#event-headers", Static).content)
        assert '"Server": [' in headers
        text = screen_text(app)
        assert "502 Bad Gateway" in text
        assert token not in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="closed")


async def test_polling_survives_failures_and_pauses_when_hidden(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        screen = await open_screen(pilot, wait_for, user)
        log = screen.events_log
        await sandbox_control.post("/_sandbox/faults", json={"error_rate": 1, "error_status": 500})
        status = screen.query_one("#events-status", Label)
        await wait_for(pilot, lambda: "polling failed" in str(status.content), what="failure")
        await pilot.pause(FAST * 5)  # several more failed polls
        said = [text for _, text in toasts(app) if "Sentera events" in text.split("\n")[0]]
        assert len(said) == 1  # said once, not every few seconds
        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        event_id = await record_event(sandbox_control, user.id, 200)
        await wait_for(pilot, lambda: log.events[-1].id == event_id, timeout=10, what="recovered")
        assert "polling failed" not in str(status.content)

        # hidden behind another screen: no polling; back: polling again at once
        app.push_screen(Screen())
        await pilot.pause()
        assert not log.polling
        hidden_id = await record_event(sandbox_control, user.id, 200)
        await pilot.pause(FAST * 5)
        assert log.events[-1].id != hidden_id
        app.pop_screen()
        await wait_for(pilot, lambda: log.events[-1].id == hidden_id, what="resumed")
        assert log.polling


# --- the widget at scale -----------------------------------------------------------------------


def synthetic(n: int, start: int = 0) -> list[SenteraEvent]:
    base = datetime(2026, 2, 1, tzinfo=UTC)
    return [
        SenteraEvent(
            id=f"ev-{i:06d}",
            created_date=base + timedelta(seconds=i),
            status_code=(200, 401, 503, 404)[i % 4],
            headers="{}",
            body='{"data": {"ok": true}}',
        )
        for i in range(start, start + n)
    ]


class LogApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EventsLog(max_events=5_000)


async def test_twenty_thousand_events_stay_bounded_and_are_not_rebuilt():
    """How fast is measured in benchmarks/events_poll.py; here, that a poll does no needless
    work: nothing new changes nothing, and one new event leaves the other rows as they were."""
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(EventsLog)
        events = synthetic(20_000)
        assert log.add_events(reversed(events)) == 20_000  # any order in
        await pilot.pause()
        assert len(log.events) == 5_000
        assert log.events[0].id == "ev-015000" and log.events[-1].id == "ev-019999"

        # the same 20,000 again (what the next poll answers): nothing new
        kept = log.events
        before = list(kept)
        assert log.add_events(events) == 0
        assert log.events is kept and all(a is b for a, b in zip(kept, before, strict=True))

        # one new event: appended, the existing rows untouched (same objects, same list)
        before = list(kept[1:])
        assert log.add_events([*events, *synthetic(1, start=20_000)]) == 1
        assert log.events is kept and len(kept) == 5_000
        assert kept[-1].id == "ev-020000"
        assert all(a is b for a, b in zip(kept[:-1], before, strict=True))

        # scrolling through renders only what is visible
        await pilot.press("home")
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert 0 < log.cursor < 100


async def test_late_events_are_inserted_in_order():
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(EventsLog)
        events = synthetic(10)
        log.add_events(events[::2])
        log.add_events(events[1::2])
        await pilot.pause()
        assert [e.id for e in log.events] == [e.id for e in events]
        assert log.selected_event is log.events[-1]
        # many late ones at once (merged rather than inserted one by one)
        more = synthetic(400, start=10)
        log.add_events(more[1::2])
        log.add_events(more[::2])
        assert [e.id for e in log.events] == [e.id for e in [*events, *more]]


async def test_the_cursor_highlights_the_whole_row_status_included():
    app = LogApp()
    async with app.run_test(size=SIZE) as pilot:
        log = app.query_one(EventsLog)
        log.add_events(synthetic(4))  # 200, 401, 503, 404: every status colour
        log.focus()
        await pilot.pause()
        cursor = log.get_component_rich_style("events-log--cursor").bgcolor
        plain = log.rich_style.bgcolor
        for y in range(4):
            row = log.render_line(y)
            backgrounds = {segment.style.bgcolor for segment in row if segment.style}
            # the time, the status code and the summary: one background, the cursor's or not
            assert backgrounds == {cursor if y == log.cursor else plain}, y


async def test_a_failed_delete_is_reported_and_changes_nothing(
    make_app, ready, wait_for, sandbox_control
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        user = (await sentera_users(app))["OK"][0]
        screen = await open_screen(pilot, wait_for, user)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await sandbox_control.post("/_sandbox/faults", json={"error_rate": 1, "error_status": 500})
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: toast_says(app, "delete the Sentera credential"),
            what="the error notification",
        )
        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        assert app.screen is screen
        assert card(screen, "status") == "OK"
        assert (await app.client.sentera.get(user.id)).status == "OK"
