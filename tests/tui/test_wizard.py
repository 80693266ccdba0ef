"""The create-link wizard through the Pilot against the sandbox: every kind, both user paths,
validation at each field, the live preview, ctrl+s from anywhere, presets, failures and retries,
and the clipboard."""

from __future__ import annotations

from typing import Any

import httpx
import pyperclip
import pytest
from textual.color import Color
from textual.widgets import Button, Input, Select, Switch

from leaf_tui.api.models import DEFAULT_BACKGROUND, PROVIDERS, LinkKind, LinkRequest, LinkSettings
from leaf_tui.common import clipboard
from leaf_tui.common.formatting import share_message
from leaf_tui.domain.link_draft import (
    MSG_DURATION,
    MSG_DURATION_MAX,
    MSG_DURATION_MIN,
    MSG_EMAIL,
    MSG_EXTERNAL_ID_REQUIRED,
    MSG_EXTERNAL_ID_SPACE,
    MSG_HEX,
    MSG_PROVIDERS_NONE,
    MSG_TOO_LONG,
    MSG_URL_HOST,
    MSG_URL_SCHEME,
    MSG_USER,
)
from leaf_tui.domain.presets import PresetStore
from leaf_tui.tui.app import LeafApp
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.wizard import WizardPrefill, WizardScreen
from leaf_tui.tui.screens.wizard.preview import LinkPreview
from leaf_tui.tui.screens.wizard.save_preset import SavePresetScreen
from tests.tui.conftest import SIZE, HoldPosts, LoseFirstPostAnswer, app_through
from tests.tui.wizard_steps import open_wizard

OWNER = "support@sandbox.local"
ML = "/services/widgets/api/magic-link"


# -- helpers ------------------------------------------------------------------------------------


async def link_count(control: httpx.AsyncClient) -> int:
    return int((await control.get("/_sandbox/counts")).json()[OWNER]["links"])


async def user_count(control: httpx.AsyncClient) -> int:
    return int((await control.get("/_sandbox/counts")).json()[OWNER]["users"])


def wizard(app: LeafApp) -> WizardScreen:
    assert isinstance(app.screen, WizardScreen), type(app.screen).__name__
    return app.screen


