"""Our Footer: refreshing bindings many times keeps a fixed number of keys alive."""

from __future__ import annotations

import gc

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from leaf_tui.tui.widgets.footer import Footer


class _FooterApp(App[None]):
    BINDINGS = [Binding("a", "noop", "One"), Binding("b", "noop", "Two")]

    def __init__(self, footer_class: type[TextualFooter]) -> None:
        super().__init__()
        self.footer_class = footer_class

    def compose(self) -> ComposeResult:
        yield self.footer_class()

    def action_noop(self) -> None:
        pass


def _detached_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey) and not o.is_attached)


async def _refresh_many(footer_class: type[TextualFooter], times: int) -> int:
    app = _FooterApp(footer_class)
    async with app.run_test() as pilot:
        for _ in range(times):
            app.screen.refresh_bindings()
            await pilot.pause()
        await pilot.pause()
        return _detached_keys()


async def test_refreshing_bindings_leaves_no_old_keys_alive() -> None:
    # Textual's own Footer keeps them (the reason ours exists); once a Textual upgrade makes
    # the first assert fail, the subclass can go.
    assert await _refresh_many(TextualFooter, 20) >= 20
    assert await _refresh_many(Footer, 20) <= 4
