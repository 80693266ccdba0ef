"""Log in again when the token is missing or expired. Opened by `app.show_error` on an AuthError;
whatever was interrupted resumes after a successful login (screens below keep their input)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from leaf_tui.api.errors import AuthError
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.error_text import describe
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.text_input import TextInput
from leaf_tui.tui.workers import ui_work


class LoginScreen(ModalScreen[bool]):
    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="login.cancel"),
        Binding("ctrl+s", "login", "Log in", id="login.submit"),
    ]

    def __init__(
        self,
        reason: str = "",
        *,
        profile: str | None = None,
        base_url: str | None = None,
        username: str | None = None,
    ) -> None:
        """Without a session yet (start-up), `profile`/`base_url`/`username` say where to log in;
        with one, the session's client logs in and carries the new token."""
        super().__init__()
        self.reason = reason
        self.profile = profile
        self.base_url = base_url
        self.username = username
        self.busy = False

    def compose(self) -> ComposeResult:
        session = leaf_app(self).session
        profile = self.profile or getattr(session, "profile_name", "?")
        base = self.base_url or getattr(session, "base_url", "") or ""
        username = self.username or getattr(session, "username", None) or ""
        # A known username: the password is all that is missing.
        self.AUTO_FOCUS = "#login-password" if username else "#login-username"  # type: ignore[misc]
        # The buttons are docked and the rest scrolls: they stay visible on a short terminal.
        with Vertical(id="login-dialog"):
            with VerticalScroll(id="login-body", can_focus=False):
                yield Label(f"Log in to {profile}", id="login-title", markup=False)
                yield Static(base, id="login-base", markup=False)
                if self.reason:
                    yield Static(self.reason, id="login-reason", markup=False)
                yield Label("Username (email)")
                yield TextInput(username, id="login-username")
                yield Label("Password")
                yield TextInput(password=True, id="login-password")
                yield Static("", id="login-error", markup=False)
            with Horizontal(id="login-buttons"):
                yield Button("Cancel (esc)", id="login-cancel")
                yield Button("Log in", variant="primary", id="login-ok")
        yield Footer()

    @on(Input.Submitted, "#login-username")
    def _username_done(self) -> None:
        self.query_one("#login-password", Input).focus()

    @on(Input.Submitted, "#login-password")
    @on(Button.Pressed, "#login-ok")
    def _submit(self) -> None:
        self.action_login()

    @on(Button.Pressed, "#login-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_login(self) -> None:
        username = self.query_one("#login-username", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        error = self.query_one("#login-error", Static)
        if not username or not password:
            error.update("Enter the username and the password.")
            return
        if not self.busy:
            self.login(username, password)

    @ui_work(exclusive=True, group="login")
    async def login(self, username: str, password: str) -> None:
        from leaf_tui.domain.session import login

        app = leaf_app(self)
        error = self.query_one("#login-error", Static)
        self.busy = True
        error.update("Logging in…")
        try:
            session = app.session
            if session is not None:
                await login(session.profile_name, username, password, client=app.client)
            else:
                assert self.profile is not None
                await login(self.profile, username, password, base_url=self.base_url)
        except AuthError:
            error.update("Wrong username or password: try again.")
            self.query_one("#login-password", Input).focus()
            return
        except Exception as exc:  # Unreachable, ServerError, a config problem: say so, stay open
            _, text = describe(exc, "log in")
            error.update(text)
            return
        finally:
            self.busy = False
        if app.session is not None:
            app.session.username = username
        app.notify("Logged in")
        self.dismiss(True)
