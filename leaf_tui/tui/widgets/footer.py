"""Footer: Textual's Footer without its leak of old keys, and without keys cut at the edge.

Textual 8.2.8's Footer recomposes on every `refresh_bindings` and data-binds each new FooterKey
to its own `compact`. The binding is a watcher stored on the Footer, holding the key; watchers
of removed keys are only dropped when `compact` changes, which never happens. So a Footer that
lives long (the Users screen's) kept every key it ever built, ~20 KB each. This one drops the
watchers of closed keys after each recompose.

Textual's Footer also lays out every key however narrow the terminal: the last ones run under
the `^p palette` key docked on the right and are cut mid-word ("a Ad▏^p palette"). This one
shows the keys in order while they fit whole, and always `? Help` (which lists the rest).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

KEPT_ACTIONS = frozenset({"help"})  # shown whatever else is left out: it lists every key


def key_width(key: FooterKey, *, compact: bool = False) -> int:
    """Columns a key takes in the footer, by Textual 8.2.8's FooterKey styles (tests check it
    against the laid-out keys)."""
    label, description = cell_len(key.key_display), cell_len(key.description)
    if key.has_class("-command-palette"):
        # always drawn compact: a border, "^p palette", one column of padding
        return 1 + label + 1 + description + 1
    if compact:  # "k Description" and a column of margin
        return label + (1 + description if description else 0) + 1
    return 1 + label + 1 + (description + 1 if description else 0)  # " k Description "


class Footer(TextualFooter):
    # Compact, Textual gives the docked palette key a right margin instead of padding: the last
    # column then showed whatever key ran under it ("▏^p palettef").
    DEFAULT_CSS = """
    Footer.-compact FooterKey.-command-palette {
        margin-right: 0;
        padding-right: 1;
    }
    """
    _composed_width: int | None = None  # the width the keys were chosen for
    _composed_for: tuple[object, ...] | None = None  # the bindings they show
    _recompose_pending = False

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        self._composed_for = self._bindings_shown() if self._bindings_ready else None
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        fixed = [k for k in keys if k.has_class("-command-palette") or k.action in KEPT_ACTIONS]
        width = self.size.width or self.app.size.width
        room = width - sum(map(self._width, fixed))
        shown: list[Widget] = []
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget not in fixed:
                room -= self._width(widget)
                if room < 0:
                    continue  # this and every later key: left out whole, in order
            shown.append(widget)
        self._composed_width = width  # not 0 before the first layout: no second compose then
        yield from shown

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual recomposes on every refresh_bindings (focus moved, a screen pushed or popped,
        # ...), mounting and styling every key again: three or four times before the Users
        # screen's first rows. Only when what the keys show changed.
        unchanged = (
            self._composed_for is not None
            and screen is self.screen
            and self.is_attached
            and self._bindings_shown() == self._composed_for
        )
        if unchanged or self._recompose_pending:
            self._bindings_ready = True
            return  # a recompose already on its way reads the bindings when it runs
        super().bindings_changed(screen)
        self._recompose_pending = bool(
            screen.app.app_focus and self.is_attached and screen is self.screen
        )

    def _bindings_shown(self) -> tuple[object, ...]:
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show or binding.action == "app.command_palette"
            ),
        )

    def _width(self, key: FooterKey) -> int:
        return key_width(key, compact=self.compact)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        self._recompose_pending = False
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
