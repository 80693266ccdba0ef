"""`?`: the keys of every screen, built from the screens' own bindings so it never goes stale."""

from __future__ import annotations

import importlib
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from leaf_tui.tui.widgets.footer import Footer

# (title, module, class) in the order a newcomer meets them; missing modules are skipped.
SCREENS = (
    ("Users", "leaf_tui.tui.screens.users", "UsersScreen"),
    ("Sentera credentials", "leaf_tui.tui.screens.sentera", "SenteraScreen"),
    ("Magic links", "leaf_tui.tui.screens.links", "LinksScreen"),
    ("New link wizard", "leaf_tui.tui.screens.wizard", "WizardScreen"),
    ("Add / edit user", "leaf_tui.tui.screens.user_form", "UserFormScreen"),
)
EXTRA_GLOBAL = (
    ("^p", "Command palette: every action with its key, themes, profiles"),
    ("esc", "Back / close a dialog"),
)


def _screen_class(module: str, name: str) -> type[Screen[Any]] | None:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _bindings(cls: type[Any]) -> list[Binding]:
    out: list[Binding] = []
    # Only our own classes: Textual's inherited bindings (tab, ctrl+c, ctrl+q) are not ours to list.
    ours = [k for k in reversed(cls.__mro__) if k.__module__.startswith("leaf_tui.")]
    for klass in ours:
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                out.append(item)
            elif isinstance(item, tuple) and len(item) >= 3:
                out.append(Binding(*item))
    return out


def _keys(app: Any, binding: Binding) -> str:
    return " ".join(
        app.get_key_display(Binding(k.strip(), binding.action)) for k in binding.key.split(",")
    )


def key_table(app: Any, rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style=f"bold {app.current_theme.accent or 'cyan'}", no_wrap=True, min_width=10)
    table.add_column()
    for key, description in rows:
        table.add_row(key, description)
    return table


Rows = list[tuple[str, str]]


def help_sections(app: Any, current: type[Any] | None = None) -> list[tuple[str, Rows]]:
    """[(section title, [(keys, description)])]: the current screen first, then everywhere."""
    sections: list[tuple[str, Rows]] = []
    for title, module, name in SCREENS:
        cls = _screen_class(module, name)
        if cls is None:
            continue
        rows = [(_keys(app, b), b.description) for b in _bindings(cls) if b.description]
        if not rows:
            continue
        entry = (title, rows)
        if current is not None and issubclass(current, cls):
            sections.insert(0, entry)
        else:
            sections.append(entry)
    global_rows = [(_keys(app, b), b.description) for b in _bindings(type(app)) if b.description]
    global_rows += list(EXTRA_GLOBAL)
    sections.insert(1 if sections and current is not None else 0, ("Everywhere", global_rows))
    return sections


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
