"""Our Footer shows whole keys only: at 120 columns every screen's keys sit before the `^p palette`
key, which covers the last column; narrower, the keys that do not fit are left out whole, in
order, and `? Help` stays."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardScreen
from leaf_tui.tui.widgets.footer import Footer, key_width

WIDE, NARROW = 120, 80


class _ManyKeys(App[None]):
    BINDINGS = [
        *(Binding(k, f"noop('{k}')", f"Do {k}") for k in "abcdefgh"),  # 8 columns each
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, compact: bool = False) -> None:
        super().__init__()
        self.compact = compact

    def compose(self) -> ComposeResult:
        yield Footer(compact=self.compact)

    def action_noop(self, key: str) -> None:
        pass

    def action_help(self) -> None:
        pass


def footer_row(app: App[Any]) -> str:
    return app.screen._compositor.render_strips()[-1].text


def assert_clean(screen: Screen[Any], width: int) -> list[str]:
    """Every key whole, left to right from the first column, before the palette key, which
    ends at the last column; returns the keys' descriptions."""
    footer = screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    [palette] = [key for key in keys if key.has_class("-command-palette")]
    keys.remove(palette)
    x = 0
    for key in keys:
        assert key.region.x == x and key.region.width == key_width(key), key.description
        x = key.region.right
    assert x <= palette.region.x
    assert palette.region.right == width and palette.region.width == key_width(palette)
    row = footer_row(screen.app)
    assert row.startswith(" ") and row.endswith("▏^p palette "), row
    for key in keys:
        assert f" {key.key_display} {key.description} " in row, (key.description, row)
    return [key.description for key in keys]


async def test_keys_that_do_not_fit_are_left_out_whole_and_help_stays() -> None:
    app = _ManyKeys()
    async with app.run_test(size=(WIDE, 5)) as pilot:
        await pilot.pause()
        assert len(assert_clean(app.screen, WIDE)) == 9  # all of them
        await pilot.resize_terminal(NARROW, 5)
        await pilot.pause()
        await pilot.pause()
        shown = assert_clean(app.screen, NARROW)  # 80 - 12 (palette) - 8 (help): 7 keys
        assert shown == [f"Do {k}" for k in "abcdefg"] + ["Help"]
        await pilot.resize_terminal(50, 5)
        await pilot.pause()
        await pilot.pause()
        assert assert_clean(app.screen, 50) == ["Do a", "Do b", "Do c", "Help"]


async def test_a_compact_footer_keeps_its_last_column_too() -> None:
    """Textual's compact footer gives the palette key a right margin: the last column showed
    whatever ran under it ("▏^p palettef")."""
    app = _ManyKeys(compact=True)
    async with app.run_test(size=(NARROW, 5)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        for key in keys:
            palette = key.has_class("-command-palette")
            margin = 0 if palette else 1
            assert key.region.width + margin == key_width(key, compact=True)
            assert not palette or key.region.right == NARROW
        assert footer_row(app).endswith("▏^p palette ")


async def _every_screen(pilot: Any, wait_for: Any, width: int) -> dict[str, list[str]]:
    """Users, Links, Sentera, the wizard and the link result, at `width` columns: their keys."""
    app = pilot.app
    await pilot.resize_terminal(width, 40)
    shown: dict[str, list[str]] = {}

    async def check(name: str) -> None:
        await pilot.pause()
        await pilot.pause()
        shown[name] = assert_clean(app.screen, width)

    await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen) and app.screen.is_ready)
    await check("users")
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen) and app.screen.is_ready)
    await check("links")
    await pilot.press("f")  # a filter on: the bar changes, the footer still fits
    await check("links filtered")
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
    user = next(u for u in await app.client.users.list_all() if "sentera" in u.providers)
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


async def test_every_screen_footer_at_120_and_80_columns(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=(WIDE, 40)) as pilot:
        await ready(pilot)
        wide = await _every_screen(pilot, wait_for, WIDE)
        assert {"Copy link", "Copy message", "Open", "Renew", "Delete", "Help", "Quit"} <= set(
            wide["links"]
        )
        assert wide["links filtered"] == wide["links"]
        narrow = await _every_screen(pilot, wait_for, NARROW)
    for name, keys in narrow.items():
        assert "Help" in keys or "Help" not in wide[name], name
        # the same keys, in the same order, fewer of them
        assert [k for k in wide[name] if k in keys] == keys, name
