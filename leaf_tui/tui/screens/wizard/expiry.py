"""Step 4: how long the link lives: a preset, or any duration from 15 minutes to a year."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, Static

from leaf_tui.common import clock
from leaf_tui.common.formatting import format_when
from leaf_tui.domain.link_draft import EXPIRY_PRESETS, describe_duration, expires_at_after
from leaf_tui.tui.screens.wizard.choice import ChoiceSet
from leaf_tui.tui.screens.wizard.messages import Advance
from leaf_tui.tui.screens.wizard.step import WizardStep, field_row
from leaf_tui.tui.widgets.text_input import TextInput

CUSTOM = len(EXPIRY_PRESETS)


class ExpiryStep(WizardStep):
    STEP = "expiry"
    TITLE = "Expiry"

    def compose(self) -> ComposeResult:
        yield Static("How long may the grower use the link?", classes="step-lead")
        preset = self._preset_index()
        with ChoiceSet(id="expiry-preset"):
            for i, (label, _text) in enumerate(EXPIRY_PRESETS):
                yield RadioButton(label, value=i == preset)
            yield RadioButton("Custom duration", value=preset == CUSTOM)
        yield field_row(
            "Duration",
            "expiry",
            TextInput(self.draft.expiry, placeholder="e.g. 90m, 2h, 3d, 1w", id="expiry"),
            hint="15 minutes to 1 year: 90m, 2h, 3d, 1w, 1d12h",
        )
        yield Static("", id="expiry-summary", markup=False)

    def on_mount(self) -> None:
        self._summarise()

    def _preset_index(self) -> int:
        texts = [text for _label, text in EXPIRY_PRESETS]
        return texts.index(self.draft.expiry) if self.draft.expiry in texts else CUSTOM

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.index < CUSTOM:  # "Custom duration" keeps the text; enter on it goes there
            text = EXPIRY_PRESETS[event.index][1]
            box = self.query_one("#expiry", Input)
            if box.value != text:
                box.value = text  # its Changed event updates the draft

    def on_advance(self, event: Advance) -> None:
        # enter on "Custom duration" goes to the duration field, not to the next step
        source = event.source.id if event.source is not None else None
        custom = self.query_one("#expiry-preset", ChoiceSet).pressed_index == CUSTOM
        if source == "expiry-preset" and custom:
            event.stop()
            self.query_one("#expiry", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        preset = self._preset_index()
        choice = self.query_one("#expiry-preset", ChoiceSet)
        if choice.pressed_index != preset:
            # The choice follows the text, but must not write its preset back into the box:
            # that came a message later, when more had been typed ("1h30m" pasted became "1h").
            with self.prevent(RadioSet.Changed):
                choice.press(preset)
        self._summarise()

    def _summarise(self) -> None:
        seconds = self.draft.expires_in
        self.query_one("#expiry-summary", Static).update(
            f"Expires {format_when(expires_at_after(seconds, clock.now()))} "
            f"({describe_duration(seconds)} from now)"
            if seconds is not None
            else ""
        )
