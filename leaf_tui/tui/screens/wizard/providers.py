"""Step 3: the providers offered: several for a provider link, exactly one for an authentication
link; a file-upload link has none (the step is skipped)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import RadioButton, RadioSet, SelectionList, Static

from leaf_tui.api.models import PROVIDERS, LinkKind
from leaf_tui.tui.screens.wizard.choice import ChoiceSet
from leaf_tui.tui.screens.wizard.step import FieldMessage, WizardStep


class ProvidersStep(WizardStep):
    STEP = "providers"
    TITLE = "Providers"
    BINDINGS = [
        Binding("a", "all", "All providers", id="wizard.providers.all"),
        Binding("x", "none", "No providers", id="wizard.providers.none"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="providers-many"):
            yield Static("Providers the grower may choose from:", classes="step-lead")
            yield SelectionList[str](
                *((p, p, p in self.draft.providers) for p in PROVIDERS), id="providers"
            )
            yield Static("space/enter toggle · a all · x none · ctrl+n next", classes="step-keys")
        with Vertical(id="providers-one"):
            yield Static("The one provider the grower connects:", classes="step-lead")
            with ChoiceSet(id="provider"):
                for p in PROVIDERS:
                    yield RadioButton(p, value=p == self.draft.provider)
            yield Static("↑/↓ choose · enter continue", classes="step-keys")
        yield Static(
            "A file-upload link offers no providers: this step is skipped.", id="providers-none"
        )
        yield FieldMessage("providers")

    def on_mount(self) -> None:
        self.sync()

    def sync(self) -> None:
        kind = self.draft.kind
        self.query_one("#providers-many").display = kind is LinkKind.PROVIDER
        self.query_one("#providers-one").display = kind is LinkKind.AUTHENTICATION
        self.query_one("#providers-none").display = kind is LinkKind.FILE_UPLOAD
        selection = self.query_one("#providers", SelectionList)
        if tuple(selection.selected) != self.draft.providers:
            selection.deselect_all()
            for p in self.draft.providers:
                selection.select(p)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        chosen = tuple(p for p in PROVIDERS if p in event.selection_list.selected)
        if chosen != self.draft.providers:
            self.draft.providers = chosen
            self.draft.server_errors.pop("providers", None)
            self.changed("providers")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        provider = PROVIDERS[event.index]
        if provider != self.draft.provider:
            self.draft.provider = provider
            self.draft.server_errors.pop("providers", None)
            self.changed("providers")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("all", "none"):
            return self.draft.kind is LinkKind.PROVIDER
        return True

    def action_all(self) -> None:
        self.query_one("#providers", SelectionList).select_all()

    def action_none(self) -> None:
        self.query_one("#providers", SelectionList).deselect_all()
