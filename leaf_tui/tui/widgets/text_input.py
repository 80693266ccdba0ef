"""A text field whose editing keys take effect in the order they were typed."""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.widgets import Input


@cache
def _own_bindings(cls: type[Input]) -> dict[str, Binding]:
    """The bindings `cls` declares (its classes' BINDINGS, a subclass's winning), by key."""
    by_key: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            if not binding.priority:
                by_key[binding.key] = binding
    return by_key


class TextInput(Input):
    """An Input that runs its own bindings (backspace, ctrl+u, the arrows, enter...) while it
    handles the key, in order with the characters typed around it.

    Textual's Input types a character as soon as the key reaches it, but runs a bound key only
    once the key has bubbled up to the App: of keys that come in one terminal read (a paste
    without bracketed paste, tmux send-keys, typing on a busy machine) `ctrl+u anderson` typed
    "anderson" and then deleted it. This is the narrow fix proposed upstream
    (https://github.com/Textualize/textual/issues/6605, PR #6631), on public API only.

    tab and shift+tab move to the next field as the app takes the key in (priority), not once it
    has bubbled back up: the keys typed after tab are then already sent to the next field."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    async def on_key(self, event: events.Key) -> None:
        binding = _own_bindings(type(self)).get(event.key)
        if binding is None:
            return  # a character (Input types it next) or a key for a screen or the app
        # False when the action does not apply here (up: nothing to scroll): the key goes on
        # up to the screen's bindings, as Textual would send it
        if await self.app.run_action(binding.action, self):
            event.stop()
            event.prevent_default()  # not typed, and not run a second time by the App
