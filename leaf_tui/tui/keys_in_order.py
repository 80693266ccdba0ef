"""Keys take effect one at a time, in the order they were typed.

Textual 8.2.8 puts a printable key into the focused Input as soon as the key reaches it, but runs
a bound key (tab, shift+tab, backspace, ctrl+u, enter, the arrows, our screens' keys) only once the
key has bubbled from the focused widget back up to the App (`App._on_key`). Meanwhile the App has
already passed every key that came in the same terminal read to the widget focused at that moment.
So in one read `ctrl+u anderson` types "anderson" and then deletes it, `tab Nora` types "Nora" into
the field being left, and `/ana` sends "ana" to the table's own keys. `Widget.focus()` waits in the
App's queue too (`App.call_later`). Keys come in one read from tmux send-keys, and from anyone
typing on a busy machine, where keys pile up while the app draws.

So after a key that the focused Input does not simply type (a bound key, or any key elsewhere),
the app holds the next keys and pastes until everything that key set off has been handled: no
message waiting or being handled in the App or in any widget of the screen on top, no
call-after-refresh of the App or the screen left. That is where a person typing with pauses leaves
the app, and there every key already worked. Characters typed into an Input are not held: the Input
takes them in order itself.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widgets import Input

SETTLE_LIMIT = 1.0
"""Seconds a key waits at most for the previous one to settle: a screen that never goes quiet must
not hold keys back; after this the key goes on as Textual would have sent it."""


def _handling(pump: MessagePump) -> bool:
    """A message waits in `pump`'s queue or is being handled: Textual marks each one done only
    once its handler has returned (the queue's size drops as soon as the message is taken)."""
    queue: asyncio.Queue[object] = pump._message_queue
    return bool(getattr(queue, "_unfinished_tasks", queue.qsize()))


class KeysInOrderApp(App[None]):
    """An App whose keys and pastes take effect in the order they came, however fast."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_input: deque[events.Key | events.Paste] = deque()
        self._let_through: set[int] = set()  # ids of held events posted again, on their way
        self._settling: asyncio.Task[None] | None = None
        self._input_closed = False

    @property
    def keys_settled(self) -> bool:
        """No key or paste is held back, and all they set off is done (tests wait for this)."""
        return self._settling is None and not self._held_input and self._quiet()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if id(event) in self._let_through:
                self._let_through.discard(id(event))
            elif self._settling is not None:
                self._held_input.append(event)
                return
            elif not self._typed_into_focus(event):
                self._settling = asyncio.create_task(self._release_when_settled())
        await super().on_event(event)

    def _typed_into_focus(self, event: events.Key | events.Paste) -> bool:
        """The focused Input takes this itself, in its own queue behind the keys before it."""
        is_text = isinstance(event, events.Paste) or event.is_printable
        return is_text and isinstance(self.focused, Input)

    async def _release_when_settled(self) -> None:
        try:
            await self._settled()
            while self._held_input and not self._input_closed:
                event = self._held_input.popleft()
                typed = self._typed_into_focus(event)
                self._let_through.add(id(event))
                self.post_message(event)
                if not typed:
                    await self._settled()
        finally:
            self._settling = None
            # Cancelled or failed: the keys still held go on as Textual would have sent them,
            # never dropped (unless the app is closing).
            while self._held_input and not self._input_closed:
                event = self._held_input.popleft()
                self._let_through.add(id(event))
                self.post_message(event)
            self._held_input.clear()

    async def _settled(self) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + SETTLE_LIMIT
        polls = 0
        await asyncio.sleep(0)
        while not self._quiet() and loop.time() < give_up:
            # a key's work is usually done within a few turns of the loop; past those, a handler
            # awaiting something is not worth spinning for
            polls += 1
            await asyncio.sleep(0 if polls < 50 else 0.002)

    def _quiet(self) -> bool:
        if _handling(self) or self._next_callbacks:
            return False
        try:
            screen = self.screen
        except Exception:  # no screen yet, or closing
            return True
        # the screen's after-refresh callbacks move focus (a wizard step's first field); the
        # widgets' are redraws (our Footer's keys), and waiting for them would hold every key
        # for a full repaint
        if screen._next_callbacks:
            return False
        return not any(_handling(node) for node in screen.walk_children(with_self=True))

    async def _on_exit_app(self) -> None:
        # Textual calls every class's handler along the MRO: App's own still runs after this.
        self._input_closed = True
        if self._settling is not None:
            self._settling.cancel()
