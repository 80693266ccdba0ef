"""The Magic links screen, driven by Pilot against the sandbox (ASGITransport, frozen clock)."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import OptionList

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LinkKind, LinkRequest, MagicLink
from leaf_tui.common import clipboard, clock
from leaf_tui.domain.link_filters import LinkFilters, StateFilter, matches
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.help import HelpScreen
from leaf_tui.tui.screens.link_details import LinkDetailsScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.widgets.links_table import LinksTable
from tests.tui.toasts import toasts

SIZE = (120, 40)
BASE = "http://sandbox.test"


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll every 0.2 s so "appears within the polling interval" is quick to observe."""
    monkeypatch.setattr(LinksScreen, "POLL_SECONDS", 0.2)


async def open_links(
    pilot: Any, ready: Any, wait_for: Any, user_id: str | None = None
) -> LinksScreen:
    await ready(pilot)
    pilot.app.open_links(user_id)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LinksScreen), what="links screen")
    screen = pilot.app.screen
    assert isinstance(screen, LinksScreen)
    await wait_for(pilot, lambda: screen.polls >= 1, what="first poll")
    await wait_for(pilot, lambda: not screen.view.resolving, what="user names")
    return screen


@pytest.fixture
def links_screen(make_app: Any, ready: Any, wait_for: Any) -> Any:
    """`async with links_screen(user_id=…, **run_test options) as (app, pilot, screen):` the
    app on the Links screen, its first poll and the users' names in."""

    @asynccontextmanager
    async def run(user_id: str | None = None, **options: Any) -> AsyncIterator[Any]:
        app = make_app()
        async with app.run_test(**{"size": SIZE, **options}) as pilot:
            yield app, pilot, await open_links(pilot, ready, wait_for, user_id)

    return run


def visible_link(table: LinksTable, pick: Callable[[MagicLink], bool]) -> MagicLink:
    for key in table.visible_keys():
        if pick(table.links[key]):
            return table.links[key]
    raise AssertionError("no visible link fits")


def on_screen(app: Any, text: str) -> bool:
    """What the terminal shows (the compositor's output), not just the table's data."""
    return text.replace(" ", "&#160;") in app.export_screenshot()


def usable(link: MagicLink) -> bool:
    return not link.is_expired(clock.now()) and not link.is_used_up


async def test_all_kinds_in_one_table_keyed_by_link_id(links_screen: Any) -> None:
    async with links_screen() as (app, _pilot, screen):
        api_links = await app.client.links.list_all()
        table = screen.table
        assert sorted(table.keys) == sorted(link.id for link in api_links)
        assert {link.kind for link in table.links.values()} == set(LinkKind)
        # newest first
        created = [table.links[key].created_at for key in table.keys]
        assert created == sorted(created, reverse=True)
        expires = {table.cell_text(key, "expires") for key in table.keys}
        assert "expired" in expires and len(expires) > 10
        uses = [table.cell_text(key, "uses") for key in table.keys]
        assert any(u.startswith("3/3 ██████") for u in uses)
        assert any(u.startswith("0/3 ░░░░░░") for u in uses)
        # names, not ids, once resolved
        some = table.links[table.keys[0]]
        user = await app.client.users.get(some.leaf_user_id)
        assert table.cell_text(some.id, "user") == user.display_name[:17] + (
            "…" if len(user.display_name) > 18 else user.display_name[17:]
        )
        assert "links" in str(screen.query_one("#links-status").render())
        # and the terminal shows the first row's cells
        first = table.keys[0]
        assert on_screen(app, table.cell_text(first, "uses"))


