"""Opening the new-link wizard in a Pilot test, the way most wizard tests start."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.app import LeafApp
from leaf_tui.tui.screens.wizard import WizardScreen


async def open_wizard(
    app: LeafApp, pilot: Any, wait_for: Any, prefill: Any = None, *, step: str | None = None
) -> WizardScreen:
    """The wizard, open (with `prefill`) and settled, on `step` when one is named."""
    app.open_wizard(prefill)
    await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
    screen = app.screen
    assert isinstance(screen, WizardScreen), type(screen).__name__
    if step is not None:
        screen.go_to(step)
    await pilot.pause()
    return screen
