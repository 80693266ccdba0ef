"""A full screen covered by another full screen lets go of the lines it drew.

Textual keeps every widget's drawn lines (`Strip`s: a dozen objects each for the cyclic
collector, plus a filtered and a cropped copy of each) for as long as the widget lives, in view
or not. The Users screen under the Sentera screen held about a quarter of what a full collection
walked while the events log polled (benchmarks/README.md, "screens out of view"). Textual draws
a screen whole when it resumes, so the lines let go are drawn once more then. Under a dialog a
screen is still in view: it keeps them. (Textual's DataTable keeps drawn rows of its own, and a
Static its rendered content: those stay.)
"""

from __future__ import annotations

from typing import Any, Protocol, cast, runtime_checkable

from textual.screen import ModalScreen, Screen
from textual.widget import Widget


@runtime_checkable
class KeepsDrawnRows(Protocol):
    """A widget that keeps drawn rows of its own, beside Textual's line cache."""

    def forget_drawn_rows(self) -> None: ...


def let_go_of_lines(screen: Screen[Any]) -> None:
    """Drop the drawn lines of `screen`'s widgets; they are drawn again when next shown."""
    for widget in screen.walk_children(Widget, with_self=True):
        if isinstance(widget, KeepsDrawnRows):
            widget.forget_drawn_rows()
        widget.refresh()  # a whole-widget refresh empties its line cache
        if widget.show_vertical_scrollbar:
            widget.vertical_scrollbar.refresh()
        if widget.show_horizontal_scrollbar:
            widget.horizontal_scrollbar.refresh()


def is_covered(screen: Screen[Any]) -> bool:
    """Whether a full (non-modal) screen lies above `screen` on the app's stack: it is out of
    view. Read from the stack, so a screen popped (or not pushed yet) is not covered."""
    stack = screen.app.screen_stack
    if screen not in stack:
        return False
    above = stack[stack.index(screen) + 1 :]
    return any(not isinstance(covering, ModalScreen) for covering in above)


class LetsGoWhenCovered:
    """Mixin for a full screen (listed before `Screen`). Textual calls the `on_screen_suspend`
    of every class in the screen's MRO, so a screen's own handler runs as well as this one."""

    def on_screen_suspend(self) -> None:
        # Read from the stack when the message is handled, not from the suspend itself: a
        # screen popped (or shown again meanwhile) is not covered.
        screen = cast("Screen[Any]", self)
        if is_covered(screen):
            let_go_of_lines(screen)


def redrawn_when_back(screen: Screen[Any]) -> bool:
    """Covered, and a screen that let go of its lines: Textual draws each of its widgets anew
    when it is back, so none needs redrawing meanwhile. (A redraw under a full screen only has
    Textual draw the screen above whole: it repaints there what a screen below marks.)"""
    return isinstance(screen, LetsGoWhenCovered) and is_covered(screen)
