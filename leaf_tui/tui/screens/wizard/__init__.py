"""The create-link wizard: kind -> user -> providers -> expiry -> customization (live preview) ->
review -> create. `WizardScreen(prefill)`; `WizardPrefill.from_link(link, user)` for renewals."""

from leaf_tui.tui.screens.wizard.prefill import WizardPrefill
from leaf_tui.tui.screens.wizard.screen import WizardScreen

__all__ = ["WizardPrefill", "WizardScreen"]
