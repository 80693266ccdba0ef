"""Our Footer: one widget that draws the keys that fit, the least important left out first,
whole; `? Help`, `q Quit` and `n New link` stay; a click presses the key."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding

from leaf_tui.tui.footer_ranks import ALWAYS, DEFAULT_RANK, MAIN
from leaf_tui.tui.widgets.footer import Footer, FooterKey, fit
from tests.tui.screen_text import footer_row


class _ManyKeys(App[None]):
    BINDINGS = [
        Binding("n", "press('n')", "New link", id="app.new_link"),
        *(Binding(k, f"press('{k}')", f"Do {k}") for k in "abcdefgh"),  # 8 columns each
        Binding("question_mark", "press('?')", "Help", id="app.help"),
        Binding("q", "press('q')", "Quit", id="app.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Footer()

    def action_press(self, key: str) -> None:
        self.pressed.append(key)


def _key(name: str, rank: int) -> FooterKey:
    return FooterKey(key=name, display=name, description="x" * 4, enabled=True, rank=rank)


def test_fit_drops_the_least_important_last_declared_first() -> None:
    keys = [_key(k, r) for k, r in (("a", DEFAULT_RANK), ("b", MAIN), ("c", DEFAULT_RANK))]
    keys.append(_key("h", ALWAYS))  # 8 columns each
    assert fit(keys, None, 32) == keys
    assert [k.key for k in fit(keys, None, 31)] == ["a", "b", "h"]
    assert [k.key for k in fit(keys, None, 16)] == ["b", "h"]
    assert [k.key for k in fit(keys, None, 8)] == ["h"]
    palette = _key("^p", MAIN)  # 9 columns and its separator
    assert [k.key for k in fit(keys, palette, 26)] == ["b", "h", "^p"]


async def test_keys_that_do_not_fit_are_left_out_whole_and_the_main_ones_stay() -> None:
    app = _ManyKeys()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        row = footer_row(app)
        every = ["n New link", *(f"{k} Do {k}" for k in "abcdefgh"), "? Help", "q Quit"]
        assert row.split("▏")[0].split() == " ".join(every).split()
        assert row.endswith("▏ ^p palette ") and len(row) == 120
        for width in (80, 50, 41):
            await pilot.resize_terminal(width, 5)
            await pilot.pause()
            row = footer_row(app)
            assert len(row) == width and row.endswith("▏ ^p palette "), row
            shown = row.split("▏")[0]
            assert " n New link " in shown and " ? Help " in shown and " q Quit " in shown, row
            kept = [k for k in "abcdefgh" if f" {k} Do {k} " in shown]
            assert kept == list("abcdefgh")[: len(kept)], row  # the first ones, whole
        assert kept == []  # at 41 columns: n, ?, q and the palette only


async def test_a_click_on_a_key_presses_it() -> None:
    app = _ManyKeys()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        row = footer_row(app)
        await pilot.click(Footer, offset=(row.index("Quit"), 0))
        await pilot.click(Footer, offset=(row.index("Do c"), 0))
        await pilot.pause()
        assert app.pressed == ["q", "c"]
