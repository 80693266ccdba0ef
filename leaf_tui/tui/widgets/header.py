"""One-line header: profile badge, API base, token expiry and connection status. No clock:
screenshots must be deterministic, and the terminal already shows the time."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget

from leaf_tui.common import clock
from leaf_tui.common.formatting import format_duration
from leaf_tui.tui.covered import redrawn_when_back

STATUS_STYLE = {
    "OK": "success",
    "SLOW": "warning",
    "RETRYING": "warning",
    "DEGRADED": "warning",
    "OFFLINE": "error",
}


class LeafHeader(Widget):
    """Reads `app.session`; listens to the client's status; re-renders once a minute for expiry."""

    DEFAULT_CSS = """
    LeafHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._status: str | None = None
        self._listening_to: Any = None

    def on_mount(self) -> None:
        self.refresh_session()
        self.set_interval(60, self._expiry_tick)

    def _expiry_tick(self) -> None:
        if not redrawn_when_back(self.screen):
            self.refresh()

    def on_unmount(self) -> None:
        self._stop_listening()

    def refresh_session(self) -> None:
        """Call after the session appears or changes (connect, login, profile switch)."""
        session = getattr(self.app, "session", None)
        client = getattr(session, "client", None)
        if client is not self._listening_to:
            self._stop_listening()
            adder = getattr(client, "add_status_listener", None)
            if adder is not None:
                adder(self._on_status)
                self._listening_to = client
            status = getattr(client, "status", None)
            self._status = getattr(status, "name", None)
        self.refresh()

    def _stop_listening(self) -> None:
        remover = getattr(self._listening_to, "remove_status_listener", None)
        if remover is not None:
            remover(self._on_status)
        self._listening_to = None

    def _on_status(self, status: Any) -> None:
        # Listeners may be called from the client's code path; re-render on the UI loop.
        self._status = getattr(status, "name", str(status))
        if self.is_attached and not redrawn_when_back(self.screen):
            self.app.call_later(self.refresh)

    def render(self) -> Content:
        session = getattr(self.app, "session", None)
        if session is None:
            return Content.assemble((" leaf-tui ", "bold"), (" connecting…", "italic"))
        # Narrow (80 columns), the status must stay whole: the URL, then the words around the
        # expiry give way first.
        for short in (0, 1, 2):
            line = self._line(session, short)
            if line.cell_length <= self.size.width:
                return self._with_failure(session, line)
        return line.truncate(self.size.width, ellipsis=True)

    def _with_failure(self, session: Any, line: Content) -> Content:
        """What the last failed call met, after the status, in the room left (cut with "…")."""
        failure = getattr(session.client, "status_failure", None)
        if not failure or self._status in (None, "OK"):
            return line
        style = f"${STATUS_STYLE.get(self._status or '', 'foreground')}"
        full = Content.assemble(line, (f": {failure}", style))
        return full.truncate(self.size.width, ellipsis=True)

    def _line(self, session: Any, short: int) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        if session.is_sandbox:
            parts.append((" SANDBOX ", "bold $background on $warning"))
        else:
            parts.append((f" {session.profile_name} ", "bold $background on $accent"))
        if getattr(session.client, "read_only", False):
            parts.append((" READ-ONLY ", "bold $background on $secondary"))
        if short < 2:
            parts.append(f"  {session.base_url}")
        parts.append("  token ")
        expires_at = getattr(session.client, "token_expires_at", None)
        if session.client.token is None:
            parts.append(("none: log in", "$error"))
        elif expires_at is None:
            parts.append("expiry unknown")
        else:
            left = (expires_at - clock.now()).total_seconds()
            if left <= 0:
                parts.append(("expired", "$error"))
            else:
                words = "" if short else "expires in "
                parts.append((words + format_duration(left), "" if left > 86400 else "$warning"))
        if self._status:
            style = f"${STATUS_STYLE.get(self._status, 'foreground')}"
            parts.append(("  ● ", style))
            parts.append((self._status, style))
        return Content.assemble(*parts)
