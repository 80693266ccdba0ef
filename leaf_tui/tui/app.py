"""The leaf-tui application shell: screens by key, header, errors, login-and-resume, clipboard."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen

from leaf_tui.api.errors import AuthError
from leaf_tui.api.models import LeafUser
from leaf_tui.tui import styles_cache_fix
from leaf_tui.tui.commands import ActionsProvider, ProfilesProvider
from leaf_tui.tui.crash_report import CrashReport
from leaf_tui.tui.error_text import describe, redact
from leaf_tui.tui.inert_filter import inert_then
from leaf_tui.tui.sentera_attempts import SenteraAttempts

if TYPE_CHECKING:
    from textual.timer import Timer

    from leaf_tui.api import LeafClient
    from leaf_tui.api.models import UserPage
    from leaf_tui.api.providers import Provider
    from leaf_tui.api.user_index import UserIndex
    from leaf_tui.common.clipboard import CopyResult
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.screens.users import UsersScreen
    from leaf_tui.tui.screens.wizard import WizardPrefill

Retry = Callable[[], Any]
DEFAULT_THEME = "textual-dark"
CONNECTING_FRAME_AFTER = 0.25  # seconds without a session before the connecting screen shows
FIRST_PAGE_WAIT = 0.25  # seconds the Users screen waits for rows asked for early, at most


class NotConnected(RuntimeError):
    """A screen asked for the client before the session was ready."""


styles_cache_fix.apply()  # before any widget renders: closed screens are freed


class LeafApp(App[None]):
    """`LeafApp(session)` for tests; `LeafApp(connect=fn)` so the first frame never waits."""

    # The home screen's styles come with the app's: a screen bringing a stylesheet the app
    # has not read makes Textual parse every stylesheet again when it is pushed (the other
    # screens' still do, once each; the home screen's would be on the way to the first rows).
    CSS_PATH = ["app.tcss", "screens/users.tcss"]
    TITLE = "leaf-tui"
    COMMANDS = App.COMMANDS | {ActionsProvider, ProfilesProvider}
    # Global navigation; a screen's own binding wins for a key (Users: `l` = user's links).
    BINDINGS = [
        Binding("u", "open_users", "Users", id="app.users"),
        Binding("l", "open_links", "Links", id="app.links"),
        Binding("n", "new_link", "New link", id="app.new_link"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+t", "change_theme", "Theme", show=False, id="app.theme"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]
    # Actions that change screens: refused while a modal (form, confirm, login) is on top.
    NAVIGATION = frozenset({"open_users", "open_links", "new_link", "help"})

    def __init__(
        self,
        session: Session | None = None,
        *,
        connect: Callable[[], Awaitable[Session]] | None = None,
    ) -> None:
        super().__init__()
        if session is None and connect is None:
            raise ValueError("LeafApp needs a session or a connect function")
        self.crash_report = CrashReport(self)
        """Textual's report of an unhandled exception, held off the terminal (it shows locals)."""
        self.session: Session | None = None
        self._connect_fn = connect
        self._owns_session = session is None
        self._user_index: UserIndex | None = None
        self._pending_retries: list[Retry] = []
        self._login_open = False
        self._connecting_frame: Timer | None = None
        self.sentera_attempts = SenteraAttempts()
        """The Sentera forms' last usernames and organizations, per user, for this session."""
        if session is not None:
            self._adopt(session)

    def get_line_filters(self) -> list[LineFilter]:
        """The one that makes strangers' text inert on every line, then Textual's, in one."""
        return [inert_then(tuple(super().get_line_filters()))]

    # -- services every screen uses -------------------------------------------------------

    @property
    def client(self) -> LeafClient:
        if self.session is None:
            raise NotConnected("not connected yet")
        return self.session.client

    @property
    def user_index(self) -> UserIndex:
        if self._user_index is None:
            raise NotConnected("not connected yet")
        return self._user_index

    @property
    def connected(self) -> bool:
        return self.session is not None

    def _adopt(self, session: Session) -> None:
        from leaf_tui.api.user_index import UserIndex

        self.session = session
        self._user_index = UserIndex(session.client)

    # -- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._saved_theme() or DEFAULT_THEME
        self._apply_keymap()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._warn_about_files()
        if self.session is not None:
            self._show_home()
        else:
            self._start_connecting()

    def _start_connecting(self) -> None:
        # The connecting frame only when connecting lasts long enough to be seen (the embedded
        # sandbox, a slow login): built for nothing, it cost a stylesheet reparse and a layout
        # before the first row.
        self._connecting_frame = self.set_timer(CONNECTING_FRAME_AFTER, self._show_connecting)
        self.connect()

    def _stop_connecting_frame(self) -> None:
        if self._connecting_frame is not None:
            self._connecting_frame.stop()
            self._connecting_frame = None

    def _show_connecting(self, failure: BaseException | None = None) -> None:
        """The connecting screen, with the failure when there is one."""
        from leaf_tui.tui.screens.connecting import ConnectingScreen

        self._stop_connecting_frame()
        if isinstance(self.screen, ConnectingScreen):
            if failure is not None:
                self.screen.show_failure(failure)
        else:
            self.push_screen(ConnectingScreen(failure))

    def _warn_about_files(self) -> None:
        """What is wrong in settings.toml or tokens.json, each naming the key (stderr is hidden
        behind the screen, so the CLI's warnings come as notifications here)."""
        from leaf_tui.domain import config

        for warning in config.file_warnings():
            self.notify(warning, title="Settings", severity="warning", timeout=12, markup=False)

    def _saved_theme(self) -> str | None:
        from leaf_tui.domain import config

        try:
            theme = config.load_settings().theme
        except Exception:  # a broken settings file must not stop the app
            return None
        return theme if theme in self.available_themes else None

    def _apply_keymap(self) -> None:
        """The [keymap] of settings.toml: keys remapped by their id, as Posting and Harlequin
        allow; an id no key has is reported, with the ids there are."""
        from leaf_tui.domain import config
        from leaf_tui.tui.key_reference import binding_ids

        try:
            keymap = dict(config.load_settings().keymap)
        except Exception:  # a broken settings file must not stop the app
            return
        if not keymap:
            return
        known = binding_ids()
        unknown = sorted(set(keymap) - known)
        if unknown:
            self.notify(
                f"settings.toml [keymap]: no key has the id {', '.join(unknown)}. "
                f"The ids: {', '.join(sorted(known))}",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.set_keymap({key_id: keys for key_id, keys in keymap.items() if key_id in known})

    def _remember_theme(self, theme: Any) -> None:
        from dataclasses import replace

        from leaf_tui.domain import config

        try:
            settings = config.load_settings()
            if settings.theme is None and theme.name == DEFAULT_THEME:
                return  # nothing chosen yet: keep the settings file untouched
            if settings.theme != theme.name:
                config.update_settings(lambda latest: replace(latest, theme=theme.name))
        except Exception as exc:
            self.log.warning("could not save the theme", exc)

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        """Open the session in the background; the connecting screen shows progress and failure."""
        from leaf_tui.tui.screens.connecting import ConnectingScreen

        assert self._connect_fn is not None
        try:
            session = await self._connect_fn()
        except AuthError as exc:
            # A real profile without a usable token: log in here, then connect again.
            self._login_to_connect(exc)
            return
        except Exception as exc:
            self._show_connecting(exc)
            return
        self._stop_connecting_frame()  # connected: the wait below is not one to show
        self._adopt(session)
        asked_early = session.first_page is not None
        first_page = self._request_first_page()
        if asked_early:
            # Asked for by the entry point while the window was built, the first users are
            # here or nearly: the Users screen waits for them (a moment at most), so its first
            # frame shows them rather than "Loading users…" drawn over a moment later. Asked
            # for only now, the screen is built beside the request instead: waiting would put
            # the server's whole answer time before it (benchmarks/README.md, start-up).
            await asyncio.wait({first_page}, timeout=FIRST_PAGE_WAIT)
        if isinstance(self.screen, ConnectingScreen):
            self.pop_screen()
        self._show_home(first_page)
        self.refresh_header()

    def _login_to_connect(self, exc: AuthError) -> None:
        from leaf_tui.tui.screens.login import LoginScreen

        self._stop_connecting_frame()  # the login dialog is the frame now

        def done(ok: bool | None) -> None:
            if ok:
                self._start_connecting()
            else:
                self._show_connecting(exc)

        login = LoginScreen(
            reason=exc.message,
            profile=getattr(exc, "profile_name", None),
            base_url=getattr(exc, "base_url", None),
            username=getattr(exc, "username", None),
        )
        self.push_screen(login, done)

    def _request_first_page(self) -> asyncio.Future[UserPage]:
        """The Users screen's first page, asked for now (or taken from the entry point, which
        asked before the window was built); the screen reports its failure."""
        assert self.session is not None
        asked, self.session.first_page = self.session.first_page, None
        request = asyncio.ensure_future(self._first_page(asked))
        # only keeps asyncio quiet if the screen goes before it looks (the profile switched)
        request.add_done_callback(lambda done: done.cancelled() or done.exception())
        return request

    async def _first_page(self, asked: concurrent.futures.Future[UserPage] | None) -> UserPage:
        from leaf_tui.domain.first_page import first_page_size

        if asked is not None:
            try:
                return await asyncio.wrap_future(asked)
            except Exception:  # asked again here: the screen reports what this one meets
                pass
        return await self.client.users.list(page=0, size=first_page_size(self.size.height))

    def _show_home(self, first_page: asyncio.Future[UserPage] | None = None) -> None:
        from leaf_tui.tui.screens.users import UsersScreen

        self.push_screen(UsersScreen(first_page or self._request_first_page()))

    async def on_unmount(self) -> None:
        # A session we opened ourselves is ours to close (the sandbox thread, the HTTP pool).
        if self._owns_session and self.session is not None:
            await self._close_session(self.session)

    @staticmethod
    async def _close_session(session: Session) -> None:
        closer = getattr(session, "aclose", None)
        if closer is not None:
            await closer()
            return
        await session.client.aclose()
        sandbox = getattr(session, "sandbox", None)
        if sandbox is not None:
            sandbox.stop()

    def switch_profile(self, name: str) -> None:
        """Reconnect with another profile (palette); screens restart on the new session."""
        self._switch_profile(name)

    @work(exclusive=True, group="connect")
    async def _switch_profile(self, name: str) -> None:
        from leaf_tui.domain.session import open_session

        self.notify(f"Connecting with profile {name}…", markup=False)
        try:
            session = await open_session(profile=name)
        except Exception as exc:
            self.show_error(exc, f"switch to profile {name}")
            return
        old, owned = self.session, self._owns_session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._adopt(session)
        self._owns_session = True
        self._show_home()
        self.notify(f"Now using profile {name}", markup=False)
        if old is not None and owned:
            await self._close_session(old)

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        """Textual's palette commands, less those our own actions already offer with their key
        (Theme, Quit): each once."""
        from leaf_tui.tui.commands import palette_actions

        ours = {title for title, _, _, _ in palette_actions(screen)}
        for command in super().get_system_commands(screen):
            if command.title not in ours:
                yield command

    def refresh_header(self) -> None:
        from leaf_tui.tui.widgets.header import LeafHeader

        for header in self.screen.query(LeafHeader):
            header.refresh_session()

    # -- navigation -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from leaf_tui.tui import account

        if account.hides(self, action):
            return False
        if action in self.NAVIGATION:
            if isinstance(self.screen, ModalScreen):
                # a dialog about one grower (an event, a link) offers a new link for them
                return action == "new_link" and hasattr(self.screen, "grower_in_view")
            if not self.connected:
                return False
            if action == "open_users" and self.screen is self._home_screen():
                return False  # already there: keep the footer short
        return True

    def _home_screen(self) -> UsersScreen | None:
        from leaf_tui.tui.screens.users import UsersScreen

        for screen in self.screen_stack:
            if isinstance(screen, UsersScreen):
                return screen
        return None

    def _back_to_home(self) -> None:
        """Pop everything above the Users screen (the stack stays shallow: home + one)."""
        home = self._home_screen()
        if home is None:
            return
        while self.screen is not home and len(self.screen_stack) > 1:
            self.pop_screen()

    def open_users(self) -> None:
        self._back_to_home()

    def open_sentera(self, user: LeafUser) -> None:
        from leaf_tui.tui.screens.sentera import SenteraScreen

        self._back_to_home()
        self.push_screen(SenteraScreen(user))

    def open_connections(self, user: LeafUser, provider: str | None = None) -> None:
        from leaf_tui.tui.screens.connections import ConnectionsScreen

        self._back_to_home()
        self.push_screen(ConnectionsScreen(user, focus_provider=provider))

    def open_provider_events(self, user: LeafUser, provider: Provider) -> None:
        """Sentera keeps its own screen (connect and recreate forms); the others share one."""
        if provider.name == "Sentera":
            from leaf_tui.tui.screens.sentera import SenteraScreen

            self.push_screen(SenteraScreen(user))
            return
        from leaf_tui.tui.screens.provider_events import ProviderEventsScreen

        self.push_screen(ProviderEventsScreen(user, provider))

    def action_open_triage(self) -> None:
        self.open_triage()

    def open_triage(self) -> None:
        from leaf_tui.tui.screens.triage import TriageScreen

        self._back_to_home()
        self.push_screen(TriageScreen())

    def open_links(self, user_id: str | None = None) -> None:
        from leaf_tui.tui.screens.links import LinksScreen

        self._back_to_home()
        self.push_screen(LinksScreen(user_id=user_id))

    def open_wizard(self, prefill: WizardPrefill | None = None) -> None:
        # The wizard goes on top of whatever is open: leaving it returns there.
        from leaf_tui.tui.screens.wizard import WizardScreen

        self.push_screen(WizardScreen(prefill=prefill))

    def open_help(self) -> None:
        from leaf_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(for_screen=self.screen))

    def action_open_users(self) -> None:
        self.open_users()

    def action_open_links(self) -> None:
        self.open_links()

    def action_new_link(self) -> None:
        """The wizard, for the grower the screen shows (Sentera, an event, a link) if any."""
        grower = self._grower_in_view()
        if isinstance(self.screen, ModalScreen):
            self.pop_screen()  # the dialog the key was pressed in: the wizard replaces it
        if grower is None or isinstance(grower, LeafUser):
            self._open_wizard_for(grower)
            return
        known = self.user_index.get(grower)
        if known is not None:
            self._open_wizard_for(known)
        else:
            self._resolve_then_open_wizard(grower)

    def _grower_in_view(self) -> LeafUser | str | None:
        """`screen.grower_in_view()`: the user (or the id of the user) a screen is about."""
        finder = getattr(self.screen, "grower_in_view", None)
        return finder() if callable(finder) else None

    def _open_wizard_for(self, user: LeafUser | None) -> None:
        from leaf_tui.tui.screens.wizard import WizardPrefill

        self.open_wizard(WizardPrefill(user=user) if user is not None else None)

    @work(group="new-link", exclusive=True, exit_on_error=False)
    async def _resolve_then_open_wizard(self, user_id: str) -> None:
        try:
            user = (await self.user_index.resolve([user_id])).get(user_id)
        except Exception as exc:  # the wizard then asks for the user
            self.log.warning("could not fetch user", type(exc).__name__)
            user = None
        self._open_wizard_for(user)

    def action_help(self) -> None:
        self.open_help()

    def user_created(self, user: LeafUser) -> None:
        """A user made outside the Users screen (the wizard): searchable and listed at once."""
        home = self._home_screen()
        if home is not None:
            home.adopt_user(user)
        elif self._user_index is not None:
            self._user_index.upsert(user)

    @work(group="user-created", exit_on_error=False)
    async def fetch_user_created(self, user_id: str) -> None:
        """Leaf's own record of a user just made (it fills in what was left out)."""
        try:
            user = await self.client.users.get(user_id)
        except Exception as exc:  # the provisional entry stays; a reload corrects it
            self.log.warning("could not fetch the new user", type(exc).__name__)
            return
        self.user_created(user)

    # -- errors, login and resume --------------------------------------------------------------

    def show_error(self, exc: BaseException, action: str, *, retry: Retry | None = None) -> None:
        """Tell the person what failed and what to do. AuthError opens the login dialog instead,
        and `retry` (if given) runs once they have logged in again."""
        if isinstance(exc, AuthError) and self.session is not None:
            if retry is not None:
                self._pending_retries.append(retry)
            self.request_login(reason=f"Your session has ended while trying to {action}.")
            return
        title, message = describe(exc, action)
        self.notify(
            self._redact(message),
            title=self._redact(title),
            severity="error",
            timeout=8,
            markup=False,
        )
        self.log.error(title, type(exc).__name__)

    def crash_secrets(self) -> list[str | None]:
        """Secrets to mask by value in the crash report: the session's token."""
        return [self.session.client.token] if self.session is not None else []

    def _redact(self, text: str) -> str:
        token = self.session.client.token if self.session is not None else None
        return redact(text, [token])

    def request_login(self, reason: str = "", retry: Retry | None = None) -> None:
        """Open the login dialog once, however many actions failed; resume them all after."""
        from leaf_tui.tui.screens.login import LoginScreen

        if retry is not None:
            self._pending_retries.append(retry)
        if self._login_open:
            return
        self._login_open = True
        self.push_screen(LoginScreen(reason=reason), self._after_login)

    async def _after_login(self, ok: bool | None) -> None:
        self._login_open = False
        retries, self._pending_retries = self._pending_retries, []
        self.refresh_header()
        if not ok:
            if retries:
                self.notify(
                    "Not logged in: the interrupted action was not repeated.", severity="warning"
                )
            return
        for retry in retries:
            result = retry()
            if inspect.isawaitable(result):
                await result

    # -- clipboard ----------------------------------------------------------------------------

    async def copy(self, text: str) -> CopyResult:
        """Copy through OSC 52 (here, on the loop) and the system clipboard (in a thread, so a
        stuck clipboard helper never freezes the screen); the result says which worked."""
        from leaf_tui.common.clipboard import copy_text_async

        return await copy_text_async(text, self.copy_to_clipboard)

    async def copy_and_notify(self, text: str, what: str) -> CopyResult:
        """`copy`, then say how it went ("Link: Copied (…)"), as an error when nothing worked.

        Call it from a worker (or use copy_in_background): awaited in a key handler, it would
        hold that screen's keys while the system clipboard answers."""
        result = await self.copy(text)
        self.notify(
            f"{what}: {result.summary}",
            severity="information" if result.ok else "error",
            markup=False,
        )
        return result

    def copy_in_background(self, text: str, what: str) -> None:
        """`copy_and_notify` in an app worker: keys stay live meanwhile, and the report still
        comes if the screen that asked is closed first."""
        self.run_worker(self.copy_and_notify(text, what), group="clipboard", exit_on_error=False)
