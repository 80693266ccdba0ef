"""Shown when connecting takes a moment: a loading state, then the failure if any."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from leaf_tui.tui.error_text import describe
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader


class ConnectingScreen(Screen[None]):
    CSS_PATH = "connecting.tcss"
    BINDINGS = [Binding("r", "retry", "Retry", id="connecting.retry")]

    def __init__(self, failure: BaseException | None = None) -> None:
        super().__init__()
        self.failed = failure is not None
        self._failure = failure

    def compose(self) -> ComposeResult:
        yield LeafHeader()
        with Vertical(id="connecting"):
            yield Static("Connecting to the Leaf API…", id="connecting-message", markup=False)
            yield LoadingIndicator(id="connecting-spinner")
        yield Footer()

    def on_mount(self) -> None:
        self._show_state()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.failed
        return True

    def show_failure(self, exc: BaseException) -> None:
        self._failure = exc
        self.failed = True
        self._show_state()
        self.refresh_bindings()

    def _show_state(self) -> None:
        """The spinner, or the failure, in the widgets that exist so far: a failure can arrive
        while this screen is being composed (a loaded machine), and on_mount shows it then."""
        if self._failure is None:
            text = "Connecting to the Leaf API…"
        else:
            title, message = describe(self._failure, "connect")
            text = f"{title}\n{message}\n\nPress r to retry or q to quit."
        for spinner in self.query("#connecting-spinner"):
            spinner.display = self._failure is None
        for shown in self.query("#connecting-message").results(Static):
            shown.update(text)

    def action_retry(self) -> None:
        from leaf_tui.tui.app import LeafApp

        self.failed = False
        self._failure = None
        self._show_state()
        self.refresh_bindings()
        app = self.app
        if isinstance(app, LeafApp):
            app.connect()
