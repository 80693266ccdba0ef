"""Step 1: which kind of link."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from leaf_tui.api.models import LinkKind
from leaf_tui.tui.screens.wizard.choice import ChoiceSet
from leaf_tui.tui.screens.wizard.step import WizardStep

KIND_HELP = {
    LinkKind.PROVIDER: "Provider: the grower picks one of several providers to connect",
    LinkKind.AUTHENTICATION: "Authentication: the grower connects one given provider",
    LinkKind.FILE_UPLOAD: "File upload: the grower uploads machine files",
}
KINDS = list(LinkKind)


class KindStep(WizardStep):
    STEP = "kind"
    TITLE = "Kind"

    def compose(self) -> ComposeResult:
        yield Static("What should the link let the grower do?", classes="step-lead")
        with ChoiceSet(id="kind"):
            for kind in KINDS:
                yield RadioButton(
                    KIND_HELP[kind], value=kind is self.draft.kind, id=f"kind-{kind.path}"
                )
        yield Static("↑/↓ choose · enter continue · ctrl+s create now", classes="step-keys")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        kind = KINDS[event.index]
        if kind is not self.draft.kind:
            self.draft.kind = kind
            self.changed("kind")
