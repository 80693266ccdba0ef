"""Keys as a terminal delivers them, for tests of what happens when they come fast.

`pilot.press` waits for the app to go idle after every key, so it never shows keys overtaking
each other. Here the bytes go through Textual's own terminal parser and every key of one read
reaches the app back to back, as the driver's input thread posts them (a paste without bracketed
paste, tmux send-keys, typing on a busy machine). Test code may use Textual's parser (a private
module); the app's code never does.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual._xterm_parser import XTermParser

CTRL_U = "\x15"
BACKSPACE = "\x7f"
ENTER = "\r"
LEFT = "\x1b[D"
TAB = "\t"
SHIFT_TAB = "\x1b[Z"
TYPING_GAP = 1 / 8  # seconds between two keys of someone typing steadily at 8 keys a second


def bracketed(text: str) -> str:
    """`text` as a terminal pastes it with bracketed paste on (one Paste event)."""
    return f"\x1b[200~{text}\x1b[201~"


def post_read(app: Any, data: str) -> None:
    """Post every key (or paste) of one terminal read of `data` to `app` at once."""
    for event in XTermParser().feed(data):
        app.post_message(event)


async def one_read(pilot: Any, data: str) -> None:
    """`data` in one terminal read, then the app left to handle it all."""
    post_read(pilot.app, data)
    await pilot.pause()
    await pilot.pause()


async def typed_at(pilot: Any, text: str, gap: float) -> None:
    """`text` (printable characters) typed one key every `gap` seconds, whether or not the app
    keeps up: each key is its own read, posted when its time comes. The sleep is the typist's
    rhythm, not a wait for the app (pilot.pause would wait for the screen between keys)."""
    for char in text:
        post_read(pilot.app, char)
        await asyncio.sleep(gap)
    await pilot.pause()
    await pilot.pause()


async def typed_steadily(pilot: Any, text: str) -> None:
    """`text` typed at a steady 8 keys a second."""
    await typed_at(pilot, text, TYPING_GAP)
