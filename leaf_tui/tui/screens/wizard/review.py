"""Step 6: everything at a glance, what still blocks creation (enter jumps to it), and Create."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from leaf_tui.api.models import DEFAULT_BACKGROUND, LinkKind
from leaf_tui.common import clock
from leaf_tui.common.formatting import format_when
from leaf_tui.domain.link_draft import describe_duration, expires_at_after
from leaf_tui.tui.screens.wizard.messages import JumpTo
from leaf_tui.tui.screens.wizard.step import WizardStep
from leaf_tui.tui.screens.wizard.user import describe_user


class ReviewStep(WizardStep):
    STEP = "review"
    TITLE = "Review"
    _shown: tuple[object, object] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-summary")
        yield Static("", id="review-problems-title", classes="step-lead")
        yield OptionList(id="review-problems")
        yield Button("Create link (ctrl+s)", variant="success", id="create")

    def on_mount(self) -> None:
        self.sync()

    def summary_rows(self) -> list[tuple[str, str]]:
        d = self.draft
        if d.new_user:
            who = f"new user, externalId {d.external_id or '—'}"
            extras = [x for x in (d.new_name, d.new_email) if x]
            if extras:
                who += f" ({', '.join(extras)})"
        else:
            who = describe_user(d.user) if d.user else "— not chosen"
        seconds = d.expires_in
        until = format_when(expires_at_after(seconds, clock.now())) if seconds else ""
        expiry = (
            f"{describe_duration(seconds)}: until {until}"
            if seconds is not None
            else f"{d.expiry!r} (not valid)"
        )
        providers = ", ".join(d.offered_providers) if d.kind is not LinkKind.FILE_UPLOAD else "—"
        branding = [
            f"background {d.background_color or DEFAULT_BACKGROUND + ' (default)'}",
            *([f"company {d.company_name}"] if d.company_name else []),
            *(["logo"] if d.company_logo else []),
            *(["header image"] if d.header_image else []),
            *(["shows the grower's name"] if d.show_leaf_user_name else []),
            *(
                ["disconnect offered"]
                if d.disconnect_enabled and d.kind is not LinkKind.FILE_UPLOAD
                else []
            ),
        ]
        return [
            ("Kind", d.kind.label),
            ("User", who),
            ("Providers", providers or "— none"),
            ("Expires", expiry),
            ("Branding", ", ".join(branding)),
        ]

    def sync(self) -> None:
        rows = self.summary_rows()
        problems = self.draft.problems()
        if (rows, problems) == self._shown:
            return  # unchanged: an update re-lays out the screen
        self._shown = (rows, problems)
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for label, value in rows:
            table.add_row(label, Text(value))  # Text: a value is never markup
        self.query_one("#review-summary", Static).update(table)
        title = self.query_one("#review-problems-title", Static)
        title.update("Still to do (enter jumps there):" if problems else "Ready to create.")
        listing = self.query_one("#review-problems", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(Content(f"{p.step.capitalize()}: {p.message}"), id=f"{p.step}:{p.field}")
            for p in problems
        )
        if problems:
            listing.highlighted = 0
        listing.display = bool(problems)
        self.query_one("#create", Button).disabled = bool(problems)

    def focus_first(self) -> None:
        target = "#review-problems" if self.draft.problems() else "#create"
        self.query_one(target).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        step, _, field = (event.option.id or "").partition(":")
        self.post_message(JumpTo(step, field))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            event.stop()
            await self.run_action("screen.create")
