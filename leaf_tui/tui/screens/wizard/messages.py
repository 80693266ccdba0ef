"""Messages the steps send to the wizard screen."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class DraftChanged(Message):
    """A step changed the shared draft: `field` is the draft attribute (or "kind", "user")."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field


class Advance(Message):
    """The person confirmed this step (enter): go to the next one. `source` is the widget."""

    def __init__(self, source: Widget | None = None) -> None:
        super().__init__()
        self.source = source


class JumpTo(Message):
    """Go to a step and focus one of its fields (a problem picked on the review step)."""

    def __init__(self, step: str, field: str) -> None:
        super().__init__()
        self.step = step
        self.field = field
