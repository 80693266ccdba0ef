"""The floor for start-up: the smallest Textual app that draws one label.

Whatever leaf-tui costs above this is ours; the ratio against it is what benchmarks/README.md
reports, because the absolute time moves with the load on this shared machine.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

READY_TEXT = "floor-ready"


class FloorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(READY_TEXT)


if __name__ == "__main__":
    FloorApp().run()