async def type_into(pilot: Any, selector: str, text: str, *, keys: bool = False) -> None:
    """Fill an input: key by key with `keys` (slow in the Pilot), else as one paste."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.value = ""
    if keys:
        await pilot.press(*text)
    else:
        box.insert_text_at_cursor(text)
    await pilot.pause()


def error_at(app: LeafApp, field: str) -> str | None:
    """The message shown under a field, or None when it is hidden."""
    message = app.screen.query_one(f"#{field}-error")
    return str(message.content) if message.display else None


async def result_screen(app: LeafApp, pilot: Any, wait_for: Any) -> LinkResultScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, LinkResultScreen), what="result screen")
    await pilot.pause()
    assert isinstance(app.screen, LinkResultScreen)
    return app.screen


async def a_user(app: LeafApp, name: str = "Ava Anderson") -> Any:
    if not app.user_index.loaded:
        await app.user_index.load()
    return next(u for u in app.user_index.search(name) if u.name == name)


async def wizard_for(
    app: LeafApp, pilot: Any, ready: Any, wait_for: Any, name: str = "Ava Anderson"
) -> tuple[WizardScreen, Any]:
    """Connected, then the wizard opened for the demo user `name`: (the wizard, the user)."""
    await ready(pilot)
    user = await a_user(app, name)
    return await open_wizard(app, pilot, wait_for, WizardPrefill(user=user)), user


# -- from the Users screen: n, ctrl+s ---------------------------------------------------------


async def test_n_then_ctrl_s_from_users_puts_the_link_in_the_clipboard(
    make_app: Any, ready: Any, wait_for: Any, clipboard_backend: list[str], sandbox_control: Any
) -> None:
    app = make_app()
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = app.screen.current_user()  # type: ignore[attr-defined]
        assert user is not None
        await pilot.press("n", "ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        link = result.info.link
        assert app.clipboard == link
        assert clipboard_backend == [link]
        assert result.info.leaf_user_id == user.id
        assert await link_count(sandbox_control) == before + 1
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.leaf_user_id == user.id
        assert created.allowed_providers == PROVIDERS
        copy_text = str(result.query_one("#result-copy").content)
        assert "✓ system clipboard" in copy_text and "✓ OSC 52 sent" in copy_text
        assert str(result.query_one("#result-link").content) == link
        # escape goes back where the wizard was opened from
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "UsersScreen"


async def test_ctrl_s_from_the_first_step_with_a_prefilled_user(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, user = await wizard_for(app, pilot, ready, wait_for, "Ben Weber")
        assert screen.current == "kind"
        assert "Ready: ctrl+s creates a provider link for Ben Weber" in str(
            screen.query_one("#wizard-status").content
        )
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert result.info.leaf_user_id == user.id
        assert app.clipboard == result.info.link


# -- each kind ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("downs", "kind", "providers"),
    [
        (0, LinkKind.PROVIDER, ("JohnDeere", "CNHI")),
        (1, LinkKind.AUTHENTICATION, ("Trimble",)),
        (2, LinkKind.FILE_UPLOAD, ()),
    ],
)
async def test_each_kind_is_created_as_chosen(
    make_app: Any,
    ready: Any,
    wait_for: Any,
    downs: int,
    kind: LinkKind,
    providers: tuple[str, ...],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press(*(["down"] * downs), "enter")  # choose the kind, continue
        assert screen.draft.kind is kind
        assert screen.current == "user"
        await pilot.press("ctrl+n")
        if kind is LinkKind.PROVIDER:
            assert screen.current == "providers"
            await pilot.press("x")  # none, then JohnDeere and CNHI
            await pilot.press("space", "down", "down", "space")
            assert screen.draft.offered_providers == providers
            await pilot.press("ctrl+n")
        elif kind is LinkKind.AUTHENTICATION:
            assert screen.current == "providers"
            await pilot.press(*(["down"] * PROVIDERS.index("Trimble")), "enter")
            assert screen.draft.provider == "Trimble"
        assert screen.current == "expiry"  # file upload skips the providers step
        assert screen.draft.expiry == "1h"  # the settings' default link expiry
        await pilot.press("down", "enter")  # 1 day
        assert screen.draft.expiry == "1d"
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        created = await app.client.links.get(kind, result.info.id)
        assert created.kind is kind
        assert created.providers == providers
        assert created.expires_at is not None and created.created_at is not None
        assert (created.expires_at - created.created_at).total_seconds() == pytest.approx(
            86400, abs=2
        )


async def test_custom_expiry_by_keys(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        screen.go_to("expiry")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # from 1 hour to Custom
        assert screen.current == "expiry"
        assert app.focused is screen.query_one("#expiry")
        await pilot.press("ctrl+u", *"36h")
        assert screen.draft.expiry == "36h"
        assert screen.draft.expires_in == 36 * 3600
        summary = str(screen.query_one("#expiry-summary").content)
        assert summary == "Expires 2026-03-03 21:00 UTC (1 day 12 hours from now)"
        await type_into(pilot, "#expiry", "7d")  # a preset's duration selects that preset
        assert screen.query_one("#expiry-preset").pressed_index == 3


# -- the two user paths --------------------------------------------------------------------------


async def test_existing_user_found_by_search(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        assert screen.draft.user is None
        await pilot.press("ctrl+n")
        assert screen.current == "user"
        assert str(screen.query_one("#wizard-status").content).endswith(f"{MSG_USER} (User step)")
        await type_into(pilot, "#user-search", "CRM-10027")
        await wait_for(
            pilot, lambda: "1 match" in str(screen.query_one("#user-search-status").content)
        )
        await pilot.press("enter")  # picks the highlighted match and moves on
        assert screen.draft.user is not None
        assert screen.draft.user.external_id == "CRM-10027"
        assert screen.current == "providers"
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert result.info.leaf_user_id == screen.draft.user.id


async def test_arrows_in_the_search_box_move_through_matches(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        screen.go_to("user")
        await pilot.pause()
        await type_into(pilot, "#user-search", "ava")
        await wait_for(
            pilot, lambda: "3 matches" in str(screen.query_one("#user-search-status").content)
        )
        await pilot.press("down", "down", "up", "down", "enter")
        assert screen.draft.user is not None and screen.draft.user.name == "Ava Ulrich"
        assert screen.current == "providers"


async def test_new_user_by_external_id(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    users_before = await user_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        await pilot.press("ctrl+n")
        screen.query_one("#user-mode").focus()
        await pilot.press("right")  # New user by externalId
        assert screen.draft.new_user
        assert error_at(app, "external_id") == MSG_EXTERNAL_ID_REQUIRED
        await type_into(pilot, "#external_id", "crm-new-77")
        await type_into(pilot, "#new_name", "Nora New")
        await type_into(pilot, "#new_email", "nora@newfarm.example")
        assert error_at(app, "external_id") is None
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert await user_count(sandbox_control) == users_before + 1
        assert result.info.leaf_user_id
        created_user = await app.client.users.get(result.info.leaf_user_id)
        assert created_user.external_id == "crm-new-77"
        assert created_user.name == "Nora New"
        assert created_user.email == "nora@newfarm.example"
        assert "Nora New" in str(result.query_one("#result-title").content)


async def test_existing_external_id_reuses_that_user(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    users_before = await user_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        existing = await a_user(app)
        screen = await open_wizard(app, pilot, wait_for)
        await pilot.press("ctrl+n")
        screen.query_one("#user-mode").focus()
        await pilot.press("right")
        await type_into(pilot, "#external_id", existing.external_id)
        hint = screen.query_one("#external-id-match")
        assert hint.display
        assert "Ava Anderson" in str(hint.content) and "reuse" in str(hint.content)
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert result.info.leaf_user_id == existing.id
        assert await user_count(sandbox_control) == users_before


# -- validation as typed ------------------------------------------------------------------------


async def test_every_field_validates_as_typed_and_blocks_create(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        status = screen.query_one("#wizard-status")

        async def check(field: str, text: str, message: str, keys: bool = False) -> None:
            await type_into(pilot, f"#{field}", text, keys=keys)
            assert error_at(app, field) == message, (field, text)
            assert screen.query_one(f"#{field}").has_class("-invalid")
            assert screen.check_action("create", ()) is None
            assert str(status.content).startswith(f"Create is disabled: {message}")
            assert screen.query_one("#create", Button).disabled
            await pilot.press("ctrl+s")  # refused: nothing is sent
            assert isinstance(app.screen, WizardScreen)

        screen.go_to("expiry")
        await pilot.pause()
        await check("expiry", "soon", MSG_DURATION, keys=True)
        await check("expiry", "10m", MSG_DURATION_MIN)
        await check("expiry", "400d", MSG_DURATION_MAX)
        await type_into(pilot, "#expiry", "90m")
        assert error_at(app, "expiry") is None
        assert "1 hour 30 minutes from now" in str(screen.query_one("#expiry-summary").content)

        screen.go_to("customize")
        await pilot.pause()
        await check("background_color", "green", MSG_HEX, keys=True)
        await check("background_color", "#12345", MSG_HEX)
        await type_into(pilot, "#background_color", "#1a2")
        assert error_at(app, "background_color") is None
        await check("company_logo", "logo.png", MSG_URL_SCHEME)
        await check("company_logo", "https://", MSG_URL_HOST)
        await type_into(pilot, "#company_logo", "")
        await check("header_image", "ftp://x.example/h.jpg", MSG_URL_SCHEME)
        await type_into(pilot, "#header_image", "")
        screen.query_one("#company_name", Input).value = "x" * 201
        await pilot.pause()
        assert error_at(app, "company_name") == MSG_TOO_LONG
        screen.query_one("#company_name", Input).value = "Prairie Co-op"
        await pilot.pause()

        screen.go_to("providers")
        await pilot.pause()
        await pilot.press("x")
        assert error_at(app, "providers") == MSG_PROVIDERS_NONE
        assert screen.check_action("create", ()) is None
        await pilot.press("a")
        assert error_at(app, "providers") is None

        screen.go_to("user")
        await pilot.pause()
        screen.query_one("#user-mode").focus()
        await pilot.press("right")
        assert error_at(app, "external_id") == MSG_EXTERNAL_ID_REQUIRED
        await check("external_id", " crm-1", MSG_EXTERNAL_ID_SPACE)
        await type_into(pilot, "#external_id", "crm-1")
        await check("new_email", "nora@", MSG_EMAIL)
        await type_into(pilot, "#new_email", "")
        screen.query_one("#user-mode").focus()
        await pilot.press("left")  # back to the existing (prefilled) user

        # all fixed: Create is enabled again and everything typed is intact
        assert screen.draft.problems() == []
        assert screen.check_action("create", ()) is True
        assert not screen.query_one("#create", Button).disabled
        assert screen.draft.expiry == "90m"
        assert screen.draft.background_color == "#1a2"
        assert screen.draft.company_name == "Prairie Co-op"
        assert await link_count(sandbox_control) == before


async def test_review_lists_problems_and_enter_jumps_to_the_field(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        screen.go_to("customize")
        await pilot.pause()
        await type_into(pilot, "#background_color", "teal")
        screen.go_to("review")
        await pilot.pause()
        problems = screen.query_one("#review-problems")
        texts = [str(problems.get_option_at_index(i).prompt) for i in range(problems.option_count)]
        assert texts == [f"User: {MSG_USER}", f"Customize: {MSG_HEX}"]
        assert app.focused is problems
        await pilot.press("down", "enter")
        assert screen.current == "customize"
        await pilot.pause()
        assert app.focused is screen.query_one("#background_color")


# -- the live preview ----------------------------------------------------------------------------


async def test_preview_reflects_each_setting_as_it_changes(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        screen.go_to("customize")
        await pilot.pause()
        preview = screen.query_one(LinkPreview)
        assert preview.styles.background == Color.parse(DEFAULT_BACKGROUND)
        assert preview.parts["pv-providers"].split() == list(PROVIDERS)
        assert not preview.parts["pv-user"] and not preview.parts["pv-disconnect"]

        await type_into(pilot, "#background_color", "#27AE60")
        assert preview.styles.background == Color.parse("#27AE60")
        await pilot.press("backspace")  # half typed: the default colour, and it says so
        assert preview.styles.background == Color.parse(DEFAULT_BACKGROUND)
        assert "not valid" in preview.parts["pv-footer"]
        await type_into(pilot, "#background_color", "#1E3A5F")
        assert preview.styles.background == Color.parse("#1E3A5F")
        assert preview.styles.color == Color.parse("#1E3A5F").get_contrast_text(1.0)

        await type_into(pilot, "#company_name", "Prairie Co-op")
        assert "Prairie Co-op" in preview.parts["pv-brand"]
        await type_into(pilot, "#company_logo", "https://cdn.example.com/logo.png")
        assert (
            preview.parts["pv-brand"] == "[logo: https://cdn.example.com/logo.png]  Prairie Co-op"
        )
        await type_into(pilot, "#header_image", "https://cdn.example.com/header.jpg")
        assert preview.parts["pv-header"] == "[header image: https://cdn.example.com/header.jpg]"
        assert preview.query_one("#pv-header").display

        await pilot.click("#show_leaf_user_name")
        assert screen.query_one("#show_leaf_user_name", Switch).value
        assert preview.parts["pv-user"] == "Hello, Ava Anderson"
        await pilot.click("#disconnect_enabled")
        assert preview.parts["pv-disconnect"] == "☐ Disconnect from the provider when done"

        # the providers offered follow the providers step
        screen.go_to("providers")
        await pilot.pause()
        await pilot.press("x", "space")
        assert screen.draft.offered_providers == ("JohnDeere",)
        assert preview.parts["pv-providers"].strip() == "JohnDeere"

        # a file-upload link: no providers, no disconnect option
        screen.go_to("kind")
        await pilot.pause()
        await pilot.press("down", "down")
        assert screen.draft.kind is LinkKind.FILE_UPLOAD
        assert preview.parts["pv-title"] == "Upload your machine files"
        assert preview.parts["pv-disconnect"] == ""
        assert not preview.query_one("#pv-disconnect").display
        assert "Leaf" in preview.text() and "Prairie Co-op" in preview.text()


async def test_default_expiry_comes_from_the_settings(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    from leaf_tui.domain import config

    config.save_settings(config.Settings(link_expiry=7200))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        assert screen.draft.expiry == "2h"


# -- presets and remembered choices --------------------------------------------------------------


async def test_branding_saved_as_preset_and_offered_next_time(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        screen.go_to("customize")
        await pilot.pause()
        await type_into(pilot, "#background_color", "#c0392b")
        await type_into(pilot, "#company_name", "Red Barn")
        await type_into(pilot, "#company_logo", "https://redbarn.example/logo.png")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, SavePresetScreen), what="name dialog")
        name_box = app.screen.query_one("#preset-name", Input)
        assert name_box.value == "Red Barn"  # the company name is suggested
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="back to wizard")
        saved = PresetStore().get_branding("Red Barn")
        assert saved is not None
        assert saved.settings == LinkSettings(
            background_color="#c0392b",
            company_name="Red Barn",
            company_logo="https://redbarn.example/logo.png",
        )
        await pilot.press("escape")  # leave (confirm: the draft had changes)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await pilot.pause()

        screen = await open_wizard(app, pilot, wait_for)
        assert screen.draft.company_name == ""
        screen.go_to("customize")
        await pilot.pause()
        select = screen.query_one("#branding-preset", Select)
        assert [str(prompt) for prompt, _ in select._options if _ != Select.NULL] == ["Red Barn"]
        select.value = "Red Barn"
        await pilot.pause()
        assert screen.draft.background_color == "#c0392b"
        assert screen.draft.company_logo == "https://redbarn.example/logo.png"
        assert screen.query_one(LinkPreview).styles.background == Color.parse("#c0392b")


async def test_last_kind_providers_and_expiry_are_the_next_defaults(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, user = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press("down", "enter", "ctrl+n")  # authentication
        await pilot.press(*(["down"] * PROVIDERS.index("Stara")), "enter")
        await pilot.press("down", "enter")  # 1 hour (the default) -> 1 day
        await pilot.press("ctrl+s")
        await result_screen(app, pilot, wait_for)
        await pilot.press("n")  # another link: same user, remembered choices
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="wizard")
        screen = wizard(app)
        assert screen.draft.user is not None and screen.draft.user.id == user.id
        assert screen.draft.kind is LinkKind.AUTHENTICATION
        assert screen.draft.provider == "Stara"
        assert screen.draft.expiry == "1d"


# -- failures: nothing typed is lost, nothing is created twice -----------------------------------


async def test_a_500_keeps_everything_and_retry_creates_exactly_one_link(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    app = make_app()
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        screen, user = await wizard_for(app, pilot, ready, wait_for)
        screen.go_to("customize")
        await pilot.pause()
        await type_into(pilot, "#company_name", "Prairie Co-op")
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1.0, "error_status": [500]}
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.busy and bool(screen.error), what="the error")
        assert isinstance(app.screen, WizardScreen)
        assert screen.query_one("#wizard-error-bar").display
        assert "Could not create the link" in screen.error and "ctrl+s retries" in screen.error
        assert screen.query_one("#company_name", Input).value == "Prairie Co-op"
        assert screen.draft.user == user
        assert await link_count(sandbox_control) == before

        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        await pilot.click("#retry")
        result = await result_screen(app, pilot, wait_for)
        assert await link_count(sandbox_control) == before + 1
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.settings.company_name == "Prairie Co-op"


async def test_a_field_the_server_rejects_is_marked_at_the_field(
    make_app: Any, ready: Any, wait_for: Any, sandbox_control: Any
) -> None:
    """The sandbox allows 100 characters for companyName (Leaf documents no limit; we allow 200):
    its field error lands under the field, the rest of the draft stays, and fixing it creates."""
    app = make_app()
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        screen.go_to("expiry")
        await pilot.pause()
        await type_into(pilot, "#expiry", "2h")
        screen.go_to("customize")
        await pilot.pause()
        await type_into(pilot, "#company_name", "Prairie " * 15)
        screen.go_to("review")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.busy and bool(screen.error), what="rejection")
        assert "Leaf rejected the link" in screen.error
        assert screen.current == "customize"
        assert app.focused is screen.query_one("#company_name")
        message = error_at(app, "company_name")
        assert message is not None and message.startswith("Leaf: ") and "100" in message
        assert screen.check_action("create", ()) is None
        assert screen.draft.expiry == "2h"
        assert await link_count(sandbox_control) == before

        await type_into(pilot, "#company_name", "Prairie Co-op")
        assert error_at(app, "company_name") is None
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert await link_count(sandbox_control) == before + 1
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.settings.company_name == "Prairie Co-op"


async def test_presses_while_in_flight_send_one_request(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    ready: Any,
    wait_for: Any,
    sandbox_control: Any,
) -> None:
    held = HoldPosts(sandbox_app, ML)
    app = app_through(sandbox_app, owner_token, held)
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
        status = screen.query_one("#wizard-status")
        await wait_for(pilot, lambda: "Creating the link" in str(status.content), what="busy")
        assert screen.check_action("create", ()) is None
        await pilot.press("ctrl+s")
        held.release()
        await result_screen(app, pilot, wait_for)
        assert held.sent == 1
        assert await link_count(sandbox_control) == before + 1


async def test_lost_answer_is_checked_and_the_link_it_made_is_used(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    ready: Any,
    wait_for: Any,
    sandbox_control: Any,
) -> None:
    app = app_through(sandbox_app, owner_token, LoseFirstPostAnswer(sandbox_app, ML, deliver=True))
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        _, user = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert await link_count(sandbox_control) == before + 1  # found, not sent again
        assert app.clipboard == result.info.link
        created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
        assert created.leaf_user_id == user.id


async def test_lost_request_is_checked_then_created_on_the_next_press(
    sandbox_app: Any,
    owner_token: str,
    tui_home: Any,
    ready: Any,
    wait_for: Any,
    sandbox_control: Any,
) -> None:
    app = app_through(sandbox_app, owner_token, LoseFirstPostAnswer(sandbox_app, ML, deliver=False))
    before = await link_count(sandbox_control)
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.busy and "did not create" in screen.error)
        assert screen.uncertain is None
        assert await link_count(sandbox_control) == before
        await pilot.press("ctrl+s")
        await result_screen(app, pilot, wait_for)
        assert await link_count(sandbox_control) == before + 1


# -- clipboard and the result screen ---------------------------------------------------------------


async def test_without_pyperclip_the_result_says_osc52_was_sent(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("could not find a copy/paste mechanism")

    app = make_app()
    previous = clipboard.set_backend(no_clipboard)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wizard_for(app, pilot, ready, wait_for)
            await pilot.press("ctrl+s")
            result = await result_screen(app, pilot, wait_for)
            assert app.clipboard == result.info.link
            assert result.copied.osc52_sent and not result.copied.pyperclip_ok
            text = str(result.query_one("#result-copy").content)
            assert "OSC 52 only" in text
            assert "✓ OSC 52 sent" in text
            assert "✗ system clipboard" in text
    finally:
        clipboard.set_backend(previous)


async def test_with_auto_copy_off_create_copies_nothing_until_c(
    make_app: Any, ready: Any, wait_for: Any, clipboard_backend: list[str]
) -> None:
    from leaf_tui.domain import config

    config.save_settings(config.Settings(auto_copy=False))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await wizard_for(app, pilot, ready, wait_for)
        status = str(screen.query_one("#wizard-status").content)
        assert status == "Ready: ctrl+s creates a provider link for Ava Anderson"
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        assert clipboard_backend == []
        assert result.copied is None
        copy_text = str(result.query_one("#result-copy").content)
        assert "press c to copy" in copy_text and "✓" not in copy_text
        await pilot.press("c")
        await wait_for(pilot, lambda: result.copied is not None, what="copied")
        assert clipboard_backend == [result.info.link]
        assert app.clipboard == result.info.link
        assert "✓ system clipboard" in str(result.query_one("#result-copy").content)


async def test_result_screen_keys_copy_message_open_uses_and_another(
    make_app: Any,
    ready: Any,
    wait_for: Any,
    clipboard_backend: list[str],
    sandbox_control: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "leaf_tui.common.browser.open_in_gui_browser", lambda url: opened.append(url) or True
    )
    monkeypatch.setattr(LinkResultScreen, "POLL_SECONDS", 0.1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, user = await wizard_for(app, pilot, ready, wait_for)
        await pilot.press("down", "enter", "ctrl+n", "enter")  # authentication, JohnDeere
        assert screen.draft.provider == "JohnDeere"
        await pilot.press("ctrl+s")
        result = await result_screen(app, pilot, wait_for)
        link = result.info.link
        assert str(result.query_one("#result-countdown").content).startswith("Expires in 1h 00m")
        await wait_for(pilot, lambda: "0/3" in str(result.query_one("#result-uses").content))

        await sandbox_control.post(f"/_sandbox/links/{result.info.id}/visit")
        await wait_for(
            pilot, lambda: "1/3" in str(result.query_one("#result-uses").content), what="uses 1/3"
        )

        await pilot.press("m")
        await wait_for(pilot, lambda: len(clipboard_backend) == 2, what="message copied")
        message = share_message("Ava Anderson", ("JohnDeere",), link, result.info.expires_at)
        assert app.clipboard == message
        assert message.startswith(
            "Hi Ava Anderson, use this link to connect your JohnDeere account"
        )
        await pilot.press("c")
        await wait_for(pilot, lambda: len(clipboard_backend) == 3, what="link copied again")
        assert app.clipboard == link
        assert clipboard_backend == [link, message, link]

        await pilot.press("o")
        await wait_for(pilot, lambda: opened == [link], what="browser opened")

        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, WizardScreen), what="another")
        again = wizard(app)
        assert again.draft.user is not None and again.draft.user.id == user.id


# -- leaving and renewing -------------------------------------------------------------------------


async def test_leaving_with_typed_changes_asks_first(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_wizard(app, pilot, wait_for)
        screen.go_to("customize")
        await pilot.pause()
        await type_into(pilot, "#company_name", "Keep me")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#company_name", Input).value == "Keep me"


async def test_renew_prefills_from_the_old_link(make_app: Any, ready: Any, wait_for: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await a_user(app)
        old = await app.client.links.create_for_user(
            user.id,
            LinkRequest(
                kind=LinkKind.AUTHENTICATION,
                expires_in=7 * 86400,
                provider="CNHI",
                settings=LinkSettings(background_color="#123456", company_name="Old Co"),
            ),
        )
        link = await app.client.links.get(LinkKind.AUTHENTICATION, old.id)
        screen = await open_wizard(app, pilot, wait_for, WizardPrefill.from_link(link, user))
        assert screen.draft.kind is LinkKind.AUTHENTICATION
        assert screen.draft.provider == "CNHI"
        assert screen.draft.expiry == "7d"
        screen.go_to("customize")
        await pilot.pause()
        assert screen.query_one("#background_color", Input).value == "#123456"
        assert screen.query_one("#company_name", Input).value == "Old Co"
        await pilot.press("ctrl+s")
        # the old link still works: the renewal offers to delete it (test_renew.py); keep it
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the offer")
        await pilot.press("n")
        result = await result_screen(app, pilot, wait_for)
        assert result.info.id != old.id
