"""The fault matrix (issue 6): every injected fault against every surface, driven through the Pilot
over real loopback sockets.

For each case: the app stays up; it shows what happened (a notification, an inline message, the
login dialog, or the header's connection state); it recovers once the fault ends; nothing typed
is lost; and nothing is created twice (the sandbox counts its rows afterwards).
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from textual.widgets import Input, Static

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LinkKind
from leaf_tui.tui.screens.link_result import LinkResultScreen
from leaf_tui.tui.screens.links import LinksScreen
from leaf_tui.tui.screens.login import LoginScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.sentera_form import SenteraFormScreen
from leaf_tui.tui.screens.user_form import UserFormScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.screens.wizard import WizardPrefill, WizardScreen
from leaf_tui.tui.widgets.search_box import SearchBox

from .conftest import (
    OWNER,
    SIZE,
    LiveEnv,
    Recorder,
    Tally,
    app_ready,
    leaf_app_on,
    wait_until,
)

UM = "/services/usermanagement/api"
TROUBLE = {"SLOW", "RETRYING", "OFFLINE"}
SENTERA = ("grower@sentera.example", "harvest-2026", "Prairie Farms")


# --- the faults -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    timeout: float = 10.0  # the client's; "slow" is a 2 s latency against a 0.6 s timeout
    expire_token: bool = False  # the server's clock jumps past the token's expiry
    restart: bool = False  # the server stops, then starts again on the same port
    certain: bool = True  # every request fails while it lasts (not a 20% chance)

    async def apply(self, env: LiveEnv, control: httpx.AsyncClient) -> None:
        if self.settings:
            r = await control.post("/_sandbox/faults", json={"reset": True, **self.settings})
            assert r.status_code == 200, r.text
        if self.expire_token:
            r = await control.post("/_sandbox/clock", json={"advance": 31 * 86400})
            assert r.status_code == 200, r.text
        if self.restart:
            await asyncio.to_thread(env.stop)

    async def clear(self, env: LiveEnv, control: httpx.AsyncClient) -> None:
        """End the fault (for an expired token, the person logs in: see `Case.log_in_if_asked`)."""
        if self.restart and env.running is None:
            await asyncio.to_thread(env.start)
        if self.settings:
            r = await control.post("/_sandbox/faults", json={"reset": True})
            assert r.status_code == 200, r.text


FAULTS = [
    Fault("latency-2s", {"latency_ms": 2000}, timeout=0.6),
    Fault("500s-20pct", {"error_rate": 0.2, "error_status": [500]}, certain=False),
    Fault("429-burst", {"rate_limit": 1}, certain=False),
    Fault("dropped-connections", {"drop_rate": 1.0}),
    # the request is carried out, then the connection drops: the answer is lost on the way back
    Fault("answer-lost", {"drop_after_rate": 1.0}),
    Fault("malformed-json", {"malformed_rate": 1.0}),
    Fault("html-502-page", {"html_rate": 1.0}),
    Fault("401-token-expired", expire_token=True),
    Fault("server-restarted", restart=True),
]


# --- one case -----------------------------------------------------------------------------------


@dataclass
class Case:
    app: Any
    pilot: Any
    rec: Recorder
    env: LiveEnv
    control: httpx.AsyncClient
    fault: Fault
    failures_seen: int = 0

    async def apply(self) -> None:
        self.rec.notes.clear()
        self.rec.statuses.clear()
        await self.fault.apply(self.env, self.control)

    async def clear(self) -> None:
        await self.fault.clear(self.env, self.control)

    async def counts(self) -> dict[str, int]:
        r = await self.control.get("/_sandbox/counts")
        return dict(r.json()[OWNER[0]])

    def trouble_shown(self) -> bool:
        """The header was told of trouble, or a notification said what failed."""
        return bool(TROUBLE & set(self.rec.statuses)) or bool(self.rec.problems())

    def login_open(self) -> bool:
        return isinstance(self.app.screen, LoginScreen)

    async def log_in_if_asked(self, timeout: float = 5.0) -> bool:
        """The expired-token fault ends when the person logs in again in the dialog."""
        if not self.fault.expire_token:
            return False
        await wait_until(self.pilot, self.login_open, timeout=timeout, what="the login dialog")
        logins = [s for s in self.app.screen_stack if isinstance(s, LoginScreen)]
        assert len(logins) == 1, "one login dialog, however many calls failed"
        login = self.app.screen
        login.query_one("#login-username", Input).value = OWNER[0]
        login.query_one("#login-password", Input).value = OWNER[1]
        await self.pilot.press("ctrl+s")
        await wait_until(self.pilot, lambda: not self.login_open(), what="logged in again")
        return True

    async def burn_rate_window(self) -> None:
        """Use up this second's allowance so the next request is answered 429."""
        await asyncio.sleep(1.05)  # a fresh one-second window starts with the next request
        for _ in range(3):
            await self.control.get(f"{UM}/users")

    def saw_failure(self) -> None:
        self.failures_seen += 1


