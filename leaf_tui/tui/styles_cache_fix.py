"""Textual 8.2.8 kept the line caches of closed widgets: this drops that hold.

`StylesCache.get_inner_outer` is an `lru_cache(1024)` on an instance method, so its key holds the
widget's StylesCache (and every rendered line in it) until 1,024 other calls push it out: each
closed Sentera or Links screen stayed in memory that way (~0.5 MB a soak cycle, issue 6). The
answer depends on the two colours only, so here it is cached by them alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


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


def apply() -> None:
    """Use the colour-keyed cache (idempotent; call before the app renders)."""
    if StylesCache.get_inner_outer is not _get_inner_outer:
        StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]
