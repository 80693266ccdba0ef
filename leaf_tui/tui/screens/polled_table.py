"""What the Connections screen and the triage queue share: a table polled on a timer while the
screen is shown, stopped while another screen covers it, and refitted when the terminal resizes.
A subclass sets `loaded` and `_timer` in its constructor and gives `poll` and `_show_rows`."""

from __future__ import annotations

from textual.screen import Screen
from textual.timer import Timer


class PolledTableScreen(Screen[None]):
    loaded: bool
    _timer: Timer | None

    def poll(self) -> object:
        raise NotImplementedError

    def _show_rows(self) -> None:
        raise NotImplementedError

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_resize(self) -> None:
        if self.loaded:
            self.call_after_refresh(self._show_rows)

    def on_screen_suspend(self) -> None:
        self._stop_timer()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.poll()
