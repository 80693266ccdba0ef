"""Palette entries for the Links screen's filters: "Links: show expired", "Links: only provider"…
(the screen's key bindings are listed by the app's ActionsProvider already)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from leaf_tui.api.models import LinkKind
from leaf_tui.domain.link_filters import StateFilter


class LinkFilterCommands(Provider):
    """One command per state and kind, so a filter is a few letters away without cycling."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        screen: Any = self.screen
        for state in StateFilter:
            title = "Links: all states" if state is StateFilter.ALL else f"Links: {state.label}"
            yield title, partial(screen.show_state, state), "state filter (f cycles)"
        yield "Links: all kinds", partial(screen.show_kind, None), "kind filter (k cycles)"
        for kind in LinkKind:
            title = f"Links: only {kind.path} links"
            yield title, partial(screen.show_kind, kind), "kind filter (k cycles)"

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
