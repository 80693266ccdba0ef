"""Bindings that several screens share, each under the screen's own id (the keymap and the help
name a key per screen): refresh and back on every polled screen, and the keys of a provider
connection on the Connections screen and a provider's events log."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def refresh_and_back(screen: str) -> list[BindingType]:
    """ctrl+r polls now (in the palette and help, not the footer: the screen polls by itself);
    escape or backspace goes back."""
    return [
        Binding("ctrl+r", "refresh", "Refresh", show=False, id=f"{screen}.refresh"),
        Binding("escape,backspace", "back", "Back", id=f"{screen}.back"),
    ]


def connection_keys(screen: str) -> list[BindingType]:
    """a copies an authentication link, y a problem summary, D deletes, N creates it again;
    then refresh and back."""
    return [
        Binding(
            "a",
            "auth_link",
            "Auth link",
            tooltip="Copy an authentication link",
            id=f"{screen}.auth_link",
        ),
        Binding("y", "copy_summary", "Copy problem", id=f"{screen}.copy_summary"),
        Binding("D", "delete", "Delete", id=f"{screen}.delete"),
        Binding(
            "N",
            "new_credential",
            "New credential",
            show=False,
            tooltip="Create the credential again from its fields",
            id=f"{screen}.new_credential",
        ),
        *refresh_and_back(screen),
    ]


__all__ = ["connection_keys", "refresh_and_back"]