def idle(app: Any, *groups: str) -> bool:
    return not any(w.is_running for w in app.workers if w.group in groups)


def text_of(widget: Static) -> str:
    return str(widget.content)


# --- surfaces ---------------------------------------------------------------------------------


async def users_surface(c: Case) -> None:
    """Search typed before the fault survives reloads; the add-user form keeps its fields
    after a failed save and saves exactly one user once the fault ends."""
    app, pilot = c.app, c.pilot
    screen = app.screen
    assert isinstance(screen, UsersScreen)
    total = (await c.counts())["users"]
    await pilot.press("slash", *"an", "enter")
    assert screen.query_text == "an"

    await c.apply()
    loads = ("users-first-page", "users-index", "users-links")
    for attempt in range(12):
        await pilot.press("r")
        await wait_until(
            pilot, lambda: c.login_open() or idle(app, *loads), timeout=15, what="reload"
        )
        if c.login_open() or c.trouble_shown():
            break
        assert not c.fault.certain, f"reload {attempt} under {c.fault.name}: nothing shown"
    else:
        pytest.fail(f"{c.fault.name}: no failure shown in 12 reloads")
    c.saw_failure()
    await c.log_in_if_asked()
    assert app.is_running and isinstance(app.screen, UsersScreen)
    assert screen.query_one("#users-search", SearchBox).value == "an"

    # the add-user form under the same fault
    external_id = f"fault-{c.fault.name}"
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(app.screen, UserFormScreen), what="the user form")
    form = app.screen
    typed = {
        "name": "Fault Tester",
        "email": "fault.tester@example.com",
        "external_id": external_id,
    }
    for ident, value in typed.items():
        form.query_one(f"#{ident}", Input).value = value
    await c.apply()
    if c.fault.name == "429-burst":
        await c.burn_rate_window()
    await pilot.press("ctrl+s")
    await wait_until(
        pilot,
        lambda: c.login_open() or not form.is_attached or not getattr(form, "saving", False),
        timeout=15,
        what="the save to finish",
    )
    if form.is_attached:
        c.saw_failure()
        if not c.login_open():
            message = text_of(form.query_one("#user-form-error", Static))
            assert message and message != "Saving…", "the form says why the save failed"
        for ident, value in typed.items():
            assert form.query_one(f"#{ident}", Input).value == value, f"{ident} lost"
    else:
        assert not c.fault.certain, f"{c.fault.name}: the save went through"

    await c.clear()
    await c.log_in_if_asked()  # the save is repeated by itself after the login
    for _ in range(6):
        await pilot.pause()
        if not form.is_attached:
            break
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: not form.is_attached or not getattr(form, "saving", False),
            timeout=10,
            what="the save to finish",
        )
    assert not form.is_attached, text_of(form.query_one("#user-form-error", Static))
    created = await app.client.users.list(external_id=external_id)
    assert created.total == 1, f"{created.total} users were created with {external_id!r}"
    assert (await c.counts())["users"] == total + 1

    # and the list recovers
    await pilot.press("escape")  # clears the search
    await pilot.press("r")
    await wait_until(
        pilot,
        lambda: idle(app, *loads) and screen.is_ready,
        what="the reload to finish, the highlighted user's detail included",
    )
    assert screen.query_one("UsersTable").row_count == total + 1


