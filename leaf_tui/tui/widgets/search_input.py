"""The Users search box: an Input whose typing neither lays out the whole screen nor waits a
frame for its results."""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchInput(Input):
    """Textual's Input sets its virtual size (the text's width, for scrolling it sideways) on
    every keystroke, and a widget's virtual size is a reactive that lays out the whole screen:
    every widget placed and drawn again per key. This box's size never depends on its text (it
    is sized by the search bar), so its virtual size changes only what is scrolled.

    `on_typed` is called with the new value while the key is handled, before the box is drawn
    again. Through Input.Changed (a message handled after that frame), the results came a frame
    later: up to 1/60 s more per key, and every key drew the screen twice."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(
        self, *, on_typed: Callable[[str], None], placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._on_typed = on_typed

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self._on_typed(value)
