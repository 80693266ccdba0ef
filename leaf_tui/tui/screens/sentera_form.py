"""Connect (or recreate) a grower's Sentera credential: username, password, organization.

The modal does the API calls itself so a failure keeps the form open with everything typed and
says what Leaf answered at the field it concerns. The password lives only in its Input: it is
read when sending and goes away with the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from leaf_tui.api.errors import AuthError, Conflict, Invalid, LeafError, NotFound
from leaf_tui.api.models import LeafUser, SenteraCredential
from leaf_tui.domain.sentera_diagnosis import Diagnosis, Problem
from leaf_tui.tui.account import account_label
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.error_text import describe
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.text_input import TextInput
from leaf_tui.tui.workers import ui_work

FIELDS = ("username", "password", "organization")
# Leaf's field names in fieldErrors -> our inputs
API_FIELDS = {"username": "username", "password": "password", "organizationName": "organization"}


@dataclass(frozen=True)
class FormResult:
    credential: SenteraCredential | None
    """The credential created, None when the form was cancelled."""
    last_error: str | None = None
    """What Leaf said about the last failed attempt (the screen's diagnosis uses it)."""
    removed: bool = False
    """The old credential was deleted (recreate), whether or not a new one was created."""
    typed: dict[str, str] | None = None
    """Cancelled: the username and organization as typed, to offer again (never the password)."""


def error_text(exc: LeafError) -> str:
    """What Leaf said, as plainly as possible: its own detail when it gave one."""
    return exc.detail or exc.message


_ORG_PROBLEMS = (Problem.ORG_CASE, Problem.ORG_NOT_FOUND)
_PASSWORD_PROBLEMS = (Problem.PASSWORD_CHANGED, Problem.LOGIN_FAILED)


def recreate_intro(
    existing: SenteraCredential, cause: Diagnosis | None, events: int
) -> tuple[str, str]:
    """(title suffix, intro) of the recreate form, for the cause the screen diagnosed. The
    intro always says what submitting does: Leaf cannot change a credential or check a
    password, so the old one goes first."""
    problem = cause.problem if cause is not None else None
    if problem in _ORG_PROBLEMS:
        org = existing.organization_name or ""
        known = (
            f' Sentera writes it "{cause.organization}".'
            if cause is not None and cause.organization
            else " Ask the grower how it is written in Sentera."
        )
        suffix = ": organization name"
        why = (
            f'Sentera has no organization named exactly "{org}" (names are case-sensitive): '
            f"the password is not the problem.{known} Correct the organization name below and "
            "type the grower's password again."
        )
    elif problem in _PASSWORD_PROBLEMS:
        suffix = ": new password"
        why = "The documented fix for a changed password: type the grower's new password."
    else:
        suffix = ""
        why = "Creates the credential again from the details below and the grower's password."
    lost = "its event" if events == 1 else f"its {events:,} events"
    what = (
        f"Submitting first deletes the current credential and {lost}, then creates a new "
        "one: if Sentera refuses it, the grower has no credential until a submit succeeds."
    )
    return suffix, f"{why}\n{what}"


class SenteraFormScreen(ModalScreen[FormResult]):
    """Connect: empty form. Recreate: username and organization prefilled from `existing`;
    on submit the old credential is deleted, then the new one created."""

    CSS_PATH = "sentera_form.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sentera_form.cancel"),
        Binding("ctrl+s", "submit", "Submit", id="sentera_form.submit"),
    ]

    def __init__(
        self,
        user: LeafUser,
        existing: SenteraCredential | None = None,
        typed: dict[str, str] | None = None,
        *,
        cause: Diagnosis | None = None,
        events: int = 0,
    ) -> None:
        super().__init__()
        self.user = user
        self.existing = existing
        self.typed = typed or {}  # what a cancelled form held: it wins over `existing`
        self.cause = cause  # recreate: what the screen diagnosed, so the intro says why
        self.events = events  # recreate: how many events the delete takes with it
        self.recreate = existing is not None
        self.busy = False
        self.removed = False
        self.last_error: str | None = None

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        existing = self.existing
        verb = "Recreate" if self.recreate else "Connect"
        # The title and the buttons are docked and the rest scrolls, so a long recreate intro
        # or refusal never pushes the buttons off a short terminal.
        with Vertical(id="form-dialog"):
            suffix, intro = ("", "")
            if existing is not None:
                suffix, intro = recreate_intro(existing, self.cause, self.events)
            yield Label(
                f"{verb} Sentera for {self.user.display_name}{suffix}",
                id="form-title",
                markup=False,
            )
            with VerticalScroll(id="form-body"):
                yield from self._compose_body(existing, intro)
            with Horizontal(id="form-buttons"):
                yield Label("ctrl+s submit · esc cancel", classes="muted")
                yield Button("Cancel", id="form-cancel")
                yield Button(verb, variant="primary", id="form-submit")
        yield Footer()  # over the footer of the screen behind: only this form's keys

    def _compose_body(self, existing: SenteraCredential | None, intro: str) -> ComposeResult:
        if existing is not None:
            yield Static(intro, id="form-help", classes="warn", markup=False)
        else:
            yield Static(
                "Leaf logs in to Sentera with these. The password is sent once, never kept.",
                id="form-help",
                classes="muted",
            )
        yield Label("Sentera username", classes="field-label")
        yield TextInput(
            value=self.typed.get("username", (existing.username or "") if existing else ""),
            placeholder="grower@example.com",
            id="username",
        )
        yield Label("", id="username-error", classes="field-error", markup=False)
        # "new" only when the password is what changed (an organization fix needs the same)
        changed = self.recreate and (self.cause is None or self.cause.problem not in _ORG_PROBLEMS)
        yield Label("New password" if changed else "Password", classes="field-label")
        yield TextInput(password=True, placeholder="the grower's Sentera password", id="password")
        yield Label("", id="password-error", classes="field-error", markup=False)
        yield Label("Organization name (exact, case-sensitive)", classes="field-label")
        yield TextInput(
            value=self.typed.get(
                "organization", (existing.organization_name or "") if existing else ""
            ),
            placeholder="as it is written in Sentera",
            id="organization",
        )
        yield Label("", id="organization-error", classes="field-error", markup=False)
        yield Static("", id="form-error", markup=False)

    def on_mount(self) -> None:
        if self.recreate:  # it deletes the credential first: say on which account
            label = account_label(getattr(self.app, "session", None))
            self.query_one("#form-dialog").border_title = Text(f" On {label} ", style="bold")
        first_empty = next((f for f in FIELDS if not self._value(f)), "username")
        self.query_one(f"#{first_empty}", Input).focus()

    # --- values and field errors -------------------------------------------------------------

    def _input(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _value(self, name: str) -> str:
        value = self._input(name).value
        # the password is sent exactly as typed; names lose stray spaces from copy-paste
        return value if name == "password" else value.strip()

    def _set_field_error(self, name: str, message: str) -> None:
        self.query_one(f"#{name}-error", Label).update(message)
        # our own class: Input manages "-invalid" itself and clears it on every change
        self._input(name).set_class(bool(message), "-has-error")

    def _set_form_error(self, message: str) -> None:
        form_error = self.query_one("#form-error", Static)
        form_error.update(message)
        form_error.set_class(bool(message), "-shown")
        if message:  # at the end of the scrolling body: bring it into view
            self.call_after_refresh(form_error.scroll_visible, animate=False)

    def _validate(self) -> list[str]:
        """Every field is required; returns the names of the empty ones (and marks them)."""
        missing = [name for name in FIELDS if not self._value(name)]
        for name in FIELDS:
            if name in missing:
                self._set_field_error(name, "Required")
            elif self.query_one(f"#{name}-error", Label).content == "Required":
                self._set_field_error(name, "")
        return missing

    @on(Input.Changed)
    def _revalidate(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name in FIELDS and self._input(name).has_class("-has-error"):
            # typing fixes the field: drop what Leaf said about the old value
            self._set_field_error(name, "" if self._value(name) else "Required")

    @on(Input.Submitted)
    def _next_or_submit(self, event: Input.Submitted) -> None:
        event.stop()
        empty = [name for name in FIELDS if not self._value(name)]
        if empty and event.input.id != empty[0]:
            self._input(empty[0]).focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # --- actions -----------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.busy:
            return
        typed = {n: v for n in ("username", "organization") if (v := self._input(n).value)}
        self.dismiss(FormResult(None, self.last_error, self.removed, typed or None))

    def action_submit(self) -> None:
        if self.busy:
            return
        missing = self._validate()
        if missing:
            self._input(missing[0]).focus()
            self._set_form_error("")
            return
        self._set_busy(True)
        self._send()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        button = self.query_one("#form-submit", Button)
        button.disabled = busy
        button.loading = busy
        if busy:
            self._set_form_error("")
            self.query_one("#form-error", Static).update("Asking Leaf to log in to Sentera…")

    @ui_work(exclusive=True, group="sentera-form")
    async def _send(self) -> None:
        client = leaf_app(self).client
        user_id = self.user.id
        try:
            if self.recreate and not self.removed:
                try:
                    await client.sentera.delete(user_id)
                except NotFound:
                    pass  # already gone (deleted elsewhere): go on and create
                except LeafError as exc:
                    self._failed(exc, "remove the old Sentera credential", deleting=True)
                    return
                self.removed = True
                self._now_create_only()
            credential = await client.sentera.create(
                user_id,
                self._value("username"),
                self._value("password"),  # read from the Input now, kept nowhere else
                self._value("organization"),
            )
        except LeafError as exc:
            self._failed(exc, "connect Sentera")
            return
        except Exception as exc:  # never crash the app over one form
            self._failed(LeafError(f"{type(exc).__name__}: {exc}"), "connect Sentera")
            return
        self.busy = False
        self.dismiss(FormResult(credential, None, self.removed))

    def _now_create_only(self) -> None:
        """The old credential is gone: the form says so, and a submit only creates."""
        name = self.user.display_name
        self.query_one("#form-title", Label).update(f"Connect Sentera for {name} (again)")
        self.query_one("#form-help", Static).update(
            "The old credential and its events were deleted. Submitting now only creates the "
            "new one."
        )
        self.query_one("#form-submit", Button).label = "Create"

    def _failed(self, exc: LeafError, action: str, *, deleting: bool = False) -> None:
        """Say what went wrong at the form; everything typed stays."""
        self._set_busy(False)
        prefix = ""
        if self.removed and not deleting:
            prefix = (
                f"{self.user.display_name} has NO Sentera credential now: the old one was "
                "deleted and Sentera refused the new one. Correct the form and press ctrl+s "
                "to create it (esc leaves the grower unconnected; c on the Sentera screen "
                "brings this username and organization back).\n"
            )
        if deleting:
            prefix = "Nothing changed: the old credential could not be removed.\n"

        if isinstance(exc, Invalid):
            said = error_text(exc)
            self.last_error = said
            focus = None
            for field_error in exc.field_errors:
                name = API_FIELDS.get(field_error.field)
                if name is not None:
                    self._set_field_error(name, field_error.message)
                    focus = focus or name
            self._set_form_error(prefix + said)
            self._input(focus or "password").focus()
        elif isinstance(exc, Conflict):
            self._set_form_error(
                prefix + "This grower already has a Sentera credential (connected meanwhile?). "
                "Press esc, then r to recreate it or D to delete it."
            )
        elif isinstance(exc, AuthError):
            self._set_form_error(prefix + "Your Leaf session has ended: log in, then submit again.")
            # the login dialog opens; once logged in, the same submit runs again
            leaf_app(self).show_error(exc, action, retry=self.action_submit)
        else:
            title, message = describe(exc, action)
            self._set_form_error(f"{prefix}{title}: {message}")
