"""A one-line search box of our own: typing repaints the box, never lays out the screen.

Textual's `Input` lays out the whole screen on every change of its value (its value watcher sets
`virtual_size`, a layout reactive): about 8 ms of the 15 ms a key in the Users search costs over
10,000 users (benchmarks/README.md, "Users search per key"). This box has a fixed size from CSS
and draws its one line with the Line API, so a key typed repaints the box alone.

Every key is handled in the box's own key handler, in the order the keys came: characters,
backspace, delete, the cursor keys and the line-editing keys (ctrl+u, ctrl+k, ctrl+w) never wait
for a binding to bubble up to the app, so of keys that come in one terminal read (a paste
without bracketed paste, tmux send-keys, a busy machine) none overtakes another. tab and
shift+tab move to the next field as the app takes the key in (priority), as in `TextInput`.

What is typed is the user's, but it is drawn as plain segments, never markup; control characters
of a paste become spaces (line breaks, tabs) or are dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

BLANKS = "\t\n\r\v\f"  # control characters that stand for a space in a one-line box


def printable(text: str) -> str:
    """`text` for one line: line breaks and tabs as spaces, other control characters (ESC,
    bidi overrides...) dropped."""
    if text.isprintable():
        return text
    return "".join(
        " " if ch in BLANKS else ch
        for ch in text
        if ch in BLANKS or not unicodedata.category(ch).startswith("C")
    )


def word_start(value: str, cursor: int) -> int:
    """Where the word before `cursor` starts (spaces before it skipped, as ctrl+w does)."""
    i = cursor
    while i > 0 and value[i - 1] == " ":
        i -= 1
    while i > 0 and value[i - 1] != " ":
        i -= 1
    return i


def word_end(value: str, cursor: int) -> int:
    """Where the word after `cursor` ends."""
    i = cursor
    while i < len(value) and value[i] == " ":
        i += 1
    while i < len(value) and value[i] != " ":
        i += 1
    return i


class SearchBox(Widget, can_focus=True):
    """A single-line text field of a fixed size: `value`, a cursor, a placeholder. By default
    it looks like Textual's Input (3 rows: the line between a border); `height: 1; border:
    none` makes it a compact one, as the Links name filter."""

    DEFAULT_CSS = """
    SearchBox {
        width: 1fr;
        height: 3;
        padding: 0 2;
        background: $surface;
        color: $foreground;
        border: tall $border-blurred;
        pointer: text;

        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        & > .search-box--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        & > .search-box--placeholder {
            color: $text-disabled;
        }
        &:ansi {
            background: ansi_default;
            color: ansi_default;
            & > .search-box--cursor {
                background: ansi_white;
                color: ansi_black;
            }
            & > .search-box--placeholder {
                text-style: dim;
                color: ansi_default;
            }
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"search-box--cursor", "search-box--placeholder"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    value: reactive[str] = reactive("", init=False)
    """The text typed. Set from code, the cursor goes to its end."""
    cursor_position: reactive[int] = reactive(0, init=False)
    """The index in `value` the cursor is before (`len(value)`: at the end)."""

    class _ValueMessage(Message):
        """What the box holds, from which box (`control`, as Textual's Input messages have)."""

        def __init__(self, search_box: SearchBox, value: str) -> None:
            super().__init__()
            self.search_box = search_box
            self.value = value

        @property
        def control(self) -> SearchBox:
            return self.search_box

    class Changed(_ValueMessage):
        """The value changed (a key typed, a paste, or set from code)."""

    class Submitted(_ValueMessage):
        """enter in the box (when no screen binding took it first)."""

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder = printable(placeholder)
        self.set_reactive(SearchBox.value, printable(value))
        self.set_reactive(SearchBox.cursor_position, len(self.value))
        self._scroll = 0  # cells of the text left of the box's first column
        # the editing keys, run as the box takes each key in (see the module's docstring)
        self._keys: dict[str, Callable[[], None]] = {
            "backspace": self.delete_left,
            "delete": self.delete_right,
            "ctrl+d": self.delete_right,
            "left": lambda: self.move_to(self.cursor_position - 1),
            "right": lambda: self.move_to(self.cursor_position + 1),
            "home": lambda: self.move_to(0),
            "ctrl+a": lambda: self.move_to(0),
            "end": lambda: self.move_to(len(self.value)),
            "ctrl+e": lambda: self.move_to(len(self.value)),
            "ctrl+left": lambda: self.move_to(word_start(self.value, self.cursor_position)),
            "ctrl+right": lambda: self.move_to(word_end(self.value, self.cursor_position)),
            "ctrl+u": lambda: self.replace(0, self.cursor_position, ""),
            "ctrl+k": lambda: self.replace(self.cursor_position, len(self.value), ""),
            "ctrl+w": lambda: self.replace(
                word_start(self.value, self.cursor_position), self.cursor_position, ""
            ),
        }

    # -- the value and the cursor -------------------------------------------------------------

    def validate_value(self, value: str) -> str:
        return printable(value)

    def validate_cursor_position(self, position: int) -> int:
        return max(0, min(position, len(self.value)))

    def watch_value(self, value: str) -> None:
        self.cursor_position = len(value)  # an edit puts it back where the edit left it
        self.post_message(self.Changed(self, value))

    def replace(self, start: int, end: int, text: str) -> None:
        """Put `text` in place of value[start:end], the cursor after it."""
        text = printable(text)
        self.value = self.value[:start] + text + self.value[end:]
        self.cursor_position = start + len(text)

    def insert_text_at_cursor(self, text: str) -> None:
        self.replace(self.cursor_position, self.cursor_position, text)

    def delete_left(self) -> None:
        if self.cursor_position > 0:
            self.replace(self.cursor_position - 1, self.cursor_position, "")

    def delete_right(self) -> None:
        self.replace(self.cursor_position, self.cursor_position + 1, "")

    def move_to(self, position: int) -> None:
        self.cursor_position = position

    def submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def clear(self) -> None:
        self.value = ""

    # -- input ------------------------------------------------------------------------------

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Textual's hook: the keys this box takes are no screen's while it has the focus (the
        footer leaves them out). Not enter: the screens move the focus on it."""
        return key in self._keys or (character is not None and character.isprintable())

    def on_key(self, event: events.Key) -> None:
        edit = self._keys.get(event.key)
        if edit is not None:
            edit()
        elif event.key == "enter":
            self.submit()
        elif event.is_printable and event.character is not None:
            self.insert_text_at_cursor(event.character)
        else:
            return  # a key for the screen or the app (up, down, escape...): it goes on up
        event.stop()
        event.prevent_default()

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.insert_text_at_cursor(event.text.strip("\r\n"))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        column = offset.x + self._scroll  # in the text
        cells = 0
        for index, char in enumerate(self.value):
            cells += get_character_cell_size(char)
            if column < cells:
                self.move_to(index)
                return
        self.move_to(len(self.value))

    def on_focus(self) -> None:
        self.refresh()  # the cursor shows

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(width, base)
        cursor_style = self.get_component_rich_style("search-box--cursor")
        if not self.value:
            self._scroll = 0
            style = self.get_component_rich_style("search-box--placeholder")
            text = self.placeholder
            if not self.has_focus:
                segments = [Segment(text, style)]
            else:
                first = text[:1] or " "
                segments = [Segment(first, style + cursor_style), Segment(text[1:], style)]
            return Strip(segments).crop_extend(0, width, base).apply_style(base)
        value, cursor = self.value, self.cursor_position
        before = cell_len(value[:cursor])
        # the cursor stays in view: the text scrolls by as little as it takes
        end = cell_len(value) + 1  # a cell for the cursor after the last character
        self._scroll = max(0, min(self._scroll, before, end - width), before + 1 - width)
        if self.has_focus:
            under = value[cursor : cursor + 1] or " "
            segments = [
                Segment(value[:cursor]),
                Segment(under, cursor_style),
                Segment(value[cursor + 1 :]),
            ]
        else:
            segments = [Segment(value)]
        return (
            Strip(segments).crop_extend(self._scroll, self._scroll + width, base).apply_style(base)
        )


TEXT_FIELDS: tuple[type[Widget], ...] = (Input, SearchBox)
"""Where a key typed is text (`/` typed, not a screen's search key)."""
