"""The one list of every screen's keys, read from the screens' (and their widgets') own BINDINGS.

The Help screen (`?`) and the README's keys table (screenshots/tooling/keys.py) both show
`sections()`, each in its own notation, so they cannot disagree, and neither goes stale.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding

# (title, [(module, class)]) in the order a newcomer meets them. A class's own BINDINGS and those
# of its leaf_tui base classes count; Textual's inherited ones (tab, ctrl+c) are not ours to list.
SCREENS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere", (("leaf_tui.tui.app", "LeafApp"),)),
    (
        "Users",
        (
            ("leaf_tui.tui.screens.users", "UsersScreen"),
            ("leaf_tui.tui.widgets.users_table", "UsersTable"),
        ),
    ),
    (
        "Sentera credentials",
        (
            ("leaf_tui.tui.screens.sentera", "SenteraScreen"),
            ("leaf_tui.tui.widgets.events_log", "EventsLog"),
        ),
    ),
    ("Sentera event", (("leaf_tui.tui.screens.event_detail", "EventDetailScreen"),)),
    ("Connections", (("leaf_tui.tui.screens.connections", "ConnectionsScreen"),)),
    (
        "Provider events",
        (
            ("leaf_tui.tui.screens.provider_events", "ProviderEventsScreen"),
            ("leaf_tui.tui.widgets.events_log", "EventsLog"),
        ),
    ),
    ("Triage", (("leaf_tui.tui.screens.triage", "TriageScreen"),)),
    (
        "Magic links",
        (
            ("leaf_tui.tui.screens.links", "LinksScreen"),
            ("leaf_tui.tui.widgets.links_table", "LinksTable"),
        ),
    ),
    ("Link details", (("leaf_tui.tui.screens.link_details", "LinkDetailsScreen"),)),
    (
        "New link wizard",
        (
            ("leaf_tui.tui.screens.wizard", "WizardScreen"),
            ("leaf_tui.tui.screens.wizard.providers", "ProvidersStep"),
        ),
    ),
    ("Link created", (("leaf_tui.tui.screens.link_result", "LinkResultScreen"),)),
    ("Add / edit user", (("leaf_tui.tui.screens.user_form", "UserFormScreen"),)),
    ("Connect Sentera", (("leaf_tui.tui.screens.sentera_form", "SenteraFormScreen"),)),
    ("Log in", (("leaf_tui.tui.screens.login", "LoginScreen"),)),
    ("Confirm", (("leaf_tui.tui.screens.confirm", "ConfirmScreen"),)),
    ("Help", (("leaf_tui.tui.screens.help", "HelpScreen"),)),
)
# Keys the app gets from Textual rather than from a binding of ours.
EXTRA = {
    "Everywhere": (("ctrl+p", "Command palette: every action with its key, themes, profiles"),)
}


@dataclass(frozen=True)
class KeyRow:
    keys: tuple[str, ...]  # Textual key names ("escape", "question_mark"), as bound
    text: str  # what they do: the tooltip (the longer text) where there is one


@dataclass(frozen=True)
class Section:
    title: str
    classes: tuple[type[Any], ...]  # the screens and widgets whose keys these are
    rows: tuple[KeyRow, ...]


def _bindings(cls: type[Any]) -> list[Binding]:
    out: list[Binding] = []
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("leaf_tui."):
            continue
        for item in klass.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            if binding.description:
                out.append(binding)
    return out


def binding_ids() -> set[str]:
    """The id of every key of ours: what settings.toml's [keymap] remaps."""
    ids: set[str] = set()
    for _, names in SCREENS:
        for module, name in names:
            for binding in _bindings(getattr(importlib.import_module(module), name)):
                if binding.id:
                    ids.add(binding.id)
    return ids


def sections() -> list[Section]:
    """Every screen's keys, in SCREENS order. A screen's hidden repeat of a global key (the
    wizard's `q`, which asks first) is left out."""
    out: list[Section] = []
    everywhere: set[tuple[tuple[str, ...], str]] = set()
    for title, names in SCREENS:
        classes = tuple(getattr(importlib.import_module(m), n) for m, n in names)
        rows: list[KeyRow] = []
        for cls in classes:
            for binding in _bindings(cls):
                keys = tuple(k.strip() for k in binding.key.split(","))
                if not binding.show and (keys, binding.description) in everywhere:
                    continue
                row = KeyRow(keys, binding.tooltip or binding.description)
                if row not in rows:
                    rows.append(row)
        rows += [KeyRow((key,), text) for key, text in EXTRA.get(title, ())]
        if title == "Everywhere":
            everywhere = {(row.keys, row.text) for row in rows}  # the app's have no tooltips
        out.append(Section(title, classes, tuple(rows)))
    return out
