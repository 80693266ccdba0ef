"""`?`: the keys of every screen, from leaf_tui.tui.key_reference: the README's keys table is the
same list, so the two never disagree, and both follow the screens' own bindings."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from leaf_tui.tui.key_reference import sections
from leaf_tui.tui.widgets.footer import Footer

Rows = list[tuple[str, str]]


def _keys(app: Any, keys: tuple[str, ...]) -> str:
    return " ".join(app.get_key_display(Binding(key, "")) for key in keys)


def key_table(app: Any, rows: Rows) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style=f"bold {app.current_theme.accent or 'cyan'}", no_wrap=True, min_width=10)
    table.add_column()
    for key, description in rows:
        table.add_row(key, description)
    return table


def help_sections(app: Any, current: type[Any] | None = None) -> list[tuple[str, Rows]]:
    """[(section title, [(keys, what they do)])]: the current screen's first, then everywhere,
    then the rest in the README's order."""
    ordered = sections()
    first = [
        s
        for s in ordered
        if current is not None and s.title != "Everywhere" and issubclass(current, s.classes[0])
    ]
    everywhere = [s for s in ordered if s.title == "Everywhere"]
    rest = [s for s in ordered if s not in first and s not in everywhere]
    return [
        (s.title, [(_keys(app, row.keys), row.text) for row in s.rows])
        for s in first + everywhere + rest
    ]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    AUTO_FOCUS = "#help-body"
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def __init__(self, for_screen: Screen[Any] | None = None) -> None:
        super().__init__()
        self.for_class = type(for_screen) if for_screen is not None else None

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label("leaf-tui keys", id="help-title")
            with VerticalScroll(id="help-body"):
                for title, rows in help_sections(self.app, self.for_class):
                    yield Static(Text(title, style="bold underline"), classes="help-section")
                    yield Static(key_table(self.app, rows), classes="help-keys")
            yield Static("esc, ? or q to close · ↑/↓ to scroll", id="help-footer")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
