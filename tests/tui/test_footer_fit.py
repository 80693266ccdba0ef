"""Every screen's footer at 120, 100 and 80 columns: keys whole, the palette key at the right
edge, `n`, `?` and `q` kept wherever the screen offers them; a dialog's footer lists only the
dialog's keys, never those of the screen behind it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.event_detail import EventDetailScreen
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from tests.tui.screen_text import footer_row
from tests.tui.sentera_users import with_sentera

MAIN_KEYS = ("n", "question_mark", "q")


def offered(screen: Screen[Any]) -> dict[str, tuple[str, str]]:
    """What the screen's bindings offer to show: key -> (as displayed, description), one key
    per action."""
    shown: dict[str, tuple[str, str]] = {}
    actions: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.action not in actions:
            actions.add(binding.action)
            shown[binding.key] = (screen.app.get_key_display(binding), binding.description)
    return shown


def check_footer(screen: Screen[Any], width: int) -> list[str]:
    """The footer's row: whole keys from the first column, the palette key ending at the last;
    every main key the screen offers is there. Returns the descriptions shown, in order."""
    row = footer_row(screen.app)
    assert len(row) == width, row
    keys, _, palette = row.rpartition("▏")
    assert palette == " ^p palette ", row
    shown: list[tuple[int, str, str]] = []
    for key, (display, description) in offered(screen).items():
        drawn = f" {display} {description} "
        if drawn in keys:
            shown.append((keys.index(drawn), display, description))
        else:
            assert key not in MAIN_KEYS, f"{drawn} missing at {width} columns: {row!r}"
    shown.sort()
    # nothing but whole keys: the row is exactly the keys found, in that order
    assert keys.split() == " ".join(f"{k} {d}" for _, k, d in shown).split(), row
    return [description for _, _, description in shown]


async def _every_screen(pilot: Any, wait_for: Any, width: int) -> dict[str, list[str]]:
    """Users, Links, Sentera, the wizard and the link result, at `width` columns: their keys."""
    app = pilot.app
    await pilot.resize_terminal(width, 40)
    shown: dict[str, list[str]] = {}

    async def check(name: str) -> None:
        await pilot.pause()
        await pilot.pause()
        shown[name] = check_footer(app.screen, width)

    await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen) and app.screen.is_ready)
    await check("users")
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen) and app.screen.is_ready)
    await check("links")
    await pilot.press("f")  # a filter on: the bar changes, the footer still fits
    await check("links filtered")
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
    users = await app.client.users.list_all()
    user = (await with_sentera(app.client, users))[0]
    app.open_sentera(user)
    await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded)
    await check("sentera")
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen))
    await check("wizard")
    await pilot.press("ctrl+s")
    await wait_for(
        pilot, lambda: isinstance(app.screen, LinkResultScreen) and app.screen.link is not None
    )
    await check("link created")
    await pilot.press("escape")
    return shown


async def test_every_screen_footer_at_120_100_and_80_columns(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        wide = await _every_screen(pilot, wait_for, 120)
        assert {"Copy link", "Copy message", "Open", "Renew", "Delete", "Help", "Quit"} <= set(
            wide["links"]
        )
        assert wide["links filtered"] == wide["links"]
        medium = await _every_screen(pilot, wait_for, 100)
        narrow = await _every_screen(pilot, wait_for, 80)
    for name, keys in narrow.items():
        # the same keys, in the same order, fewer of them (and Users' `i Details` where its
        # detail pane gave way, under 120 columns)
        keys = [k for k in keys if name != "users" or k != "Details"]
        assert [k for k in wide[name] if k in keys] == keys, name
        assert [k for k in medium[name] if k in keys] == keys, name
    assert {"Search", "Sentera", "Details", "New link", "Help", "Quit"} <= set(narrow["users"])
    assert "Details" not in wide["users"]  # the detail pane is beside the table
    assert "Details" in medium["users"]
    assert {"Copy link", "New", "Help", "Quit"} <= set(narrow["links"])
    assert {"Create link", "Next", "Help"} <= set(narrow["wizard"])


async def test_a_dialog_footer_lists_only_its_own_keys(make_app, ready, wait_for):
    """Event detail over the Sentera screen showed `r Recreate` and `q Quit` of that screen."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        users = await app.client.users.list_all()
        user = (await with_sentera(app.client, users))[0]
        app.open_sentera(user)
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded)
        await wait_for(pilot, lambda: len(app.screen.events_log.events) > 0, what="events")
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailScreen), what="detail")
        await pilot.pause()
        assert footer_row(app).split() == ["esc", "Close", "n", "New", "link"]  # for its grower
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen), what="back")
        app.push_screen(ConfirmScreen("Delete this?"))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.pause()
        assert footer_row(app).split() == ["y", "Yes", "esc", "No"]