async def sentera_surface(c: Case) -> None:
    """The events poll reports the fault and recovers by itself; the connect form keeps every
    field after a failed submit; exactly one credential exists at the end."""
    app, pilot = c.app, c.pilot
    await app.user_index.load()
    users = sorted(app.user_index.search(""), key=lambda u: u.id)
    user = None
    for candidate in users:  # Leaf's user object has no Sentera: ask its endpoint
        try:
            await app.client.sentera.get(candidate.id)
        except NotFound:
            user = candidate
            break
    assert user is not None
    before = (await c.counts())["credentials"]
    app.open_sentera(user)
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded,
        what="the Sentera screen",
    )
    screen = app.screen
    assert screen.credential is None
    log = screen.events_log
    log.interval = 0.5  # poll often: recovery must happen without a key press
    status = screen.query_one("#events-status", Static)

    await c.apply()
    screen.action_refresh()
    await wait_until(
        pilot,
        lambda: (
            c.login_open()
            or "polling failed" in text_of(status)
            or (not c.fault.certain and c.trouble_shown())
        ),
        timeout=20,
        what="the poll failure to show",
    )
    c.saw_failure()
    if "polling failed" in text_of(status) and not c.login_open():
        assert status.has_class("bad")
        assert c.rec.problems(), "a notification says the events could not be loaded"
    await c.clear()
    await c.log_in_if_asked()
    await wait_until(
        pilot,
        lambda: app.screen is screen and "live, every" in text_of(status),
        timeout=20,
        what="polling to recover by itself",
    )
    assert not status.has_class("bad")

    # connect, under the fault
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, SenteraFormScreen), what="the form")
    form = app.screen
    for ident, value in zip(("username", "password", "organization"), SENTERA, strict=True):
        form.query_one(f"#{ident}", Input).value = value
    await c.apply()
    if c.fault.name == "429-burst":
        await c.burn_rate_window()
    await pilot.press("ctrl+s")
    await wait_until(
        pilot,
        lambda: c.login_open() or not form.is_attached or not form.busy,
        timeout=15,
        what="the connect to finish",
    )
    if form.is_attached:
        c.saw_failure()
        if not c.login_open():
            assert text_of(form.query_one("#form-error", Static)), "the form says what failed"
        for ident, value in zip(("username", "password", "organization"), SENTERA, strict=True):
            assert form.query_one(f"#{ident}", Input).value == value, f"{ident} lost"
    else:
        assert not c.fault.certain, f"{c.fault.name}: the connect went through"

    await c.clear()
    await c.log_in_if_asked()  # the submit is repeated by itself after the login
    for _ in range(6):
        await pilot.pause()
        if not form.is_attached:
            break
        if "already has a Sentera credential" in text_of(form.query_one("#form-error", Static)):
            await pilot.press("escape")  # the earlier, unanswered attempt did connect
            break
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: not form.is_attached or not form.busy, timeout=10, what="connect"
        )
    await wait_until(pilot, lambda: not form.is_attached, what="the form to close")
    assert (await c.counts())["credentials"] == before + 1, "exactly one credential"
    await wait_until(
        pilot, lambda: screen.credential is not None, timeout=10, what="the credential card"
    )
    assert screen.credential.username == SENTERA[0]


async def links_surface(c: Case) -> None:
    """The poll reports the fault once, backs off, and recovers by itself; the name filter
    typed before the fault stays."""
    app, pilot = c.app, c.pilot
    app.open_links()
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, LinksScreen) and app.screen.is_ready,
        what="the links",
    )
    screen = app.screen
    total = (await c.counts())["links"]
    assert len(screen.links) == total
    await pilot.press("slash", *"an", "enter")
    assert screen.filters.user_text == "an"
    shown = screen.table.row_count

    status = screen.query_one("#links-status", Static)

    def failing() -> bool:
        return status.has_class("-failing")

    await c.apply()
    await wait_until(
        pilot,
        lambda: c.login_open() or failing() or (not c.fault.certain and c.trouble_shown()),
        timeout=20,
        what="a failed poll",
    )
    c.saw_failure()
    if failing() and not c.fault.expire_token:  # (an expired token opens the login dialog)
        assert "last poll failed" in text_of(status)
        await wait_until(pilot, c.rec.problems, what="a notification")
        if c.fault.certain:
            assert len(c.rec.problems()) == 1, "one notification per failing stretch"
        assert screen.table.row_count == shown, "the table keeps what it had"
    polls = screen.polls
    await c.clear()
    await c.log_in_if_asked()
    await wait_until(
        pilot,
        lambda: screen.polls > polls and not failing(),
        timeout=30,
        what="polling to recover by itself",
    )
    assert screen.query_one("#links-name", SearchBox).value == "an"
    assert screen.filters.user_text == "an"
    assert screen.table.row_count == shown


