"""Our Footer: refreshing bindings many times keeps a fixed number of keys alive."""

from __future__ import annotations

import gc
import weakref

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


def _footer_keys() -> list[FooterKey]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, FooterKey)]


async def _refresh_many(footer_class: type[TextualFooter], times: int) -> int:
    """Detached keys left by this app alone. Earlier tests' keys may outlive their apps: the
    first index load freezes whatever is alive once per process (leaf_tui.tui.long_lived), so
    that test's app stays, with keys it built after the freeze."""
    earlier = weakref.WeakSet(_footer_keys())
    app = _FooterApp(footer_class)
    async with app.run_test() as pilot:
        for _ in range(times):
            app.screen.refresh_bindings()
            await pilot.pause()
        await pilot.pause()
        return sum(1 for k in _footer_keys() if k not in earlier and not k.is_attached)


async def test_refreshing_bindings_leaves_no_old_keys_alive() -> None:
    # Textual's own Footer keeps them (the reason ours exists); once a Textual upgrade makes
    # the first assert fail, the subclass can go.
    assert await _refresh_many(TextualFooter, 20) >= 20
    assert await _refresh_many(Footer, 20) <= 4
