"""Users: the home screen (placeholder while the real one is built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from leaf_tui.tui.widgets.header import LeafHeader


class UsersScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield LeafHeader()
        yield Static("Users")
        yield Footer()
