"""The app shell: start-up, header, navigation by keys, help, palette, errors, login-and-resume,
clipboard."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from leaf_tui.api.errors import FieldError, Invalid, RateLimited, Unreachable
from leaf_tui.tui.app import CONNECTING_FRAME_AFTER
from leaf_tui.tui.error_text import describe, redact
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.connecting import ConnectingScreen
from leaf_tui.tui.screens.help import HelpScreen
from leaf_tui.tui.screens.login import LoginScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.header import LeafHeader
from tests.tui.screen_text import widget_text
from tests.tui.toasts import toasts

SIZE = (120, 40)
PASSWORD = "sandbox"


def last_note(app: Any) -> tuple[str, str]:
    """The newest toast on screen: (severity, title and message)."""
    notes = toasts(app)
    assert notes, "no notification"
    return notes[-1]


async def test_starts_on_users_with_header(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        header = widget_text(app.screen.query_one(LeafHeader))
        assert "SANDBOX" in header
        assert "http://sandbox.test" in header
        assert "expires in 30d" in header  # rememberMe: 30 days from the frozen now
        assert "● OK" in header
        assert app.client.token not in header


async def test_connect_logs_in_in_the_background(make_app, ready):
    app = make_app(connect=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert app.client.token is not None


async def test_connect_shows_a_loading_frame_first(make_app, ready, wait_for):
    import asyncio

    from leaf_tui.tui.app import LeafApp

    session = make_app().session
    go = asyncio.Event()

    async def slow_connect() -> Any:
        await go.wait()  # the network has not answered yet
        return session

    app = LeafApp(connect=slow_connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(CONNECTING_FRAME_AFTER)

        def frame_shown() -> bool:  # on a loaded machine the frame may take a while to paint
            screen = app.screen
            return isinstance(screen, ConnectingScreen) and "connecting" in widget_text(
                screen.query_one(LeafHeader)
            )

        await wait_for(pilot, frame_shown, timeout=15, what="the connecting frame")
        assert "Connecting to the Leaf API" in widget_text(
            app.screen.query_one("#connecting-message")
        )
        go.set()
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert len(app.screen_stack) == 2


async def test_a_quick_connect_goes_straight_to_the_users(make_app, ready, monkeypatch):
    """The connecting screen is not even built when the session is there before it would show."""
    from leaf_tui.tui.app import LeafApp

    session = make_app().session
    built: list[ConnectingScreen] = []
    original_init = ConnectingScreen.__init__

    def recording_init(self: ConnectingScreen, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(ConnectingScreen, "__init__", recording_init)

    async def quick_connect() -> Any:
        return session

    app = LeafApp(connect=quick_connect)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(CONNECTING_FRAME_AFTER + 0.1)
        assert isinstance(app.screen, UsersScreen)
        assert built == []


async def test_connect_failure_is_explained_and_retryable(sandbox_app, tui_home):
    from leaf_tui.tui.app import LeafApp

    attempts: list[int] = []

    async def connect() -> Any:
        attempts.append(1)
        raise Unreachable("Could not reach http://127.0.0.1:9 (connection refused)")

    app = LeafApp(connect=connect)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConnectingScreen)
        shown = widget_text(screen.query_one("#connecting-message"))
        assert "Could not connect" in shown
        assert "Check the network connection" in shown
        assert "r to retry" in shown
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert len(attempts) == 2


async def test_help_is_reachable_and_lists_the_screen_keys(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = "\n".join(widget_text(w) for w in app.screen.query(".help-keys, .help-section"))
        for words in ("Users", "Search", "Delete", "Everywhere", "Help", "Quit"):
            assert words in body
        assert body.index("Users") < body.index("Everywhere")  # the current screen first
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)


async def test_navigation_keys_keep_the_stack_shallow(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(2):
            await pilot.press("L")  # all links
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LinksScreen", what="links")
            assert app.screen.filters.user_id is None
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="users")
        assert len(app.screen_stack) == 2


async def test_modal_dialogs_block_navigation(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("u", "l", "question_mark", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # none of those escaped the dialog
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)


async def test_palette_lists_actions_with_keys_and_runs_them(make_app, ready, wait_for):
    from leaf_tui.tui.commands import palette_actions

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        actions = {title: key for title, key, _, _ in palette_actions(app.screen)}
        assert actions["Add user"] == "a"
        assert actions["Delete user"] == "D"
        assert actions["Links of this user"] == "l"
        assert actions["All links"] == "L"
        assert actions["Search"] == "/"
        assert actions["Help"] == "?"
        assert actions["Quit"] == "q"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Add user")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UserFormScreen), what="form")


async def test_error_notifications_say_what_to_do():
    title, message = describe(RateLimited("Too many requests", retry_after=30), "load links")
    assert title == "Could not load links"
    assert "wait 30s" in message
    _, message = describe(Unreachable("No answer from http://x"), "load users")
    assert "Check the network connection" in message
    _, message = describe(Unreachable("timed out", maybe_sent=True), "create the link")
    assert "refresh to check before repeating" in message
    invalid = Invalid("Bad request", field_errors=(FieldError("email", "must be an email"),))
    _, message = describe(invalid, "save the user")
    assert "email: must be an email" in message
    assert redact("token abcdefgh123 leaked", ["abcdefgh123"]) == "token ••• leaked"


async def test_api_error_becomes_a_notification(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1, "error_status": [400]}
        )
        await pilot.press("r")  # reload: every call now answers 400
        await wait_for(pilot, lambda: bool(toasts(app)), what="notification")
        severity, said = last_note(app)
        assert severity == "error"
        assert said.startswith("Could not")
        assert app.client.token not in said
        assert isinstance(app.screen, UsersScreen)  # nothing crashed


async def test_header_follows_the_connection_status(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        header = app.screen.query_one(LeafHeader)
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1, "error_status": [503]}
        )
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: any(s in widget_text(header) for s in ("RETRYING", "OFFLINE")),
            timeout=20,
            what="header shows the trouble",
        )


async def test_missing_token_opens_login_and_resumes(make_app, ready, wait_for):
    app = make_app(token=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="login dialog")
        assert len([s for s in app.screen_stack if isinstance(s, LoginScreen)]) == 1
        login = app.screen
        # the session's username is filled in; the password has the focus
        assert login.query_one("#login-username", Input).value == "support@sandbox.local"
        assert login.query_one("#login-password", Input).has_focus
        login.query_one("#login-password", Input).value = "wrong"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Wrong" in widget_text(login.query_one("#login-error")))
        assert app.screen is login
        login.query_one("#login-password", Input).value = PASSWORD
        await pilot.press("ctrl+s")
        await ready(pilot)  # the interrupted loads ran again
        assert isinstance(app.screen, UsersScreen)
        assert app.screen.query_one("UsersTable").row_count > 0
        assert app.client.token is not None


async def test_expired_token_mid_form_logs_in_and_saves(make_app, ready, wait_for, sandbox_control):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a", *"Late Night", "tab", *"late@night.example")
        # 31 days later on the server: the token has expired
        await sandbox_control.post("/_sandbox/clock", json={"advance": 31 * 86400})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="login dialog")
        form = app.screen_stack[-2]
        assert isinstance(form, UserFormScreen)
        assert form.query_one("#name", Input).value == "Late Night"  # nothing typed is lost
        app.screen.query_one("#login-password", Input).value = PASSWORD
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen), what="saved")
        users = await app.client.users.list(email="late@night.example")
        assert [u.name for u in users.items] == ["Late Night"]


async def test_copy_uses_the_clipboard_and_osc52(make_app, ready, clipboard_backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        result = await app.copy("https://example.test/link")
        assert result.pyperclip_ok
        assert clipboard_backend == ["https://example.test/link"]
        assert app.clipboard == "https://example.test/link"


async def test_theme_choice_is_remembered(make_app, ready, wait_for):
    from leaf_tui.domain import config

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert config.load_settings().theme is None  # nothing written until a choice is made
        app.theme = "dracula"
        await wait_for(pilot, lambda: config.load_settings().theme == "dracula", what="saved")
    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert second.theme == "dracula"


async def test_palette_offers_only_our_actions(make_app, ready):
    from leaf_tui.tui.commands import palette_actions

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [title for title, _, _, _ in palette_actions(app.screen)]
        assert "Focus Next" not in titles  # Textual's own tab binding
        assert len(titles) == len(set(titles))
        # on the Users screen `u` is hidden (already there); `l`/`n` act on the highlighted user
        assert "Users" not in titles
        assert "Links" not in titles and "New link" not in titles
        assert {"Links of this user", "New link for this user", "Help", "Quit"} <= set(titles)
        await pilot.press("question_mark")
        await pilot.pause()
        titles = [title for title, _, _, _ in palette_actions(app.screen)]
        assert "Close" in titles  # a dialog offers its own actions (and quit/theme), not the
        assert "Delete user" not in titles  # screen's beneath it


async def test_switch_profile_from_the_palette(make_app, ready, wait_for, live_sandbox):
    """A second profile (a server on real loopback, token stored by `login`) is offered in the
    palette; choosing it reconnects, and the header says which profile is in use."""
    from leaf_tui.domain.session import login

    await login("staging", "support@sandbox.local", PASSWORD, base_url=live_sandbox.base_url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"staging")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: app.session.profile_name == "staging" and isinstance(app.screen, UsersScreen),
            timeout=10,
            what="switched",
        )
        await ready(pilot, timeout=10)
        header = widget_text(app.screen.query_one(LeafHeader))
        assert "staging" in header and "SANDBOX" not in header
        assert live_sandbox.base_url in header
        assert app.screen.query_one("UsersTable").row_count > 0
        assert len(app.screen_stack) == 2


async def test_a_covered_header_shows_the_status_of_now_when_back(
    make_app, ready, wait_for, sandbox_control
):
    """The Users header under the Sentera screen is not drawn while the status changes (each
    change would have Textual draw the Sentera screen whole); back, it shows the status then."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        users_header = app.screen.query_one(LeafHeader)
        user = app.screen.current_user()
        app.open_sentera(user)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SenteraScreen", what="Sentera")
        await sandbox_control.post(
            "/_sandbox/faults", json={"error_rate": 1, "error_status": [503]}
        )
        await pilot.press("ctrl+r")
        sentera_header = app.screen.query_one(LeafHeader)
        await wait_for(
            pilot,
            lambda: any(s in widget_text(sentera_header) for s in ("RETRYING", "OFFLINE")),
            timeout=20,
            what="the Sentera screen's header shows the trouble",
        )
        await sandbox_control.post("/_sandbox/faults", json={"reset": True})
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "● OK" in widget_text(sentera_header), timeout=20, what="OK")
        app.pop_screen()
        await wait_for(
            pilot, lambda: "● OK" in widget_text(users_header), what="the Users header as of now"
        )
