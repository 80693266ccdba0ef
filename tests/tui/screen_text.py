"""What the terminal shows, as plain text lines: the screen stack as composited.

Test helper only (it reads Textual's compositor, as a terminal would receive it); the app's
code stands on public APIs."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App


def screen_lines(app: App[Any]) -> list[str]:
    """Every row of the terminal, as plain text, trailing spaces kept."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, force_terminal=True
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()[:height]


def footer_row(app: App[Any]) -> str:
    """The terminal's last row: the footer."""
    return screen_lines(app)[-1]
