"""Step 2: who the link is for: an existing Leaf user (searched as on the Users screen), or a new
one by externalId (Leaf creates it with the link, or reuses the user that already has that id)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from leaf_tui.api.errors import LeafError
from leaf_tui.api.models import LeafUser
from leaf_tui.domain.link_draft import LinkDraft
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.screens.wizard.choice import ChoiceSet
from leaf_tui.tui.screens.wizard.messages import Advance
from leaf_tui.tui.screens.wizard.step import WizardStep, field_row
from leaf_tui.tui.widgets.text_input import TextInput
from leaf_tui.tui.workers import ui_work

RESULTS = 50


def describe_user(user: LeafUser) -> str:
    parts = [user.display_name]
    if user.email and user.email != user.display_name:
        parts.append(user.email)
    if user.external_id:
        parts.append(f"externalId {user.external_id}")
    return " · ".join(parts)


class UserStep(WizardStep):
    STEP = "user"
    TITLE = "User"
    # From the search box, up/down move through the matches (enter picks one).
    BINDINGS = [
        Binding("down", "results(1)", "Next match", show=False, id="wizard.user.next"),
        Binding("up", "results(-1)", "Previous match", show=False, id="wizard.user.previous"),
    ]

    def __init__(self, draft: LinkDraft) -> None:
        super().__init__(draft)
        self._results: list[LeafUser] = []

    def compose(self) -> ComposeResult:
        with ChoiceSet(id="user-mode"):
            yield RadioButton("Existing user", value=not self.draft.new_user, id="mode-existing")
            yield RadioButton("New user by externalId", value=self.draft.new_user, id="mode-new")
        with Vertical(id="existing-user"):
            yield Static(self._selected_text(), id="selected-user", markup=False)
            yield TextInput(placeholder="Search name, email, externalId or id", id="user-search")
            yield OptionList(id="user-results")
            yield Static("", id="user-search-status", markup=False)
        with Vertical(id="new-user"):
            yield field_row(
                "externalId (required)",
                "external_id",
                TextInput(
                    self.draft.external_id,
                    placeholder="your system's id for the grower",
                    id="external_id",
                ),
            )
            yield Static("", id="external-id-match", markup=False)
            yield field_row(
                "Name",
                "new_name",
                TextInput(
                    self.draft.new_name, placeholder="defaults to the externalId", id="new_name"
                ),
            )
            yield field_row(
                "Email",
                "new_email",
                TextInput(
                    self.draft.new_email, placeholder="defaults to the externalId", id="new_email"
                ),
            )

    def on_mount(self) -> None:
        self._show_mode()
        self._search("")

    # -- mode --------------------------------------------------------------------------------
    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        new_user = event.index == 1
        if new_user != self.draft.new_user:
            self.draft.new_user = new_user
            self._show_mode()
            self.changed("user")

    def on_advance(self, event: Advance) -> None:
        # enter on the mode switch goes to the mode's first field, not to the next step
        if event.source is not None and event.source.id == "user-mode":
            event.stop()
            target = "#external_id" if self.draft.new_user else "#user-search"
            self.query_one(target).focus()

    def _show_mode(self) -> None:
        self.query_one("#existing-user").display = not self.draft.new_user
        self.query_one("#new-user").display = self.draft.new_user

    def focus_first(self) -> None:
        if self.draft.new_user:
            self.query_one("#external_id").focus()
        else:
            self.query_one("#user-search").focus()

    def focus_field(self, field: str) -> None:
        if field == "user":
            self.query_one("#user-search").focus()
        else:
            super().focus_field(field)

    # -- existing user -------------------------------------------------------------------------
    def _selected_text(self) -> str:
        user = self.draft.user
        return (
            f"Selected: {describe_user(user)}"
            if user
            else "No user chosen yet: search and press enter"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "user-search":
            event.stop()
            self._search(event.value)
            return
        super().on_input_changed(event)
        if event.input.id == "external_id":
            self._show_external_id_match()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "user-search":
            event.stop()
            results = self.query_one("#user-results", OptionList)
            index = results.highlighted if results.highlighted is not None else 0
            if self._results:
                self._choose(self._results[min(index, len(self._results) - 1)])
            return
        super().on_input_submitted(event)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The choice follows the highlight: what the step says is selected, and what ctrl+s
        # makes a link for, is the row highlighted (enter only moves on).
        event.stop()
        user = next((u for u in self._results if u.id == event.option.id), None)
        if user is not None and user != self.draft.user:
            self.draft.user = user
            self.query_one("#selected-user", Static).update(self._selected_text())
            self.changed("user")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._results):
            self._choose(self._results[event.option_index])

    def action_results(self, step: int) -> None:
        results = self.query_one("#user-results", OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -step
            results.highlighted = min(max(current + step, 0), results.option_count - 1)

    def _choose(self, user: LeafUser) -> None:
        self.draft.user = user
        self.query_one("#selected-user", Static).update(self._selected_text())
        self.changed("user")
        self.post_message(Advance(self))

    @ui_work(exclusive=True, group="wizard-user-search")
    async def _search(self, query: str) -> None:
        app = leaf_app(self)
        status = self.query_one("#user-search-status", Static)
        index = app.user_index
        if not index.loaded:
            status.update("Loading users…")
            try:
                await index.load()
            except LeafError as exc:
                status.update(f"Could not load users: {exc.message}")
                return
        found = index.search(query, limit=RESULTS)
        chosen = self.draft.user
        if chosen is not None and not query.strip() and chosen.id not in {u.id for u in found}:
            found.insert(0, chosen)  # the prefilled user, highlighted as the one selected
        self._results = found
        results = self.query_one("#user-results", OptionList)
        results.clear_options()
        results.add_options(Option(Content(describe_user(u)), id=u.id) for u in self._results)
        # A search highlights its first match, which becomes the selected user; with no
        # search, the selected user is highlighted, or nobody until one is chosen.
        ids = [u.id for u in self._results]
        if query.strip() and ids:
            results.highlighted = 0
        elif not query.strip() and chosen is not None:
            results.highlighted = ids.index(chosen.id)  # put first above when not in the page
        shown = len(self._results)
        status.update(
            f"{shown} match{'es' if shown != 1 else ''}"
            + (" (first 50)" if shown == RESULTS else "")
            if query.strip()
            else f"{len(index)} users · type to search · enter picks the highlighted one"
        )
        self._show_external_id_match()

    # -- new user --------------------------------------------------------------------------------
    def _show_external_id_match(self) -> None:
        """Leaf reuses a user with the same externalId: say so before the link is made."""
        hint = self.query_one("#external-id-match", Static)
        wanted = self.draft.external_id
        index = leaf_app(self).user_index
        match = next(
            (u for u in index.search(wanted, limit=20) if wanted and u.external_id == wanted), None
        )
        hint.update(
            f"Existing user with this externalId: {match.display_name}. Leaf will reuse them."
            if match
            else ""
        )
        hint.display = match is not None

    def sync(self) -> None:
        self.query_one("#selected-user", Static).update(self._selected_text())
