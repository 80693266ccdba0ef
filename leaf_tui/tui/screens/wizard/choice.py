"""A radio set for quick choices: arrows change the choice at once, enter confirms and moves on."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet

from leaf_tui.tui.screens.wizard.messages import Advance


class ChoiceSet(RadioSet):
    BINDINGS = [
        Binding("down,right", "move(1)", "Next option", show=False),
        Binding("up,left", "move(-1)", "Previous option", show=False),
        Binding("space", "move(0)", "Choose", show=False),
        Binding("enter", "confirm", "Choose and continue", show=False),
    ]

    def action_move(self, step: int) -> None:
        """Choose the option `step` away from the chosen one (the choice follows the cursor)."""
        buttons = list(self.query(RadioButton))
        if not buttons:
            return
        current = self.pressed_index if self.pressed_index >= 0 else (self._selected or 0)
        self.press(min(max(current + step, 0), len(buttons) - 1))

    def action_confirm(self) -> None:
        if self.pressed_index < 0:
            self.action_move(0)
        self.post_message(Advance(self))

    def press(self, index: int) -> None:
        """Choose option `index` (from a key, or from code: a prefill, a typed duration)."""
        buttons = list(self.query(RadioButton))
        if 0 <= index < len(buttons):
            if not buttons[index].value:
                buttons[index].value = True
            self._selected = index
