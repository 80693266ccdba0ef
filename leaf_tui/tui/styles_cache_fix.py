"""Workaround for Textual issue #6665 (open): closed widgets' line caches are never freed.

https://github.com/Textualize/textual/issues/6665

`StylesCache.get_inner_outer` is an `lru_cache(1024)` on an instance method, so its key holds the
widget's StylesCache (and every rendered line in it) until 1,024 other calls push it out: each
closed Sentera or Links screen stayed in memory that way (~21 StylesCaches a closed screen,
~0.5 MB a soak cycle, issue 6). The answer depends on the two colours only, so here it is cached
by them alone. There is no public hook: the cache is built inside `Widget.render_lines`.
Measured (2026-12-02, 30 screens of 20 labels and a 40-row table opened and closed): 285 KiB
kept per closed screen and 721 StylesCaches alive with Textual's method, 72 KiB and 1 with this.

Guarded: applied only on the Textual versions it was written for (`WRITTEN_FOR`) and while the
method is still that cache; tests/tui/test_styles_cache_fix.py fails when a Textual release
fixes the leak or moves past these versions, so this module can go.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style

from leaf_tui.tui import textual_version as installed_textual

WRITTEN_FOR = ((8, 2),)
"""The (major, minor) Textual versions whose `get_inner_outer` this replaces."""


def textual_version() -> tuple[int, int]:
    major, minor, *_ = installed_textual.installed().split(".")
    return int(major), int(minor)


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Same values as Textual's own method: the inner and outer background styles."""
    return (Style(background=base_background + background), Style(background=base_background))


def _get_inner_outer(
    _cache: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


TEXTUALS_OWN = StylesCache.get_inner_outer
"""Textual's method as it was before `apply` (tests compare the two)."""


def applies() -> bool:
    """True on a Textual this was written for, whose method is still the leaking cache."""
    return textual_version() in WRITTEN_FOR and hasattr(TEXTUALS_OWN, "cache_info")


def apply() -> bool:
    """Use the colour-keyed cache where `applies()` (idempotent; call before the app renders).
    Returns whether it is in use."""
    if not applies():
        return False
    if StylesCache.get_inner_outer is not _get_inner_outer:
        StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
    return True
