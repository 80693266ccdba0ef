"""styles_cache_fix: closed screens' line caches are freed, not kept by Textual's lru_cache.

The canary: these fail when a Textual release fixes the leak (Textualize/textual#6665) or is one
the workaround was not written for; then delete the module (or check it and extend WRITTEN_FOR)."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from leaf_tui.tui import styles_cache_fix


class _Page(Screen[None]):
    def compose(self) -> ComposeResult:
        for n in range(20):
            yield Label(f"line {n}")


def _live_styles_caches() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache))


async def _live_styles_caches_after(screens: int) -> int:
    """How many more StylesCaches are alive after `screens` screens were opened and closed than
    before (earlier tests in this process may have left their own)."""
    before = _live_styles_caches()
    app: App[None] = App()
    async with app.run_test() as pilot:
        for _ in range(screens):
            await app.push_screen(_Page())
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
        await pilot.pause()
        return _live_styles_caches() - before


def test_canary_the_installed_textual_is_one_the_workaround_was_written_for() -> None:
    assert styles_cache_fix.textual_version() in styles_cache_fix.WRITTEN_FOR, (
        "a Textual release the StylesCache workaround was not written for: check whether "
        "https://github.com/Textualize/textual/issues/6665 is fixed there"
    )
    assert styles_cache_fix.applies()


def test_off_on_a_version_it_was_not_written_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(styles_cache_fix, "textual_version", lambda: (9, 0))
    monkeypatch.setattr(StylesCache, "get_inner_outer", styles_cache_fix.TEXTUALS_OWN)
    assert styles_cache_fix.apply() is False
    assert StylesCache.get_inner_outer is styles_cache_fix.TEXTUALS_OWN


async def test_closed_screens_line_caches_are_freed() -> None:
    # Textual's own method, not whatever is installed now: importing the app has applied the fix
    textuals: Callable[..., object] = styles_cache_fix.TEXTUALS_OWN
    styles_cache_fix.apply()
    fixed = await _live_styles_caches_after(10)
    StylesCache.get_inner_outer = textuals  # type: ignore[method-assign]
    try:
        # Textual 8.2.8 keeps ~21 per closed screen; once this assert fails (the canary), the
        # leak is fixed upstream and the workaround can go.
        kept = await _live_styles_caches_after(10)
        assert kept >= fixed + 10 * 20
    finally:
        styles_cache_fix.apply()
    assert fixed < 20
