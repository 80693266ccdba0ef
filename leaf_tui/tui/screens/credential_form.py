"""Create a provider credential again from its documented fields (providers magic links do not
cover: Raven, Lindsay, Valley, Agvance, Panorama; any other too). Leaf has no update: an existing
credential is deleted first, as the intro says. The modal makes the calls itself, so a failure
keeps everything typed and says what Leaf answered at the field it concerns. Secrets live only
in their (password) inputs."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from leaf_tui.api.errors import Invalid, LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import Provider, ProviderCredential
from leaf_tui.tui.account import account_label
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.error_text import describe
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.text_input import TextInput
from leaf_tui.tui.workers import ui_work


class CredentialFormScreen(ModalScreen[ProviderCredential | None]):
    """Dismisses with the credential created, or None when cancelled."""

    CSS_PATH = "credential_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Create", priority=True, id="credential.save"),
        Binding("escape", "cancel", "Cancel", id="credential.cancel"),
    ]

    def __init__(
        self, user: LeafUser, provider: Provider, existing: ProviderCredential | None
    ) -> None:
        super().__init__()
        self.user = user
        self.provider = provider
        self.existing = existing
        self.busy = False
        self.removed = False

    def compose(self) -> ComposeResult:
        p = self.provider
        with Vertical(id="credential-dialog"):
            yield Label(
                f"{p.display} credential · {self.user.display_name}",
                id="credential-title",
                markup=False,
            )
            session = leaf_app(self).session
            intro = (
                f"Leaf cannot change a credential: ctrl+s deletes the current one, then creates "
                f"this one (profile {account_label(session)})."
                if self.existing is not None
                else f"ctrl+s creates it (profile {account_label(session)})."
            )
            yield Static(intro, id="credential-intro", markup=False)
            with VerticalScroll(id="credential-fields"):
                for name in p.fields:
                    choices = p.choices.get(name)
                    hint = f" ({' or '.join(choices)})" if choices else ""
                    yield Label(f"{name}{hint}", classes="credential-label", markup=False)
                    known = self.existing.raw.get(name) if self.existing else None
                    keep = "" if p.is_secret(name) or known is None else str(known)
                    yield TextInput(
                        value=keep,
                        password=p.is_secret(name),
                        id=f"field-{name}",
                        placeholder="secret: typed, never shown" if p.is_secret(name) else name,
                    )
            yield Label("", id="credential-error", markup=False)
        yield Footer()

    def _values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#field-{name}", Input).value.strip()
            for name in self.provider.fields
        }

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def _error(self, text: str, field: str | None = None) -> None:
        self.query_one("#credential-error", Label).update(text)
        if field is not None and field in self.provider.fields:
            self.query_one(f"#field-{field}", Input).focus()

    def action_save(self) -> None:
        if self.busy:
            return
        values = self._values()
        for name, value in values.items():
            choices = self.provider.choices.get(name)
            if choices and value and value not in choices:
                self._error(f"{name} must be {' or '.join(choices)}", name)
                return
        empty = [name for name, value in values.items() if not value]
        if len(empty) == len(values):
            self._error("Fill in the fields the grower gave you.", self.provider.fields[0])
            return
        self._save(values)

    @ui_work(exclusive=True, group="credential-save")
    async def _save(self, values: dict[str, str]) -> None:
        app = leaf_app(self)
        p = self.provider
        self.busy = True
        self._error("Sending…")
        try:
            if self.existing is not None and not self.removed:
                with contextlib.suppress(NotFound):
                    await app.client.credentials.delete(p, self.user.id)
                self.removed = True
            created = await app.client.credentials.create(p, self.user.id, values)
        except Invalid as exc:
            field = exc.field_errors[0].field if exc.field_errors else None
            self._error(f"Leaf refused it: {exc.detail or exc.message}", field)
            return
        except LeafError as exc:
            gone = " The old credential is already deleted." if self.removed else ""
            title, message = describe(exc, f"create the {p.display} credential")
            self._error(f"{title}: {message}{gone}")
            return
        finally:
            self.busy = False
        self.dismiss(created)
