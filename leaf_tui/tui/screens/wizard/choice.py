"""A radio set for quick choices: arrows change the choice at once, enter confirms and moves on."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet

from leaf_tui.tui.screens.wizard.messages import Advance


class ChoiceSet(RadioSet):
    BINDINGS = [
        Binding("down,right", "move(1)", "Next option", show=False),
        Binding("up,left", "move(-1)", "Previous option", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("enter", "confirm", "Choose and continue", show=False),
    ]

    def action_move(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self._press_selected()

    def action_confirm(self) -> None:
        self._press_selected()
        self.post_message(Advance(self))

    def _press_selected(self) -> None:
        buttons = list(self.query(RadioButton))
        index = self._selected
        if index is not None and 0 <= index < len(buttons) and not buttons[index].value:
            buttons[index].value = True

    def press(self, index: int) -> None:
        """Choose option `index` from code (a prefill, a kind switch)."""
        buttons = list(self.query(RadioButton))
        if 0 <= index < len(buttons) and not buttons[index].value:
            buttons[index].value = True
        self._selected = index
