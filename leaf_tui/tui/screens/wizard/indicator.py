"""The row of steps at the top: where you are, what needs attention, what is skipped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.widgets import Static

from leaf_tui.tui.screens.wizard.messages import JumpTo
from leaf_tui.tui.screens.wizard.step import Line


class StepTab(Line):
    def __init__(self, number: int, step: str, title: str) -> None:
        super().__init__(f" {number} {title} ", id=f"tab-{step}", classes="step-tab")
        self.step = step
        self.number = number
        self.title_text = title

    def on_click(self, event: Click) -> None:
        self.post_message(JumpTo(self.step, ""))


class StepIndicator(Horizontal):
    def __init__(self, steps: list[tuple[str, str]]) -> None:
        super().__init__(id="step-indicator")
        self.steps = steps

    def compose(self) -> ComposeResult:
        for i, (step, title) in enumerate(self.steps, start=1):
            if i > 1:
                yield Static("\u203a", classes="step-sep")
            yield StepTab(i, step, title)

    def show(self, current: str, problems: set[str], skipped: set[str]) -> None:
        for tab in self.query(StepTab):
            mark = "!" if tab.step in problems else ("\u2013" if tab.step in skipped else "")
            tab.show(f" {tab.number} {tab.title_text}{' ' + mark if mark else ''} ")
            tab.set_class(tab.step == current, "-current")
            tab.set_class(tab.step in problems, "-problem")
            tab.set_class(tab.step in skipped, "-skipped")
