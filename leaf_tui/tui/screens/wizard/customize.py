"""Step 5: the branding of the page the grower sees, with the live preview beside it. Branding can
be saved as a named preset and picked from the list next time."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, Switch

from leaf_tui.api.models import DEFAULT_BACKGROUND, LinkKind, LinkSettings
from leaf_tui.domain.link_draft import LinkDraft
from leaf_tui.domain.presets import PresetStore
from leaf_tui.tui.screens.wizard.preview import LinkPreview
from leaf_tui.tui.screens.wizard.step import WizardStep, field_row
from leaf_tui.tui.widgets.text_input import TextInput


class CustomizeStep(WizardStep):
    STEP = "customize"
    TITLE = "Customize"

    def __init__(self, draft: LinkDraft, store: PresetStore) -> None:
        super().__init__(draft)
        self.store = store

    def compose(self) -> ComposeResult:
        d = self.draft
        with Horizontal(id="customize-body"):
            with VerticalScroll(id="customize-form"):
                yield Select[str](
                    self._preset_options(),
                    prompt="Branding preset…",
                    id="branding-preset",
                    allow_blank=True,
                )
                yield field_row(
                    "Background colour",
                    "background_color",
                    TextInput(
                        d.background_color,
                        placeholder=f"{DEFAULT_BACKGROUND} (default)",
                        id="background_color",
                    ),
                )
                yield field_row(
                    "Company name",
                    "company_name",
                    TextInput(
                        d.company_name,
                        placeholder="shown at the top of the page",
                        id="company_name",
                    ),
                )
                yield field_row(
                    "Company logo URL",
                    "company_logo",
                    TextInput(d.company_logo, placeholder="https://…/logo.png", id="company_logo"),
                )
                yield field_row(
                    "Header image URL",
                    "header_image",
                    TextInput(
                        d.header_image, placeholder="https://…/header.jpg", id="header_image"
                    ),
                )
                with Horizontal(classes="switch-row"):
                    with Horizontal(id="show_leaf_user_name-row"):
                        yield Switch(d.show_leaf_user_name, id="show_leaf_user_name")
                        yield Label("Show grower name")
                    with Horizontal(id="disconnect_enabled-row"):
                        yield Switch(d.disconnect_enabled, id="disconnect_enabled")
                        yield Label("Offer disconnect")
                yield Static(
                    "File-upload links have no disconnect option.",
                    id="disconnect-na",
                    classes="field-hint",
                )
                yield Button("Save branding as preset (ctrl+r)", id="save-branding")
            yield LinkPreview(d)

    def on_mount(self) -> None:
        self.sync()

    def focus_first(self) -> None:
        self.query_one("#background_color", Input).focus()

    def _preset_options(self) -> list[tuple[str, str]]:
        return [(p.name, p.name) for p in self.store.branding()]

    def reload_presets(self, selected: str | None = None) -> None:
        select = self.query_one("#branding-preset", Select)
        select.set_options(self._preset_options())
        if selected is not None:
            with select.prevent(Select.Changed):
                select.value = selected

    def sync(self) -> None:
        file_upload = self.draft.kind is LinkKind.FILE_UPLOAD
        self.query_one("#disconnect_enabled-row").display = not file_upload
        self.query_one("#disconnect-na").display = file_upload
        self.query_one(LinkPreview).update_from(self.draft)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not isinstance(event.value, str):
            return
        preset = self.store.get_branding(event.value)
        if preset is None:
            return
        s = preset.settings
        for field in LinkSettings.TEXT_KEYS:
            self.query_one(f"#{field}", Input).value = getattr(s, field) or ""
        self.query_one("#show_leaf_user_name", Switch).value = bool(s.show_leaf_user_name)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-branding":
            event.stop()
            await self.run_action("screen.save_branding")