async def test_landing_page_visit_updates_the_uses_cell_in_place(
    links_screen: Any, wait_for: Any, sandbox_control: Any, fast_poll: None
) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        link = visible_link(table, lambda link: usable(link) and link.usage_count == 0)
        keys_before = table.keys
        rows_before = {key: table.rows[key] for key in keys_before}  # the row objects
        assert table.cell_text(link.id, "uses") == "0/3 ░░░░░░"
        assert table.cell_text(link.id, "accessed") == "never"

        # a grower opens the link: the raw landing page, not our client
        page = await sandbox_control.get(f"{BASE}/magic-link/{link.id}")
        assert page.status_code == 200

        await wait_for(
            pilot, lambda: table.cell_text(link.id, "uses") == "1/3 ██░░░░", what="uses cell"
        )
        assert table.cell_text(link.id, "accessed") == "just now"
        assert on_screen(app, "just now")
        # same rows, same order, same Row objects: updated in place, not rebuilt
        assert table.keys == keys_before
        assert all(table.rows[key] is row for key, row in rows_before.items())


async def test_a_new_link_above_keeps_the_cursor_on_its_link(
    links_screen: Any, wait_for: Any, fast_poll: None
) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        await pilot.press("down", "down", "down")
        highlighted = table.current_link
        assert highlighted is not None and table.cursor_row == 3
        row = table.rows[highlighted.id]
        some = table.links[table.keys[0]]
        assert some.leaf_user_id
        request = LinkRequest(kind=LinkKind.PROVIDER, allowed_providers=("JohnDeere",))
        await app.client.links.create_for_user(some.leaf_user_id, request)
        count = table.row_count
        await wait_for(pilot, lambda: table.row_count == count + 1, what="the new link")
        # newest first: the new link is above, and the cursor moved down with its link
        assert table.cursor_row == 4
        assert table.current_link is not None and table.current_link.id == highlighted.id
        assert table.rows[highlighted.id] is row  # the same row, not rebuilt
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == highlighted.link, what="the copy")


async def test_usage_change_through_control_api_shows_used_up(
    links_screen: Any, wait_for: Any, sandbox_control: Any, fast_poll: None
) -> None:
    async with links_screen() as (_app, pilot, screen):
        table = screen.table
        link = visible_link(table, lambda link: usable(link) and link.usage_count == 2)
        answer = await sandbox_control.post(f"/_sandbox/links/{link.id}/visit")
        assert answer.status_code == 200
        await wait_for(
            pilot, lambda: table.cell_text(link.id, "uses") == "3/3 ██████", what="used up"
        )
        assert table.links[link.id].is_used_up


async def test_shifting_the_clock_past_expiry_shows_expired(
    links_screen: Any, wait_for: Any, sandbox_control: Any, fast_poll: None
) -> None:
    async with links_screen() as (_app, pilot, screen):
        table = screen.table
        link = visible_link(
            table, lambda link: usable(link) and link.seconds_left(clock.now()) < 3600
        )
        assert table.cell_text(link.id, "expires") not in ("expired", "—")
        left = link.seconds_left(clock.now())
        assert left is not None
        shift = left + 60
        answer = await sandbox_control.post("/_sandbox/clock", json={"advance": shift})
        assert answer.status_code == 200
        clock.freeze(clock.now() + timedelta(seconds=shift))

        await wait_for(
            pilot, lambda: table.cell_text(link.id, "expires") == "expired", what="expired"
        )
        # the sandbox agrees: its landing page refuses the link now
        page = await sandbox_control.get(f"{BASE}/magic-link/{link.id}")
        assert page.status_code == 410
        # and the state filter puts it under "expired"
        screen.show_state(StateFilter.EXPIRED)
        await pilot.pause()
        assert link.id in table.keys


