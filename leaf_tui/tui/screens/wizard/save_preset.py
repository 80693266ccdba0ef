"""A small dialog: the name to save the current branding under."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from leaf_tui.domain.presets import validate_preset_name
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.text_input import TextInput


class SavePresetScreen(ModalScreen[str | None]):
    """Dismisses with the name, or None when cancelled."""

    CSS_PATH = "save_preset.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="wizard.preset.cancel")]

    def __init__(self, suggestion: str = "", existing: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.existing = existing

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Save this branding as a preset")
            yield TextInput(self.suggestion, placeholder="e.g. Prairie Co-op", id="preset-name")
            yield Static("", id="preset-name-error", classes="field-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()  # over the wizard's footer: only this dialog's keys

    def on_mount(self) -> None:
        self._check(self.suggestion)

    @on(Input.Changed, "#preset-name")
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _check(self, name: str) -> bool:
        error = validate_preset_name(name)
        message = self.query_one("#preset-name-error", Static)
        if error is None and name.strip() in self.existing:
            message.update("A preset with this name exists: saving replaces it")
        else:
            message.update(error or "")
        self.query_one("#save", Button).disabled = error is not None
        return error is None

    @on(Input.Submitted, "#preset-name")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = self.query_one("#preset-name", Input).value
        if self._check(name):
            self.dismiss(name.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
