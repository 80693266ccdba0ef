"""The command palette as a person searches it: "Switch profile" is always there (with only the
sandbox, it says how to add a profile), and "Theme" comes once and picks a theme."""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from tests.tui.toasts import toasts

SIZE = (120, 40)


async def _search(pilot: Any, wait_for: Any, query: str) -> list[str]:
    """Open the palette, type `query`, and return the hits' titles once they are listed."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    await pilot.press(*query)
    return await _hits(pilot, wait_for, query)


async def _hits(pilot: Any, wait_for: Any, query: str) -> list[str]:
    """The titles listed once the palette holds `query` and its search has finished."""
    app = pilot.app
    palette = app.screen
    hits = palette.query_one(OptionList)

    def searched() -> bool:
        group = CommandPalette._GATHER_COMMANDS_GROUP
        searching = any(w.node is palette and w.group == group for w in app.workers)
        typed = palette.query_one(Input).value == query
        return typed and not searching and hits.option_count > 0

    await wait_for(pilot, searched, what=f"the palette's hits for {query!r}")
    return [
        str(hits.get_option_at_index(i).prompt).split("\n")[0] for i in range(hits.option_count)
    ]


async def _choose_first(pilot: Any) -> None:
    hits = pilot.app.screen.query_one(OptionList)
    if hits.highlighted is None:
        await pilot.press("down")
    await pilot.press("enter")


async def test_switch_profile_with_only_the_sandbox_says_how_to_add_one(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        for query in ("switch", "profile"):
            titles = await _search(pilot, wait_for, query)
            assert titles[0] == "Switch profile", titles
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
        await _search(pilot, wait_for, "profile")
        await _choose_first(pilot)
        await wait_for(pilot, lambda: bool(toasts(app)), what="the explanation")
        [(_, said)] = toasts(app)
        assert "no other profile than sandbox" in said
        assert "leaf-tui login --profile NAME --username EMAIL" in said
        assert app.session.profile_name == "sandbox"  # nothing switched


async def test_theme_is_offered_once_and_picks_a_theme(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = await _search(pilot, wait_for, "theme")
        assert titles.count("Theme") == 1, titles
        assert "Quit" not in titles
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
        titles = await _search(pilot, wait_for, "quit")
        assert titles.count("Quit") == 1, titles
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))

        palette = app.screen
        await _search(pilot, wait_for, "theme")
        await _choose_first(pilot)
        # the theme picker: a palette of themes, searched and chosen like any command
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, CommandPalette) and app.screen is not palette,
            what="the theme picker",
        )
        await pilot.press(*"nord")
        assert "nord" in await _hits(pilot, wait_for, "nord")
        await _choose_first(pilot)
        await wait_for(pilot, lambda: app.theme == "nord", what="the theme to change")


async def test_the_palette_speaks_words_not_class_names(make_app, ready, wait_for):
    """Issue 12: "key: enter · UsersTable" -> "key: enter · Users"."""
    import re

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"open")
        await _hits(pilot, wait_for, "open")
        hits = app.screen.query_one(OptionList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any(prompt.endswith("· Users") for prompt in prompts), prompts
        for prompt in prompts:
            assert not re.search(r"[a-z][A-Z]", prompt.replace("OSC", "")), prompt
