"""The create-link wizard screen: steps, moving between them, and creating the link.

Every step edits one `LinkDraft`; after each change the screen revalidates and redraws the step
indicator, the preview, the review and the Create status. A create is sent at most once per key
press; a failure keeps the whole draft; an answer lost on the way back is checked against the
user's links before anything is sent again."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher

from leaf_tui.api.errors import AuthError, Invalid, LeafError, Unreachable
from leaf_tui.api.models import (
    EXPIRES_IN_DEFAULT,
    EXPIRES_IN_MAX,
    EXPIRES_IN_MIN,
    CreatedLink,
    LeafUser,
    LinkKind,
    LinkRequest,
    LinkSettings,
    MagicLink,
)
from leaf_tui.common import clock
from leaf_tui.domain.link_draft import SERVER_FIELDS, STEP_OF_FIELD, LinkDraft
from leaf_tui.domain.presets import PresetStore
from leaf_tui.tui import account
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.screens.wizard.create import find_created, send
from leaf_tui.tui.screens.wizard.customize import CustomizeStep
from leaf_tui.tui.screens.wizard.expiry import ExpiryStep
from leaf_tui.tui.screens.wizard.indicator import StepIndicator
from leaf_tui.tui.screens.wizard.kind import KindStep
from leaf_tui.tui.screens.wizard.messages import Advance, DraftChanged, JumpTo
from leaf_tui.tui.screens.wizard.prefill import WizardPrefill, initial_draft
from leaf_tui.tui.screens.wizard.providers import ProvidersStep
from leaf_tui.tui.screens.wizard.renew import offer_to_delete_renewed
from leaf_tui.tui.screens.wizard.review import ReviewStep
from leaf_tui.tui.screens.wizard.step import Line, WizardStep
from leaf_tui.tui.screens.wizard.user import UserStep
from leaf_tui.tui.widgets.footer import Footer
from leaf_tui.tui.widgets.header import LeafHeader
from leaf_tui.tui.workers import ui_work

KEPT = "Everything you entered is kept:"
ARTICLE = {LinkKind.PROVIDER: "a", LinkKind.AUTHENTICATION: "an", LinkKind.FILE_UPLOAD: "a"}


@dataclass(frozen=True)
class _Uncertain:
    """A POST whose answer never came: it may or may not have created the link."""

    request: LinkRequest
    started: datetime
    draft: LinkDraft  # as it was sent: the person may edit the form meanwhile


def _load_settings() -> tuple[int, bool]:
    """(default link expiry, auto copy) from the settings file, shared with `leaf-tui link
    create`; a broken file falls back to the defaults rather than stopping the wizard."""
    from leaf_tui.domain import config

    try:
        settings = config.load_settings()
    except (config.ConfigError, OSError):
        return EXPIRES_IN_DEFAULT, config.Settings.auto_copy
    seconds = settings.link_expiry
    expiry = seconds if EXPIRES_IN_MIN <= seconds <= EXPIRES_IN_MAX else EXPIRES_IN_DEFAULT
    return expiry, settings.auto_copy


class WizardScreen(Screen[None]):
    CSS_PATH = "wizard.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", "Create link", id="wizard.create", priority=True),
        Binding("ctrl+n", "next", "Next", id="wizard.next"),
        Binding("ctrl+b", "back", "Back", id="wizard.back"),
        Binding("ctrl+r", "save_branding", "Save branding", id="wizard.save_branding"),
        Binding("escape", "close", "Close", id="wizard.close"),
        # Leaving by a global key must not drop what was typed: ask first.
        Binding("u", "leave('users')", "Users", show=False, id="wizard.users"),
        Binding("l", "leave('links')", "Links", show=False, id="wizard.links"),
        Binding("q", "leave('quit')", "Quit", show=False, id="wizard.quit"),
        Binding("n", "noop", show=False, id="wizard.new_link"),
    ]

    def __init__(self, prefill: WizardPrefill | None = None) -> None:
        super().__init__()
        self.store = PresetStore()
        default_expiry, self.auto_copy = _load_settings()
        self.draft = initial_draft(prefill, self.store.last_used(), default_expiry)
        self.renews = prefill.renews if prefill is not None else None
        self._initial = copy.deepcopy(self.draft)
        self.current = "kind"
        self.busy = False  # a create (or a check) is in flight
        self.done = False  # the link exists: the result screen replaces this one
        self.uncertain: _Uncertain | None = None
        self.error: str = ""
        # In order; all share the one draft.
        self.steps: list[WizardStep] = [
            KindStep(self.draft),
            UserStep(self.draft),
            ProvidersStep(self.draft),
            ExpiryStep(self.draft),
            CustomizeStep(self.draft, self.store),
            ReviewStep(self.draft),
        ]

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield LeafHeader()
        yield StepIndicator([(s.STEP, s.TITLE) for s in self.steps])
        with Vertical(id="wizard-body"):
            with ContentSwitcher(initial="step-kind", id="steps"):
                yield from self.steps
            with Horizontal(id="wizard-error-bar"):
                yield Line(id="wizard-error")
                yield Button("Retry (ctrl+s)", id="retry", variant="warning")
            yield Line(id="wizard-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Renew a magic link" if self.renews else "New magic link"
        self._refresh_all()
        self.call_after_refresh(self._step("kind").focus_first)

    # -- steps -------------------------------------------------------------------------------
    def _step(self, name: str) -> WizardStep:
        return next(s for s in self.steps if name == s.STEP)

    def _order(self) -> list[str]:
        """The steps in order, without the ones this kind of link skips."""
        skipped = self._skipped()
        return [s.STEP for s in self.steps if s.STEP not in skipped]

    def _skipped(self) -> set[str]:
        return {"providers"} if self.draft.kind is LinkKind.FILE_UPLOAD else set()

    def go_to(self, name: str, field: str = "") -> None:
        self.current = name
        self.query_one("#steps", ContentSwitcher).current = f"step-{name}"
        step = self._step(name)
        step.sync()
        self._refresh_all()
        if field:
            self.call_after_refresh(step.focus_field, field)
        else:
            self.call_after_refresh(step.focus_first)

    def action_next(self) -> None:
        order = self._order()
        index = order.index(self.current) if self.current in order else 0
        if index + 1 < len(order):
            self.go_to(order[index + 1])

    def action_back(self) -> None:
        order = self._order()
        index = order.index(self.current) if self.current in order else 0
        if index > 0:
            self.go_to(order[index - 1])

    def on_advance(self, event: Advance) -> None:
        event.stop()
        if self.current == "review":
            self.action_create()
        else:
            self.action_next()

    def on_jump_to(self, event: JumpTo) -> None:
        event.stop()
        if event.step in self._order():
            self.go_to(event.step, event.field)

    # -- validation and redraw -----------------------------------------------------------------
    def on_draft_changed(self, event: DraftChanged) -> None:
        event.stop()
        if event.field == "kind":  # which providers widget, the disconnect switch, skipped steps
            for step in self.steps:
                step.sync()
        self._refresh_all()

    def _refresh_all(self) -> None:
        problems = self.draft.problems()
        errors: dict[str, str] = {}
        for problem in problems:
            errors.setdefault(problem.field, problem.message)
        for step in self.steps:
            step.show_errors(errors)
        self._step("customize").sync()  # the preview
        self._step("review").sync()  # the summary and the Create button
        self.query_one(StepIndicator).show(
            self.current, {p.step for p in problems}, self._skipped()
        )
        self._show_status()
        self.refresh_bindings()

    def _show_status(self) -> None:
        status = self.query_one("#wizard-status", Line)
        problems = self.draft.problems()
        status.set_class(bool(problems) and not self.busy, "-blocked")
        if self.busy:
            status.show(
                "Creating the link…" if self.uncertain is None else "Checking the user's links…"
            )
        elif self.uncertain is not None:
            status.show(
                "ctrl+s checks whether the earlier attempt created the link, then creates it if not"
            )
        elif problems:
            first = problems[0]
            status.show(f"Create is disabled: {first.message} ({first.step.capitalize()} step)")
        else:
            d = self.draft
            what = f"{ARTICLE[d.kind]} {d.kind.label.lower()} link for {d.user_name}"
            copies = " and copies it to the clipboard" if self.auto_copy else ""
            if self.renews is not None:
                # Leaf cannot extend a link: renewing is a new one, the old one stays until deleted
                status.show(
                    f"Renew: ctrl+s creates {what} like the old one{copies}; "
                    "then you can delete the old link"
                )
            else:
                status.show(f"Ready: ctrl+s creates {what}{copies}")
        bar = self.query_one("#wizard-error-bar")
        bar.display = bool(self.error)
        self.query_one("#wizard-error", Line).show(self.error)
        self.query_one("#retry", Button).disabled = self.busy or (
            bool(problems) and self.uncertain is None
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if account.hides(self.app, action):
            return False
        if action == "create":
            if self.busy:
                return None
            return True if self.uncertain is not None or not self.draft.problems() else None
        if action == "next":
            order = self._order()
            return None if self.current == order[-1] else True
        if action == "back":
            return None if self.current == self._order()[0] else True
        return True

    # -- leaving ----------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.draft != self._initial

    def action_noop(self) -> None:
        """`n` inside the wizard: already making a link."""

    def action_close(self) -> None:
        self.action_leave("back")

    def action_leave(self, where: str) -> None:
        from leaf_tui.tui.screens.confirm import leave_keeping_typed_input

        def go() -> None:
            app = leaf_app(self)
            if where == "quit":
                app.exit()
            elif where == "users":
                app.open_users()
            elif where == "links":
                app.open_links()
            else:
                self.dismiss()

        if self.busy:
            self.notify("The link is being created: wait a moment.", severity="warning")
            return
        leave_keeping_typed_input(self, self.dirty, "Discard this link draft?", go)

    # -- branding presets -----------------------------------------------------------------------
    def action_save_branding(self) -> None:
        from leaf_tui.tui.screens.wizard.save_preset import SavePresetScreen

        customize = self._step("customize")
        if any(self.draft.field_errors().get(f) for f in LinkSettings.TEXT_KEYS):
            self.notify(
                "Fix the branding fields before saving them as a preset.", severity="warning"
            )
            self.go_to("customize")
            return

        def save(name: str | None) -> None:
            if not name:
                return
            try:
                self.store.save_branding(name, self.draft.settings())
            except (OSError, ValueError) as exc:
                self.notify(f"Could not save the preset: {exc}", severity="error", markup=False)
                return
            assert isinstance(customize, CustomizeStep)
            customize.reload_presets(name)
            self.notify(f"Saved branding preset “{name}”.", markup=False)

        names = tuple(p.name for p in self.store.branding())
        self.app.push_screen(SavePresetScreen(self.draft.company_name, names), save)

    # -- create --------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "retry":
            event.stop()
            self.action_create()

    def action_create(self) -> None:
        if self.busy:
            return  # one request at a time: a second press never sends a second POST
        if self.uncertain is None:
            problems = self.draft.problems()
            if problems:
                self.go_to(problems[0].step, problems[0].field)
                return
        self.busy = True
        self._show_status()
        self.refresh_bindings()
        self._create()

    @ui_work(group="wizard-create", exit_on_error=False)
    async def _create(self) -> None:
        try:
            if self.uncertain is not None:
                await self._check_uncertain()
                return
            request = self.draft.to_request()
            started = clock.now()
            try:
                created = await send(leaf_app(self).client, self.draft, request)
            except Unreachable as exc:
                if not exc.maybe_sent:
                    raise
                self.uncertain = _Uncertain(request, started, copy.deepcopy(self.draft))
                self._set_error(
                    f"No answer from Leaf ({exc.message}): the link may have been created. "
                    "Checking the user's links before anything is sent again…"
                )
                await self._check_uncertain()
                return
            await self._succeeded(created, request)
        except AuthError as exc:
            leaf_app(self).show_error(exc, "create the link", retry=self.action_create)
            self._set_error("Log in again to create the link: everything you entered is kept.")
        except Invalid as exc:
            self._server_rejected(exc)
        except LeafError as exc:
            self._set_error(f"Could not create the link: {exc.message}. {KEPT} ctrl+s retries.")
        except Exception as exc:  # never lose the draft to a surprise
            self._set_error(
                f"Could not create the link ({type(exc).__name__}). {KEPT} ctrl+s retries."
            )
        finally:
            self.busy = False
            if self.is_attached and not self.done:
                self._refresh_all()

    async def _check_uncertain(self) -> None:
        uncertain = self.uncertain
        assert uncertain is not None
        try:
            found = await find_created(
                leaf_app(self).client, uncertain.draft, uncertain.request, uncertain.started
            )
        except LeafError as exc:
            self._set_error(
                f"Still no answer from Leaf ({exc.message}). The earlier attempt may have created "
                "the link: ctrl+s checks again before creating it."
            )
            return
        self.uncertain = None
        if found is not None:
            await self._succeeded(found, uncertain.request)
        else:
            self._set_error(f"Leaf did not create the link. {KEPT} ctrl+s creates it now.")

    def _server_rejected(self, exc: Invalid) -> None:
        mapped: dict[str, str] = {}
        for error in exc.field_errors:
            field = SERVER_FIELDS.get(error.field) or SERVER_FIELDS.get(
                error.field.rsplit(".", 1)[-1]
            )
            if field:
                mapped.setdefault(field, f"Leaf: {error.message}")
        self.draft.server_errors.update(mapped)
        self._set_error(
            f"Leaf rejected the link: {exc.message}. Fix the marked fields; nothing else changed."
        )
        if mapped:
            first = next(iter(mapped))
            self.go_to(STEP_OF_FIELD.get(first, "review"), first)

    def _set_error(self, text: str) -> None:
        self.error = text
        if self.is_attached:
            self._show_status()

    async def _succeeded(self, created: CreatedLink | MagicLink, request: LinkRequest) -> None:
        from leaf_tui.tui.screens.link_result import CreatedInfo, LinkResultScreen

        app = leaf_app(self)
        if self.renews is None:  # a renewal copies an old link: not the engineer's usual choice
            try:
                self.store.remember(request.kind, self.draft.offered_providers, request.expires_in)
            except OSError as exc:
                self.log.warning("could not remember the wizard's choices", exc)
        new_user_id = created.leaf_user_id if self.draft.new_user else None
        if new_user_id and app.user_index.get(new_user_id) is None:
            # Users lists the new grower at once; Leaf's own record replaces this when it comes
            app.user_created(
                LeafUser(
                    id=new_user_id,
                    name=self.draft.new_name or None,
                    email=self.draft.new_email or None,
                    external_id=self.draft.external_id,
                )
            )
        if new_user_id:
            app.fetch_user_created(new_user_id)
        result = await app.copy(created.link) if self.auto_copy else None
        info = CreatedInfo(
            id=created.id,
            link=created.link,
            kind=request.kind,
            leaf_user_id=created.leaf_user_id,
            user_name=self.draft.user_name,
            user=None if self.draft.new_user else self.draft.user,
            providers=request.allowed_providers
            or ((request.provider,) if request.provider else ()),
            expires_at=created.expires_at,
        )
        self.error = ""
        self.done = True
        app.switch_screen(LinkResultScreen(info, result))
        if self.renews is not None:
            offer_to_delete_renewed(app, self.renews, self.draft.user_name)