async def wizard_surface(c: Case) -> None:
    """A failed create keeps every field and the error says so; repeating it creates exactly one
    link, including when an answer was lost (the wizard checks before sending again)."""
    app, pilot = c.app, c.pilot
    await app.user_index.load()
    user = next(u for u in app.user_index.search("Ava") if u.name == "Ava Anderson")
    app.open_wizard(WizardPrefill(user=user))
    await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen), what="the wizard")
    screen = app.screen
    screen.go_to("customize")
    await pilot.pause()
    company = f"Fault Co {c.fault.name}"
    box = screen.query_one("#company_name", Input)
    box.focus()
    box.value = company
    await pilot.pause()
    assert screen.draft.company_name == company
    before = (await c.counts())["links"]

    def done() -> bool:
        return isinstance(app.screen, LinkResultScreen)

    def kept() -> None:
        assert screen.draft.company_name == company
        assert screen.query_one("#company_name", Input).value == company
        assert screen.draft.user == user

    await c.apply()
    if c.fault.name == "429-burst":
        await c.burn_rate_window()
    attempts = 0
    # Under a 20% fault the person simply retries until it works; otherwise one attempt fails.
    for _ in range(1 if c.fault.certain else 8):
        await pilot.press("ctrl+s")
        attempts += 1
        await wait_until(
            pilot,
            lambda: c.login_open() or done() or (not screen.busy and bool(screen.error)),
            timeout=20,
            what="the create to finish",
        )
        if done() or c.login_open():
            break
        c.saw_failure()
        kept()
        assert screen.query_one("#wizard-error-bar").display
        if c.fault.name == "429-burst":
            break
    if not done():
        if c.login_open():
            assert "Log in again" in screen.error
            kept()
        else:
            assert screen.error
        await c.clear()
        await c.log_in_if_asked()  # the create is repeated by itself after the login
        for _ in range(4):
            await pilot.pause()
            if done():
                break
            kept()
            await pilot.press("ctrl+s")
            attempts += 1
            await wait_until(
                pilot,
                lambda: done() or (not screen.busy and bool(screen.error)),
                timeout=15,
                what="the create to finish",
            )
    assert done(), screen.error
    result = app.screen
    await c.clear()  # the checks below read through the client too; a 20% fault would fail them
    assert (await c.counts())["links"] == before + 1, "exactly one link"
    created = await app.client.links.get(LinkKind.PROVIDER, result.info.id)
    assert created.settings.company_name == company
    assert created.leaf_user_id == user.id
    assert app.clipboard == result.info.link


Surface = Callable[[Case], Awaitable[None]]
SURFACES: dict[str, Surface] = {
    "users": users_surface,
    "sentera": sentera_surface,
    "links": links_surface,
    "wizard": wizard_surface,
}


async def back_home(case: Case) -> None:
    """Between surfaces: the fault ended, no dialog left open, the Users screen on top."""
    app, pilot = case.app, case.pilot
    await case.clear()
    if case.login_open():
        await case.log_in_if_asked()
    app.open_users()
    await wait_until(pilot, lambda: isinstance(app.screen, UsersScreen), what="the Users screen")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
async def test_fault_matrix(
    fault: Fault,
    live_env: LiveEnv,
    control: httpx.AsyncClient,
    tally: Tally,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One app per fault (start-up is the costly part); each surface is a case of its own and
    every surface runs even when an earlier one fails, so the report names them all."""
    monkeypatch.setattr(LinksScreen, "POLL_SECONDS", 0.5)  # recovery without a key press
    app = leaf_app_on(live_env.base_url, live_env.token(), timeout=fault.timeout)
    failed: dict[str, str] = {}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rec = Recorder(app)
        await app_ready(pilot)
        for name, drive in SURFACES.items():
            case = Case(app, pilot, rec, live_env, control, fault)
            try:
                await drive(case)
                # still up, and the header is back to OK
                assert app.is_running and app.return_code is None
                await wait_until(
                    pilot, lambda: app.client.status.name == "OK", what="the header back to OK"
                )
            except Exception as exc:  # report every surface, not only the first
                failed[name] = "".join(traceback.format_exception(exc, limit=-3))
            else:
                tally.fault_cases += 1
                tally.fault_failures_seen += case.failures_seen
            await back_home(case)
        assert app.is_running
    assert not failed, "\n".join(f"--- {fault.name} x {k}:\n{v}" for k, v in failed.items())
