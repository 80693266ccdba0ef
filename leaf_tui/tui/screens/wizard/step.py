"""The base of every wizard step: it edits the shared draft and tells the screen, and shows each
field's message right under the field."""

from __future__ import annotations

from typing import ClassVar

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, Switch

from leaf_tui.api.models import LinkSettings
from leaf_tui.domain.link_draft import LinkDraft
from leaf_tui.tui.screens.wizard.messages import Advance, DraftChanged


class Line(Static):
    """Plain text that re-renders only when it changes: every update re-lays out the screen,
    and the wizard redraws its status on each key press."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(text, id=id, classes=classes, markup=False)
        self.text = text

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update(text)


class FieldMessage(Line):
    """The validation message under one field; hidden while the field is fine."""

    def __init__(self, field: str) -> None:
        super().__init__(id=f"{field}-error", classes="field-error")
        self.field = field
        self.display = False

    def show(self, text: str | None) -> None:
        self.display = bool(text)
        super().show(text or "")


def field_row(label: str, field: str, widget: Widget, hint: str = "") -> Vertical:
    """Label, the input, and the place its message appears."""
    children: list[Widget] = [Label(label, classes="field-label"), widget]
    if hint:
        children.append(Static(hint, classes="field-hint", markup=False))
    children.append(FieldMessage(field))
    return Vertical(*children, classes="field-row", id=f"{field}-row")


class WizardStep(Vertical):
    """One step. Inputs and switches whose id is a draft attribute update it as they change."""

    STEP: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    def __init__(self, draft: LinkDraft) -> None:
        super().__init__(id=f"step-{self.STEP}", classes="step")
        self.draft = draft

    def changed(self, field: str) -> None:
        self.post_message(DraftChanged(field))

    def focus_first(self) -> None:
        """Focus the step's first control (the screen calls it on arrival)."""
        for widget in self.query("Input, RadioSet, SelectionList, OptionList, Switch, Select"):
            if widget.focusable and widget.display and widget.parent and widget.parent.display:
                widget.focus()
                return

    def focus_field(self, field: str) -> None:
        """Bring a field with a problem into focus (after ctrl+s refused, or a server error)."""
        for widget in self.query(f"#{field}"):
            if widget.focusable:
                widget.focus()
                return
        self.focus_first()

    def show_errors(self, errors: dict[str, str]) -> None:
        for message in self.query(FieldMessage):
            text = errors.get(message.field)
            message.show(text)
            for control in self.query(f"#{message.field}"):
                control.set_class(bool(text), "-invalid")

    def sync(self) -> None:
        """Bring the widgets in line with the draft after something outside changed it."""

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in _TEXT_FIELDS and getattr(self.draft, field) != event.value:
            setattr(self.draft, field, event.value)
            self.draft.server_errors.pop(field, None)
            self.changed(field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if (event.input.id or "") in _TEXT_FIELDS:
            event.stop()
            self.post_message(Advance(event.input))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        field = event.switch.id or ""
        if field in _BOOL_FIELDS and getattr(self.draft, field) != event.value:
            setattr(self.draft, field, event.value)
            self.changed(field)


_TEXT_FIELDS = frozenset(
    {"external_id", "new_name", "new_email", "expiry", *LinkSettings.TEXT_KEYS}
)
_BOOL_FIELDS = frozenset({"show_leaf_user_name", "disconnect_enabled"})
