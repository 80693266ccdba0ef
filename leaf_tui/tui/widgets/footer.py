"""Footer: Textual's Footer without its leak of old keys.

Textual 8.2.8's Footer recomposes on every `refresh_bindings` and data-binds each new FooterKey
to its own `compact`. The binding is a watcher stored on the Footer, holding the key; watchers
of removed keys are only dropped when `compact` changes, which never happens. So a Footer that
lives long (the Users screen's) kept every key it ever built, ~20 KB each. This one drops the
watchers of closed keys after each recompose.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        self._drop_stale_watchers()

    def _drop_stale_watchers(self) -> None:
        # Same rule Textual applies when the watched value changes: a closed node's watcher goes.
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for callbacks in watchers.values():
            callbacks[:] = [
                (node, callback)
                for node, callback in callbacks
                if not getattr(node, "_closing", False) and not getattr(node, "_closed", False)
            ]
