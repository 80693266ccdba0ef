"""Add or edit a Leaf user: a modal form that validates each field as it is typed and keeps
everything entered when the API refuses (field errors land next to their field)."""

from __future__ import annotations

import json
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from leaf_tui.api.errors import AuthError, Conflict, Invalid, LeafError, Unreachable
from leaf_tui.api.models import LeafUser
from leaf_tui.domain.link_draft import validate_email, validate_phone
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.error_text import describe
from leaf_tui.tui.screens.confirm import ConfirmScreen, leave_keeping_typed_input
from leaf_tui.tui.screens.user_create import (
    Identity,
    existing_ids,
    find_created,
    users_with_external_id,
)
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.text_input import TextInput
from leaf_tui.tui.workers import ui_work

# (input id, label, the API's field name, max length)
FIELDS = (
    ("name", "Name", "name", 255),
    ("email", "Email", "email", 254),
    ("external_id", "External ID", "externalId", 255),
    ("phone", "Phone", "phone", 50),
    ("address", "Address", "address", 500),
)
API_TO_INPUT = {api: ident for ident, _, api, _ in FIELDS}
IDENTITY = ("name", "email", "external_id")


def address_to_text(address: Any) -> str:
    if address is None:
        return ""
    if isinstance(address, dict):
        return json.dumps(address)
    return str(address)


