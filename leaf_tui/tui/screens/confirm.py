"""A yes/no question before anything destructive. Dismisses with True only on an explicit yes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label

from leaf_tui.tui.account import account_label
from leaf_tui.tui.widgets.footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """`push_screen(ConfirmScreen("Delete Ann?", "Delete"), callback)`; callback gets True/False.

    Cancel has the focus, so an absent-minded `enter` never destroys anything; `y` confirms.
    """

    CSS_PATH = "confirm.tcss"
    AUTO_FOCUS = "#confirm-cancel"  # never the destructive button
    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("escape,n", "cancel", "No", id="confirm.no"),
        Binding("left,right", "app.focus_previous", "Switch", show=False),
    ]

    def __init__(
        self, question: str, confirm_label: str = "Delete", *, names_account: bool = True
    ) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.names_account = names_account
        """The dialog's title names the profile acted on (not for "discard what you typed")."""

    def compose(self) -> ComposeResult:
        # The buttons are docked and a long question scrolls: they stay visible on a short
        # terminal.
        with Vertical(id="confirm-dialog"):
            # not focusable: left/right switch between the two buttons only
            with VerticalScroll(id="confirm-body", can_focus=False):
                yield Label(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel (n)", id="confirm-cancel")
                yield Button(Content(f"{self.confirm_label} (y)"), variant="error", id="confirm-ok")
        yield Footer()  # over the footer of the screen behind: only this dialog's keys

    def on_mount(self) -> None:
        if self.names_account:
            label = account_label(getattr(self.app, "session", None))
            # Text, not markup: a host may hold brackets ([::1])
            self.query_one("#confirm-dialog").border_title = Text(f" On {label} ", style="bold")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-ok")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def leave_keeping_typed_input(
    screen: Screen[Any], changed: bool, question: str, leave: Callable[[], object]
) -> None:
    """`leave` at once when nothing was typed; else only after a yes to `question`, so a stray
    escape never drops what someone typed."""
    if not changed:
        leave()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            leave()

    screen.app.push_screen(ConfirmScreen(question, "Discard", names_account=False), answered)
