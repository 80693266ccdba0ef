"""The Help screen and the README's keys table are the same list (leaf_tui.tui.key_reference):
every README row is on the Help screen, with the same keys and words."""

from __future__ import annotations

import re
from typing import Any

from leaf_tui.tui.screens.help import HelpScreen
from leaf_tui.tui.screens.links import LinksScreen
from screenshots.tooling import README, keys
from tests.tui.screen_text import widget_text

SIZE = (120, 40)


def shown_sections(help_screen: HelpScreen) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(title, [(keys, what)])] as the Help screen draws them."""
    titles = help_screen.query(".help-section")
    tables = help_screen.query(".help-keys")
    out = []
    for title, table in zip(titles, tables, strict=True):
        rows = [
            re.split(r"\s{2,}", line.strip(), maxsplit=1)
            for line in widget_text(table).splitlines()
        ]
        out.append((widget_text(title).strip(), [(k, what) for k, what in rows if what]))
    return out


def readme_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(title, [(keys, what)])] parsed back from the README's table."""
    out = []
    for line in (keys.section(README.read_text(encoding="utf-8")) or "").splitlines()[2:]:
        title, cells = line.strip("| ").split(" | ", 1)
        entries = []
        for cell in cells.split(" · "):
            found = re.match(r"((?:`[^`]+`/?)+) (.*)", cell)
            assert found, cell
            entries.append((found.group(1), found.group(2)))
        out.append((title, entries))
    return out


async def _open_help(pilot: Any, wait_for: Any) -> HelpScreen:
    app = pilot.app
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
    await pilot.pause()
    return app.screen


async def test_help_lists_every_readme_row(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = shown_sections(await _open_help(pilot, wait_for))
    readme = readme_sections()
    assert [t for t, _ in shown][:2] == ["Users", "Everywhere"]  # the current screen first
    assert sorted(t for t, _ in shown) == sorted(t for t, _ in readme)
    by_title = dict(shown)
    for title, entries in readme:
        on_help = by_title[title]
        assert [what for _, what in on_help] == [what for _, what in entries], title
        # the same number of keys per row: `esc`/`?`/`q` on the README, "esc ? q" in help
        assert [len(k.split()) for k, _ in on_help] == [k.count("`") // 2 for k, _ in entries]
    assert ("⏎", "Open") in by_title["Users"]  # the row the README had and Help lacked
    assert ("`enter`", "Open") in dict(readme)["Users"]


async def test_help_puts_the_current_screen_first(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen), what="links")
        shown = shown_sections(await _open_help(pilot, wait_for))
    assert [t for t, _ in shown][:2] == ["Magic links", "Everywhere"]
    assert ("f", "State filter") in dict(shown)["Magic links"]  # not in the footer, but here