async def test_countdown_ticks_only_the_visible_rows(links_screen: Any, wait_for: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        visible = table.visible_keys()
        hidden = [key for key in table.keys if key not in visible]
        assert visible and hidden, "the demo data should overflow a 40-line terminal"
        ticking = visible_link(
            table, lambda link: 60 < (link.seconds_left(clock.now()) or 0) < 3600
        )
        off_screen = next(
            key for key in hidden if 60 < (table.links[key].seconds_left(clock.now()) or 0) < 86400
        )
        before = table.cell_text(ticking.id, "expires")
        hidden_before = table.cell_text(off_screen, "expires")

        clock.freeze(clock.now() + timedelta(seconds=7))
        await wait_for(
            pilot, lambda: table.cell_text(ticking.id, "expires") != before, what="a tick"
        )
        minutes, seconds = before.split()
        total = int(minutes[:-1]) * 60 + int(seconds[:-1]) - 7
        after = f"{total // 60}m {total % 60:02d}s"
        assert table.cell_text(ticking.id, "expires") == after
        assert on_screen(app, after) and not on_screen(app, before)
        # rows out of view are left alone by the ticker...
        assert table.cell_text(off_screen, "expires") == hidden_before
        # ...and catch up as soon as they scroll into view
        table.move_cursor(row=table.keys.index(off_screen))
        await pilot.pause()
        await wait_for(
            pilot,
            lambda: table.cell_text(off_screen, "expires") != hidden_before,
            what="caught up on scroll",
        )


async def test_state_filter_cycles_with_f(links_screen: Any) -> None:
    async with links_screen() as (_app, pilot, screen):
        table = screen.table
        everything = list(screen.links.values())
        seen: dict[StateFilter, int] = {}
        for _ in range(len(StateFilter)):
            await pilot.press("f")
            await pilot.pause()
            state = screen.filters.state
            expected = {
                link.id
                for link in everything
                if matches(link, LinkFilters(state=state), clock.now())
            }
            assert set(table.keys) == expected, state
            assert state.label in str(screen.query_one("#links-filters").render())
            seen[state] = len(expected)
        assert screen.filters.state is StateFilter.ALL
        assert seen[StateFilter.ALL] == len(everything)
        for state in (StateFilter.EXPIRING, StateFilter.EXPIRED, StateFilter.USED_UP):
            assert 0 < seen[state] < len(everything)
        assert seen[StateFilter.EXPIRING] < seen[StateFilter.ACTIVE]


async def test_kind_filter_cycles_with_k(links_screen: Any) -> None:
    async with links_screen() as (_app, pilot, screen):
        table = screen.table
        for kind in LinkKind:
            await pilot.press("K")
            await pilot.pause()
            assert screen.filters.kind is kind
            shown = {table.links[key].kind for key in table.keys}
            assert shown == {kind}
            assert table.row_count == sum(1 for link in screen.links.values() if link.kind is kind)
            assert table.cell_text(table.keys[0], "kind") == kind.path
        await pilot.press("K")
        await pilot.pause()
        assert screen.filters.kind is None and table.row_count == len(screen.links)


async def test_links_of_one_user(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        links = await app.client.links.list_all()
        user_id = links[0].leaf_user_id
        assert user_id
        screen = await open_links(pilot, ready, wait_for, user_id=user_id)
        table = screen.table
        assert set(table.keys) == {link.id for link in links if link.leaf_user_id == user_id}
        user = await app.client.users.get(user_id)
        await wait_for(
            pilot,
            lambda: (
                f"user: {user.display_name}" in str(screen.query_one("#links-filters").render())
            ),
            what="the user's name in the filter bar",
        )
        # x drops every filter, the user too
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == len(links)


async def test_name_filter_typed_after_slash(links_screen: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        link = screen.links[table.keys[0]]
        name = screen.names[link.leaf_user_id or ""]
        word = name.split()[0]
        await pilot.press("slash")
        await pilot.pause()
        assert screen.focused is screen.query_one("#links-name")
        await pilot.press(*word.lower())
        await pilot.pause()
        assert link.id in table.keys
        assert 0 < table.row_count < len(screen.links)
        for key in table.keys:
            assert word.casefold() in screen.names[table.links[key].leaf_user_id or ""].casefold()
        # escape returns to the table and keeps the filter
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(screen.focused, LinksTable)
        assert isinstance(app.screen, LinksScreen)
        assert screen.filters.user_text == word.lower()
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == len(screen.links)


async def test_filters_from_the_command_palette(links_screen: Any, wait_for: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"Links: used up")
        hits = app.screen.query_one(OptionList)
        await wait_for(
            pilot,
            lambda: (
                hits.option_count > 0
                and "Links: used up" in str(hits.get_option_at_index(0).prompt)
            ),
            what="the filter command listed first",
        )
        if hits.highlighted is None:
            await pilot.press("down")
        assert hits.highlighted == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.filters.state is StateFilter.USED_UP, what="filter")
        assert all(screen.table.links[key].is_used_up for key in screen.table.keys)


async def test_copy_link_and_message(
    links_screen: Any, wait_for: Any, clipboard_backend: list[str]
) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        link = table.current_link
        assert link is not None
        await pilot.press("c")
        await wait_for(pilot, lambda: clipboard_backend == [link.link], what="system clipboard")
        assert app.clipboard == link.link
        assert link.link.startswith(f"{BASE}/magic-link/")

        await pilot.press("m")
        await wait_for(pilot, lambda: len(clipboard_backend) == 2, what="message copied")
        assert clipboard_backend[-1] == app.clipboard
        name = screen.names[link.leaf_user_id or ""]
        assert app.clipboard.startswith(f"Hi {name},")
        assert link.link in app.clipboard
        for provider in link.providers:
            assert provider in app.clipboard


async def test_a_stuck_system_clipboard_leaves_the_keys_live(
    make_app: Any, ready: Any, wait_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyperclip runs off the UI loop: while it hangs the screen still answers keys, OSC 52 has
    gone already, and the report comes when pyperclip returns."""
    release = threading.Event()
    copied: list[str] = []

    def stuck(text: str) -> None:
        release.wait(30)
        copied.append(text)

    monkeypatch.setattr(clipboard, "DEFAULT_TIMEOUT", 30.0)  # only the release ends the hang
    previous = clipboard.set_backend(stuck)
    try:
        app = make_app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = await open_links(pilot, ready, wait_for)
            link = screen.table.current_link
            assert link is not None
            await pilot.press("c")
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            assert app.clipboard == link.link  # OSC 52 went at once, on the loop
            await pilot.pause()
            assert copied == [] and not toasts(app)  # the system copy is still stuck
            release.set()
            await wait_for(pilot, lambda: bool(toasts(app)), what="copy report")
            assert copied == [link.link]
            assert toasts(app) == [("information", "Link: Copied (system clipboard + OSC 52)")]
    finally:
        release.set()
        clipboard.set_backend(previous)


async def test_delete_confirmed_removes_the_link(
    links_screen: Any, wait_for: Any, sandbox_control: Any
) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        await pilot.press("down", "down")
        link = table.current_link
        assert link is not None and link.kind is not None
        before = table.row_count
        counts = (await sandbox_control.get("/_sandbox/counts")).json()

        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: link.id not in table.keys, what="row removed")
        assert table.row_count == before - 1
        with pytest.raises(NotFound):
            await app.client.links.get(link.kind, link.id)
        after = (await sandbox_control.get("/_sandbox/counts")).json()
        assert after != counts
        # the cursor stays where it was, on the next link
        assert table.cursor_row == 2


async def test_delete_cancelled_keeps_the_link(links_screen: Any, wait_for: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        link = screen.table.current_link
        assert link is not None and link.kind is not None
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert link.id in screen.table.keys
        assert (await app.client.links.get(link.kind, link.id)).id == link.id


async def test_poll_failures_are_reported_and_polling_recovers(
    links_screen: Any, wait_for: Any, sandbox_control: Any, fast_poll: None
) -> None:
    async with links_screen(notifications=True) as (app, pilot, screen):
        rows = screen.table.row_count
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1.0, "error_status": [500]}
        )
        await wait_for(pilot, lambda: screen.view.failures >= 2, what="failing polls")
        status = str(screen.query_one("#links-status").render())
        assert "last poll failed" in status and "retrying in" in status
        assert screen.table.row_count == rows, "the last good data stays on screen"
        errors = [text for severity, text in toasts(app) if severity == "error"]
        assert len(errors) == 1, "one notification per streak, not one per poll"

        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        polls = screen.polls
        screen.action_refresh()
        await wait_for(pilot, lambda: screen.polls > polls, what="recovered")
        assert screen.view.failures == 0
        assert "failed" not in str(screen.query_one("#links-status").render())


async def test_polling_pauses_while_hidden(
    links_screen: Any, wait_for: Any, fast_poll: None
) -> None:
    async with links_screen() as (app, pilot, screen):
        await wait_for(pilot, lambda: screen.polls >= 3, what="polling")
        await app.push_screen(Screen())
        await pilot.pause(0.3)
        polls = screen.polls
        await pilot.pause(0.8)
        assert screen.polls == polls, "no polls while another screen covers this one"
        app.pop_screen()
        await wait_for(pilot, lambda: screen.polls > polls, what="polling again")


async def test_details_modal_shows_every_field(links_screen: Any, wait_for: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        link = screen.table.current_link
        assert link is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkDetailsScreen), what="details")
        details = app.screen
        assert isinstance(details, LinkDetailsScreen)
        rows = dict(details.rows)
        assert rows["Id"] == link.id and rows["Link"] == link.link
        assert rows["Kind"].startswith(link.kind.label if link.kind else "?")
        assert rows["User"].startswith(screen.names[link.leaf_user_id or ""])
        assert {"Background colour", "Company name", "Disconnect option", "State"} <= set(rows)
        assert link.id in app.export_screenshot()  # and it is on screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="closed")


class RecordingBrowser(webbrowser.BaseBrowser):
    def __init__(self) -> None:
        super().__init__("recording")
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


async def test_open_in_browser(
    links_screen: Any, wait_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = RecordingBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    async with links_screen(notifications=True) as (app, pilot, screen):
        link = screen.table.current_link
        assert link is not None
        await pilot.press("o")
        await wait_for(pilot, lambda: browser.opened == [link.link], what="browser opened")
        await wait_for(
            pilot,
            lambda: any("Opened" in text for _, text in toasts(app)),
            what="notification",
        )


async def test_open_without_a_browser_says_so(
    make_app: Any, ready: Any, wait_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_links(pilot, ready, wait_for)
        await pilot.press("o")
        await wait_for(
            pilot,
            lambda: any("press c to copy" in text for _, text in toasts(app)),
            what="no-browser notification",
        )


async def test_renew_opens_the_wizard_prefilled_from_the_link(
    links_screen: Any, wait_for: Any
) -> None:
    from leaf_tui.tui.screens.wizard import WizardScreen

    async with links_screen() as (app, pilot, screen):
        table = screen.table
        link = next(
            table.links[key]
            for key in table.keys
            if table.links[key].kind is LinkKind.PROVIDER and table.links[key].settings.company_name
        )
        table.move_cursor(row=table.keys.index(link.id))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="wizard")
        draft = app.screen.draft
        assert draft.kind is LinkKind.PROVIDER
        assert draft.user is not None and draft.user.id == link.leaf_user_id
        assert set(draft.providers) == set(link.providers)
        assert draft.company_name == link.settings.company_name
        # the links screen is hidden now: its polling pauses
        await pilot.pause()
        assert not screen.is_live


async def test_new_link_for_the_user_whose_links_are_shown(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    from leaf_tui.tui.screens.wizard import WizardScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        links = await app.client.links.list_all()
        user_id = links[5].leaf_user_id
        await open_links(pilot, ready, wait_for, user_id=user_id)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="wizard")
        user = app.screen.draft.user
        assert user is not None and user.id == user_id


async def test_a_user_without_links_is_named(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await app.client.users.create(name="Nora Linkless", external_id="CRM-NOLINKS")
        screen = await open_links(pilot, ready, wait_for, user_id=user.id)
        await wait_for(
            pilot,
            lambda: "user: Nora Linkless" in str(screen.query_one("#links-filters").render()),
            what="the user's name",
        )
        assert screen.table.row_count == 0
        assert "No links match" in str(screen.query_one("#links-status").render())


async def test_mouse_click_selects_a_row(links_screen: Any) -> None:
    async with links_screen() as (_app, pilot, screen):
        table = screen.table
        assert table.cursor_row == 0
        await pilot.click(LinksTable, offset=(40, 1 + 4))  # header line, then the 5th row
        await pilot.pause()
        assert table.cursor_row == 4
        assert table.current_link is table.links[table.keys[4]]


async def test_a_very_narrow_terminal_scrolls_the_table_sideways(links_screen: Any) -> None:
    # 60 columns: narrower than the narrowest layout, so the table scrolls sideways
    async with links_screen(size=(60, 24)) as (app, pilot, screen):
        table = screen.table
        assert on_screen(app, "Expires") and not on_screen(app, "Providers")
        link = table.current_link
        await pilot.press("ctrl+pagedown")  # a page to the right
        await pilot.pause()
        assert on_screen(app, "Providers") and not on_screen(app, "Expires")
        assert link is not None
        assert on_screen(app, link.kind.path if link.kind else "?")  # its row, scrolled with it
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == 1 and on_screen(app, "Providers")  # still to the right
        await pilot.press("ctrl+pageup")
        await pilot.pause()
        assert on_screen(app, "Expires")


HEADERS_80 = ("Expires", "Accessed", "Uses", "User", "Kind", "Providers")
HEADERS_100 = ("Expires in", "Accessed", "Uses", "User", "Kind", "Providers")


@pytest.mark.parametrize(("size", "headers"), [((100, 30), HEADERS_100), ((80, 24), HEADERS_80)])
async def test_the_columns_fit_a_narrow_terminal(
    links_screen: Any, size: tuple[int, int], headers: tuple[str, ...]
) -> None:
    """Every column header whole on screen, no sideways scrolling, each row's providers readable
    (whole names, `+N` for the rest, or cut with "…")."""
    async with links_screen(size=size) as (app, pilot, screen):
        table = screen.table
        lines = [
            line.text
            for line in (table.render_line(y) for y in range(table.size.height))
            if line.text.strip()
        ]
        header = lines[0].split()
        assert " ".join(header) == " ".join(headers)  # whole, in order, nothing else
        for title in headers:
            assert on_screen(app, title)
        assert table.max_scroll_x == 0  # nothing to the side
        start = lines[0].index("Providers")
        seen = 0
        for key, line in zip(table.visible_keys(), lines[1:], strict=False):
            shown = line[start:].strip()
            providers = table.links[key].providers
            assert shown, line
            if not providers:
                assert shown == "—"
                continue
            seen += 1
            assert on_screen(app, shown)
            names, _, more = shown.partition(" +")
            if names.endswith("…"):
                assert providers[0].startswith(names[:-1])
                continue
            shown_names = names.split(", ")  # each whole, or its short form (Raven, FieldView)
            assert all(n in p for n, p in zip(shown_names, providers, strict=False)), shown
            assert int(more or 0) == len(providers) - len(shown_names)
        assert seen >= 5
        await pilot.press("down")  # the cursor still moves on its rows
        await pilot.pause()
        assert table.cursor_row == 1


async def test_theme_change_recolours_without_losing_rows(links_screen: Any) -> None:
    async with links_screen() as (app, pilot, screen):
        table = screen.table
        key = next(k for k in table.visible_keys() if table.cell_text(k, "expires") == "expired")
        before = table.get_component_rich_style("links-table--expired")
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
        after = table.get_component_rich_style("links-table--expired")
        assert after != before and after.color is not None
        assert on_screen(app, table.cell_text(key, "user"))
        assert after.color.triplet is not None
        assert after.color.triplet.hex in app.export_screenshot()  # drawn in the new colour
        assert table.row_count == len(screen.links)