def text_to_address(text: str) -> Any:
    """Objects round-trip as JSON; anything else is sent as the string typed."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            value = json.loads(stripped)
        except ValueError:
            return stripped
        if isinstance(value, dict):
            return value
    return stripped or None


def field_problem(ident: str, value: str, max_len: int) -> str | None:
    """The shared rules (link_draft's, as in the wizard and the CLI) for email and phone; the
    length Leaf stores for the others."""
    value = value.strip()
    if ident == "email":
        return validate_email(value, max_len)
    if ident == "phone":
        return validate_phone(value)
    if len(value) > max_len:
        return f"Keep it to {max_len} characters or fewer"
    return None


class UserFormScreen(ModalScreen[LeafUser | None]):
    CSS_PATH = "user_form.tcss"
    AUTO_FOCUS = "#name"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="user_form.save"),
        Binding("escape", "cancel", "Cancel", id="user_form.cancel"),
    ]

    def __init__(self, user: LeafUser | None) -> None:
        super().__init__()
        self.user = user
        self.saving = False
        # a create whose answer was lost: what it sent, and who looked like that before it
        self._uncertain: tuple[Identity, frozenset[str]] | None = None
        self._touched: set[str] = set()
        self._errors: dict[str, str] = {}
        self._initial: dict[str, str] = {}  # the values the form opened with
        # an externalId another user has, which the person said yes to sharing
        self._shared_external_id: str | None = None

    @property
    def title_text(self) -> str:
        return f"Edit {self.user.display_name}" if self.user else "Add a Leaf user"

    def compose(self) -> ComposeResult:
        user = self.user
        values = {
            "name": user.name if user else None,
            "email": user.email if user else None,
            "external_id": user.external_id if user else None,
            "phone": user.phone if user else None,
            "address": address_to_text(user.address) if user else None,
        }
        self._initial = {ident: values[ident] or "" for ident, *_ in FIELDS}
        # The title and the actions are docked: only the fields scroll, so Save and Cancel
        # stay on screen however short the terminal.
        with Vertical(id="user-form"):
            yield Label(self.title_text, id="user-form-title", markup=False)
            with VerticalScroll(id="user-form-fields"):
                for ident, label, _, _ in FIELDS:
                    yield Label(label, classes="field-label")
                    yield TextInput(values[ident] or "", id=ident)
                    yield Static("", id=f"{ident}-error", classes="field-error", markup=False)
                    if ident == "external_id":
                        yield Static("", id="external_id-match", classes="field-warning")
                yield Static(
                    "At least one of name, email or external ID.",
                    id="user-form-hint",
                    markup=False,
                )
            with Vertical(id="user-form-actions"):
                yield Static("", id="user-form-error", markup=False)
                with Horizontal(id="user-form-buttons"):
                    yield Button("Cancel (esc)", id="user-form-cancel")
                    yield Button("Save (ctrl+s)", variant="primary", id="user-form-save")
        yield Footer()

    def on_mount(self) -> None:
        # focusing the first field may scroll the body while it is laid out: start at the top,
        # so its label shows
        fields = self.query_one("#user-form-fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_home, animate=False)
        self.query_one("#external_id-match", Static).display = False
        self._load_user_index()

    # -- another user with this externalId ----------------------------------------------------

    def _new_external_id(self) -> str:
        """The externalId typed, "" when none or (editing) the one the user already had."""
        value = self.query_one("#external_id", Input).value.strip()
        return "" if self.user and value == self._initial["external_id"].strip() else value

    def _others_with_external_id(self, value: str) -> list[LeafUser]:
        """From the user index (instant; the save asks Leaf again)."""
        wanted = value.casefold()
        mine = self.user.id if self.user else None
        return [
            u
            for u in leaf_app(self).user_index.search(value, limit=50)
            if (u.external_id or "").casefold() == wanted and u.id != mine
        ]

    def _show_external_id_match(self) -> None:
        value = self._new_external_id()
        others = self._others_with_external_id(value) if value else []
        hint = self.query_one("#external_id-match", Static)
        text = (
            f"Existing user with this externalId: {_names(others)}. Saving asks first."
            if others
            else ""
        )
        if str(hint.content) != text:
            hint.update(text)
            hint.display = bool(text)

    @ui_work(exclusive=True, group="user-form-index")
    async def _load_user_index(self) -> None:
        index = leaf_app(self).user_index
        if not index.loaded:
            try:
                await index.load()
            except LeafError:
                return  # the save still asks Leaf
        self._show_external_id_match()

    @on(Input.Blurred, "#external_id")
    def _external_id_left(self) -> None:
        self._show_external_id_match()

    # -- validation ---------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {ident: self.query_one(f"#{ident}", Input).value for ident, *_ in FIELDS}

    def set_field_error(self, ident: str, message: str | None) -> None:
        # Only touch the widgets when the message changes: an update re-lays out the form.
        if self._errors.get(ident) == (message or ""):
            return
        self._errors[ident] = message or ""
        self.query_one(f"#{ident}-error", Static).update(message or "")
        self.query_one(f"#{ident}", Input).set_class(bool(message), "-invalid")

    def validate(self, *, all_fields: bool = False) -> bool:
        values = self.values()
        ok = True
        for ident, _, _, max_len in FIELDS:
            problem = field_problem(ident, values[ident], max_len)
            if ident in self._touched or all_fields or problem:
                self.set_field_error(ident, problem)
            ok = ok and problem is None
        if not any(values[i].strip() for i in IDENTITY):
            if all_fields or self._touched & set(IDENTITY):
                self.set_field_error("name", "give a name, an email or an external ID")
            ok = False
        return ok

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._touched.add(event.input.id)
        self._set_message("")
        self.validate()
        if event.input.id == "external_id":
            self._show_external_id_match()

    def _set_message(self, text: str) -> None:
        message = self.query_one("#user-form-error", Static)
        if str(message.content) != text:
            message.update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # enter moves to the next field; on the last one it saves
        if event.input.id == FIELDS[-1][0]:
            self.action_save()
        else:
            self.focus_next()

    # -- save -----------------------------------------------------------------------------------

    @on(Button.Pressed, "#user-form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#user-form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        question = "Discard the changes to this user?" if self.user else "Discard this new user?"
        changed = self.values() != self._initial
        leave_keeping_typed_input(self, changed, question, lambda: self.dismiss(None))

    def action_save(self) -> None:
        if self.saving:
            return
        if not self.validate(all_fields=True):
            self.query_one("#user-form-error", Static).update("Fix the fields marked in red.")
            return
        self.save()

    @ui_work(exclusive=True, group="user-form-save")
    async def save(self) -> None:
        values = {k: v.strip() for k, v in self.values().items()}
        self.saving = True
        self.query_one("#user-form-save", Button).disabled = True
        checking = self._uncertain is not None
        self._set_message("Checking whether Leaf created the user…" if checking else "Saving…")
        try:
            if self._uncertain is not None:
                saved = await self._check_uncertain()
            elif not await self._external_id_agreed(values["external_id"]):
                saved = None  # asked; a yes saves again
            elif self.user is None:
                saved = await self._create(values)
            else:
                saved = await leaf_app(self).client.users.update(self.user, **self._fields(values))
        except LeafError as exc:
            self.show_failure(exc)
            return
        finally:
            self.saving = False
            self.query_one("#user-form-save", Button).disabled = False
        if saved is not None:
            self.dismiss(saved)

    async def _external_id_agreed(self, external_id: str) -> bool:
        """False, after asking, when another user has this externalId: Leaf accepts a second
        one (the sandbox does; Leaf documents nothing), which is seldom what is meant."""
        if not self._new_external_id() or external_id == self._shared_external_id:
            return True
        others = await users_with_external_id(
            leaf_app(self).client.users,
            external_id,
            except_id=self.user.id if self.user else None,
        )
        if not others:
            return True
        have = f"{_names(others)} already {'has' if len(others) == 1 else 'have'}"
        if self.user is None:
            question = (
                f"{have} externalId {external_id}. Create a second user with the same externalId?"
            )
            verb = "Create anyway"
        else:
            question = (
                f"{have} externalId {external_id}. Give {self.user.display_name} the same "
                "externalId?"
            )
            verb = "Save anyway"
        self._set_message(f"Not saved yet: {have} externalId {external_id}.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._shared_external_id = external_id
                self.action_save()
            else:
                self._set_message("Not saved: change the externalId, or save to be asked again.")
                self.query_one("#external_id", Input).focus()

        self.app.push_screen(ConfirmScreen(question, verb), answered)
        return False

    @staticmethod
    def _fields(values: dict[str, str]) -> dict[str, Any]:
        """The LeafUser fields the form edits, from the stripped values ("" -> None)."""
        return {
            "name": values["name"] or None,
            "email": values["email"] or None,
            "external_id": values["external_id"] or None,
            "phone": values["phone"] or None,
            "address": text_to_address(values["address"]),
        }

    async def _create(self, values: dict[str, str]) -> LeafUser | None:
        """One POST. Who already looks like the new user is asked first, so that if the answer
        is lost the user it made can be told apart (names are not unique); then it is checked
        at once, before anything can be sent again. None: not created, the form says why."""
        users = leaf_app(self).client.users
        identity = Identity(values["name"], values["email"], values["external_id"])
        before = await existing_ids(users, identity)
        try:
            return await users.create(**self._fields(values))
        except Unreachable as exc:
            if not exc.maybe_sent:
                raise
            self._uncertain = (identity, before)
            self._set_message(
                f"No answer from Leaf ({exc.message}): the user may have been created. "
                "Checking before anything is sent again…"
            )
            return await self._check_uncertain()

    async def _check_uncertain(self) -> LeafUser | None:
        assert self._uncertain is not None
        identity, before = self._uncertain
        try:
            found = await find_created(leaf_app(self).client.users, identity, before)
        except AuthError:
            raise  # the login dialog, then ctrl+s is pressed for us and checks again
        except LeafError as exc:
            self._set_message(
                f"Still no answer from Leaf ({exc.message}). The earlier attempt may have "
                "created the user: ctrl+s checks again before creating it."
            )
            return None
        self._uncertain = None
        if found is None:
            self._set_message(
                "Leaf did not create the user. Everything typed is kept: ctrl+s creates it now."
            )
        return found

    def show_failure(self, exc: LeafError) -> None:
        """Field errors go next to their field; everything typed stays. Other failures become a
        notification (AuthError: the login dialog, after which the save is retried)."""
        action = "save the user"
        message = self.query_one("#user-form-error", Static)
        if isinstance(exc, Conflict):
            # Leaf refusing a second user with an externalId (or a change to one): say so at
            # the field; nothing to retry as it is
            if self.query_one("#external_id", Input).value.strip():
                self.set_field_error("external_id", "Leaf refused: this externalId is taken")
            message.update(f"Leaf refused to save the user: {exc.message}")
            return
        if isinstance(exc, Invalid) and exc.field_errors:
            unplaced = []
            for fe in exc.field_errors:
                ident = API_TO_INPUT.get(fe.field)
                if ident is None:
                    unplaced.append(f"{fe.field}: {fe.message}")
                else:
                    self.set_field_error(ident, fe.message)
            message.update(
                "The server refused: " + ("; ".join(unplaced) if unplaced else "see the fields")
            )
            return
        _, text = describe(exc, action)
        message.update(text.splitlines()[0])
        leaf_app(self).show_error(exc, action, retry=self.action_save)


def _names(users: list[LeafUser], shown: int = 3) -> str:
    names = ", ".join(u.display_name for u in users[:shown])
    return names + (f" and {len(users) - shown} more" if len(users) > shown else "")
