"""The Users search box: an Input whose typing does not lay out the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchInput(Input):
    """Textual's Input sets its virtual size (the text's width, for scrolling it sideways) on
    every keystroke, and a widget's virtual size is a reactive that lays out the whole screen:
    every widget placed and drawn again per key. This box's size never depends on its text (it
    is sized by the search bar), so its virtual size changes only what is scrolled."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
