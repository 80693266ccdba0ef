"""Security (issue 6): owner isolation on every endpoint, 401 for every bad token, secrets in no
log, notification, exception text, screenshot or snapshot, the token file 0600, and the sandbox
on loopback by default.

The endpoints come from the sandbox's route table; the secrets come from the sandbox itself (the
demo's authTokens and Sentera passwords, the JWTs it hands out), never from this file.
"""

from __future__ import annotations

import asyncio
import base64
import html
import inspect
import io
import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from starlette.routing import Route
from textual.widgets import Input

from leaf_tui import cli
from leaf_tui.api import LeafClient
from leaf_tui.api.errors import AuthError, Invalid, LeafError
from leaf_tui.common import debuglog, paths
from leaf_tui.domain import config
from leaf_tui.sandbox.app import ROUTES, SandboxConfig, create_app
from leaf_tui.sandbox.server import start_in_thread

from .conftest import FROZEN, OTHER, OWNER, SIZE, LiveEnv, Recorder, Tally, wait_until

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://sandbox.test"
UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
KINDS = ("provider", "authentication", "file-upload")
PARAM = re.compile(r"\{(\w+)\}")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
API_ROUTES = [
    (method, route.path)
    for route in ROUTES
    if isinstance(route, Route) and route.path.startswith("/services/")
    for method in sorted((route.methods or set()) - {"HEAD"})
]


# --- a sandbox in process, with both owners' ids and secrets ------------------------------------


class World:
    def __init__(self) -> None:
        self.app = create_app(SandboxConfig(now=lambda: FROZEN))
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=BASE)

    async def login(self, who: tuple[str, str]) -> dict[str, str]:
        r = await self.http.post(
            "/api/authenticate", json={"username": who[0], "password": who[1], "rememberMe": True}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['id_token']}"}

    async def owned(self, auth: dict[str, str]) -> dict[str, Any]:
        users: list[dict[str, Any]] = []
        page = 0
        while True:
            r = await self.http.get(f"{UM}/users", params={"page": page, "size": 100}, headers=auth)
            users += r.json()
            if len(users) >= int(r.headers["x-total-count"]):
                break
            page += 1
        links = {kind: (await self.http.get(f"{ML}/{kind}", headers=auth)).json() for kind in KINDS}
        tokens = []
        connected = []
        for user in users:
            r = await self.http.get(f"{UM}/users/{user['id']}/sentera-credentials", headers=auth)
            if r.status_code == 200:
                tokens.append(r.json()["authToken"])
                connected.append(user)
        return {"users": users, "links": links, "auth_tokens": tokens, "connected": connected}

    async def close(self) -> None:
        await self.http.aclose()
        self.app.state.sandbox.close()


@pytest.fixture
async def world() -> Any:
    w = World()
    yield w
    await w.close()


def fill(template: str, **values: str) -> str:
    return PARAM.sub(lambda m: quote(values[m.group(1)], safe=""), template)


def body_for(method: str, template: str, victim: dict[str, Any]) -> Any:
    if method == "PUT":
        return {"id": victim["id"], "name": "taken over"}
    if template.endswith("sentera-credentials"):
        return {
            "username": "grower@sentera.example",
            "password": "harvest-2026",
            "organizationName": "Prairie Farms",
        }
    if template.endswith("{kind}") and method == "POST":
        return {"allowedProviders": ["CNHI"], "provider": "CNHI", "externalId": "x-isolation"}
    if method == "POST":
        return {"name": "intruder"}
    return None


# --- owner isolation ------------------------------------------------------------------------------


async def test_another_owners_ids_are_404_on_every_endpoint(world: World, tally: Tally) -> None:
    mine = await world.login(OWNER)
    theirs_auth = await world.login(OTHER)
    theirs = await world.owned(theirs_auth)
    before = (await world.http.get("/_sandbox/counts")).json()[OTHER[0]]
    victim = theirs["connected"][0]
    checked = 0
    for method, template in API_ROUTES:
        names = set(PARAM.findall(template))
        if "user_id" not in names and "link_id" not in names:
            continue  # lists and create-with-user: checked below
        for kind in KINDS if "kind" in names else ("provider",):
            link_id = theirs["links"][kind][0]["id"] if theirs["links"][kind] else "none"
            path = fill(
                template, user_id=victim["id"], kind=kind, link_id=link_id, segment="john-deere"
            )
            r = await world.http.request(
                method, path, json=body_for(method, template, victim), headers=mine
            )
            assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
            assert r.headers["content-type"].startswith("application/problem+json")
            checked += 1
    # PUT carries the id in the body
    r = await world.http.put(f"{UM}/users", json={"id": victim["id"], "name": "x"}, headers=mine)
    assert r.status_code == 404, r.text
    after = (await world.http.get("/_sandbox/counts")).json()[OTHER[0]]
    assert after == before, "nothing of theirs changed"
    assert (
        await world.http.get(f"{UM}/users/{victim['id']}", headers=theirs_auth)
    ).json() == victim
    assert checked >= 12
    tally.notes.append(f"owner isolation: {checked} endpoint x id checks answered 404")


async def test_lists_and_searches_never_include_another_owners_data(world: World) -> None:
    mine_auth = await world.login(OWNER)
    theirs = await world.owned(await world.login(OTHER))
    mine = await world.owned(mine_auth)
    their_users = {u["id"] for u in theirs["users"]}
    their_links = {x["id"] for links in theirs["links"].values() for x in links}
    assert their_users and their_links
    assert not their_users & {u["id"] for u in mine["users"]}
    assert not their_links & {x["id"] for links in mine["links"].values() for x in links}
    assert not set(theirs["auth_tokens"]) & set(mine["auth_tokens"])
    for user in theirs["users"]:  # their exact email, externalId and name find nothing of theirs
        for key, field in (("email", "email"), ("externalId", "externalId"), ("name", "name")):
            if not user.get(field):
                continue
            r = await world.http.get(f"{UM}/users", params={key: user[field]}, headers=mine_auth)
            assert not {u["id"] for u in r.json()} & their_users, (key, user[field])
    # create-with-user by their externalId makes a user of ours, never reaches theirs
    victim = theirs["users"][0]
    r = await world.http.post(
        f"{ML}/file-upload", json={"externalId": victim["externalId"]}, headers=mine_auth
    )
    assert r.status_code in (200, 201), r.text
    assert r.json()["leafUserId"] not in their_users


# --- bad tokens -------------------------------------------------------------------------------


def forged(claims: dict[str, Any]) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS512"}).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(b'not-the-signature' * 4)}"


async def test_every_authenticated_endpoint_answers_401_to_a_bad_token(world: World) -> None:
    good = await world.login(OWNER)
    stranger = World()  # another sandbox: its tokens are signed with another secret
    try:
        foreign = await stranger.login(OWNER)
    finally:
        await stranger.close()
    ids = await world.owned(good)
    user_id = ids["users"][0]["id"]
    link_id = ids["links"]["provider"][0]["id"]
    headers: dict[str, dict[str, str]] = {
        "none": {},
        "not bearer": {"Authorization": "Basic c3VwcG9ydDpzYW5kYm94"},
        "empty bearer": {"Authorization": "Bearer "},
        "garbage": {"Authorization": "Bearer not-a-token"},
        "alg none": {"Authorization": "Bearer " + forged({"sub": OWNER[0], "exp": 2**40})},
        "other secret": foreign,
    }
    # expired: the server's clock moves past the token's 30 days
    await world.http.post("/_sandbox/clock", json={"advance": 31 * 86400})
    headers["expired"] = good
    checked = 0
    for method, template in API_ROUTES:
        path = fill(
            template, user_id=user_id, kind="provider", link_id=link_id, segment="john-deere"
        )
        for why, header in headers.items():
            r = await world.http.request(method, path, json={}, headers=header)
            assert r.status_code == 401, (why, method, path, r.status_code)
            assert r.headers["content-type"].startswith("application/problem+json"), why
            token = header.get("Authorization", "").removeprefix("Bearer ").strip()
            if len(token) > 8:
                assert token not in r.text, "the answer does not echo the token"
            checked += 1
    assert checked == len(API_ROUTES) * len(headers) >= 14 * 7


# --- secrets in the running app: notifications, debug log, screenshots, exceptions ---------------


def places_with(secret: str, texts: dict[str, str], window: int) -> list[str]:
    """Where `secret` (or any `window`-long piece of it) appears."""
    pieces = (
        {secret}
        if len(secret) <= window
        else {secret[i : i + window] for i in range(len(secret) - window + 1)}
    )
    return [place for place, text in texts.items() if any(p in text for p in pieces)]


def svg_text(svg: str) -> str:
    """The characters a person would see, joined per file (a token split across styled spans
    reads as one again)."""
    spans = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", s)) for s in spans).replace("\xa0", " ")


async def test_a_session_that_logs_in_and_connects_sentera_leaks_nothing(
    tmp_path: Path, tally: Tally, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaf_tui.common import clock
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.event_detail import EventDetailScreen
    from leaf_tui.tui.screens.login import LoginScreen
    from leaf_tui.tui.screens.sentera import SenteraScreen
    from leaf_tui.tui.screens.sentera_form import SenteraFormScreen

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    log_path = tmp_path / "debug.log"
    log = debuglog.enable(log_path)
    env = LiveEnv(tmp_path / "sandbox.db")
    errors: list[BaseException] = []
    shots: dict[str, str] = {}
    try:
        with clock.frozen(FROZEN):
            accounts = httpx.get(f"{env.base_url}/_sandbox/sentera/accounts").json()
            account = next(a for a in accounts if a["username"] == "grower@sentera.example")
            client = LeafClient(env.base_url, debug_log=log, timeout=10)
            app = LeafApp(Session(client, "lab", env.base_url, False))
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                rec = Recorder(app)

                def shoot(name: str) -> None:
                    shots[name] = svg_text(app.export_screenshot())

                # no token yet: the first call opens the login dialog; a wrong password first
                await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), what="login")
                login = app.screen
                login.query_one("#login-username", Input).value = OWNER[0]
                login.query_one("#login-password", Input).value = "wrong-" + OWNER[1]
                await pilot.press("ctrl+s")
                await wait_until(
                    pilot, lambda: "Wrong" in str(login.query_one("#login-error").content)
                )
                shoot("login failed")
                login.query_one("#login-password", Input).value = OWNER[1]
                await pilot.press("ctrl+s")
                await wait_until(
                    pilot,
                    lambda: not isinstance(app.screen, LoginScreen) and app.screen.is_ready,
                    timeout=15,
                    what="logged in, users loaded",
                )
                tokens = {app.client.token}
                shoot("users")
                await app.user_index.load()
                users = sorted(app.user_index.search(""), key=lambda u: u.id)
                unconnected = [
                    u for u in users if not await app.client.sentera.has_credential(u.id)
                ]
                user = unconnected[0]
                app.open_sentera(user)
                await wait_until(
                    pilot, lambda: isinstance(app.screen, SenteraScreen) and app.screen.loaded
                )
                screen = app.screen
                # a wrong password first (Leaf answers 400), then the right one
                for password in ("not-" + account["password"], account["password"]):
                    if not isinstance(app.screen, SenteraFormScreen):
                        await pilot.press("c")
                    await wait_until(pilot, lambda: isinstance(app.screen, SenteraFormScreen))
                    form = app.screen
                    form.query_one("#username", Input).value = account["username"]
                    form.query_one("#password", Input).value = password
                    form.query_one("#organization", Input).value = account["organizations"][0]
                    shoot(f"form typed {len(shots)}")
                    await pilot.press("ctrl+s")
                    await wait_until(pilot, lambda f=form: not f.is_attached or not f.busy)
                    shoot(f"form answered {len(shots)}")
                await wait_until(pilot, lambda: screen.credential is not None, what="connected")
                auth_token = screen.credential.auth_token
                assert auth_token
                shoot("sentera card")
                # an event's detail (headers and body, pretty)
                httpx.post(
                    f"{env.base_url}/_sandbox/sentera/{user.id}/events", json={"statusCode": 401}
                )
                screen.action_refresh()
                await wait_until(pilot, lambda: len(screen.events_log.events) > 0)
                screen.events_log.focus()
                await pilot.press("end", "enter")
                await wait_until(pilot, lambda: isinstance(app.screen, EventDetailScreen))
                shoot("event detail")
                await pilot.press("escape")
                # the token expires mid-session: log in again
                httpx.post(f"{env.base_url}/_sandbox/clock", json={"advance": 31 * 86400})
                screen.action_refresh()
                await wait_until(
                    pilot, lambda: isinstance(app.screen, LoginScreen), what="re-login"
                )
                app.screen.query_one("#login-username", Input).value = OWNER[0]
                app.screen.query_one("#login-password", Input).value = OWNER[1]
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: not isinstance(app.screen, LoginScreen))
                tokens.add(app.client.token)
                shoot("after re-login")
                # exceptions the service layer raises on the way
                for attempt in (
                    client.sentera.create(
                        user.id, account["username"], "x" + account["password"], "Nope"
                    ),
                    client.auth.authenticate(OWNER[0], "bad-" + OWNER[1]),
                ):
                    try:
                        await attempt
                    except LeafError as exc:
                        errors.append(exc)
                notes = rec.text()
                reprs = [repr(client), repr(app.session), repr(screen.credential)]
                reprs += [repr(await client.sentera.get(user.id))]
                if not isinstance(app.screen, LoginScreen):
                    shoot("end")
    finally:
        debuglog.disable()
        env.stop()
    assert any(isinstance(e, Invalid | AuthError) for e in errors)
    texts = {
        "notifications": notes,
        "debug log": log_path.read_text(),
        "exceptions": "\n".join(
            f"{e!s}\n{e!r}\n{e.detail}\n{e.args}\n{getattr(e, 'field_errors', '')}" for e in errors
        ),
        "reprs": "\n".join(reprs),
        **{f"screenshot: {k}": v for k, v in shots.items()},
    }
    assert "GET /services" in texts["debug log"], "the debug log did record the requests"
    secrets = {
        "authToken": auth_token,
        "Sentera password": account["password"],
        "wrong Sentera password": "not-" + account["password"],
        **{f"JWT {i}": t for i, t in enumerate(sorted(t for t in tokens if t))},
    }
    # the scan does find what is on screen: the (not secret) Sentera username is shown
    assert places_with(account["username"], texts, 12), "the scan reads the screenshots"
    leaks = {name: places_with(s, texts, 12) for name, s in secrets.items()}
    assert not any(leaks.values()), leaks
    for place, text in texts.items():
        assert not JWT.search(text), place
        assert not re.search(r"""(?i)password["']?\s*[:=]\s*["']?sandbox""", text), place
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600
    tally.scanned_files += 1 + len(shots)
    tally.secrets_checked += len(secrets)
    tally.secret_places["app session"] += len(texts)


# --- snapshots and screenshots in the repository ---------------------------------------------


def repo_svgs() -> list[Path]:
    return sorted([*ROOT.glob("tests/**/__snapshots__/**/*.svg"), *ROOT.glob("screenshots/*.svg")])


async def demo_secrets() -> dict[str, str]:
    """What the demo sandbox (seed 7, the one snapshots and screenshots use) holds secret."""
    world = World()
    try:
        found: dict[str, str] = {}
        for who in (OWNER, OTHER):
            owned = await world.owned(await world.login(who))
            for i, token in enumerate(owned["auth_tokens"]):
                found[f"{who[0]} authToken {i}"] = token
        accounts = (await world.http.get("/_sandbox/sentera/accounts")).json()
        for account in accounts:
            found[f"Sentera password of {account['username']}"] = account["password"]
        return found
    finally:
        await world.close()


def test_snapshots_and_screenshots_hold_no_secret(tally: Tally) -> None:
    svgs = repo_svgs()
    assert len(svgs) >= 10, "the snapshot and screenshot SVGs are where this test expects"
    secrets = asyncio.run(demo_secrets())
    assert len(secrets) >= 10
    texts = {str(p.relative_to(ROOT)): svg_text(p.read_text(encoding="utf-8")) for p in svgs}
    assert any("Sentera" in t for t in texts.values()), "the text extraction reads the SVGs"
    leaks = {name: places_with(s, texts, 12) for name, s in secrets.items()}
    assert not {k: v for k, v in leaks.items() if v}
    for place, text in texts.items():
        assert not JWT.search(text), place
    tally.scanned_files += len(svgs)
    tally.secrets_checked += len(secrets)
    tally.secret_places["snapshots and screenshots"] += len(svgs)


# --- files on disk and the listening address ----------------------------------------------------


def test_login_stores_the_token_0600_and_never_the_password(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tally: Tally,
) -> None:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    running = start_in_thread(SandboxConfig(now=None), host="127.0.0.1", port=0)
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO(OWNER[1] + "\n"))
        code = cli.main(
            [
                "login",
                "--profile",
                "lab",
                "--base-url",
                running.base_url,
                "--username",
                OWNER[0],
                "--password-stdin",
            ]
        )
        out = capsys.readouterr()
        assert code == 0, out
    finally:
        running.stop()
    tokens = config.tokens_path()
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.settings_path().stat().st_mode) == 0o600
    stored = config.get_token(config.load_settings().profile("lab"))
    assert stored is not None and JWT.fullmatch(stored.token)
    for path in (tokens, config.settings_path()):
        text = path.read_text()
        assert f'"{OWNER[1]}"' not in text and f"= {OWNER[1]!r}" not in text
    assert stored.token not in config.settings_path().read_text()
    assert stored.token not in out.out + out.err
    assert not any(
        stat.S_IMODE(p.stat().st_mode) & 0o077 for p in paths.config_dir().rglob("*") if p.is_file()
    ), "no file under the config dir is readable by others"
    tally.scanned_files += 2
    tally.secrets_checked += 2


def test_the_sandbox_listens_on_loopback_by_default() -> None:
    from leaf_tui.sandbox import server

    assert cli.build_parser().parse_args(["sandbox"]).host == "127.0.0.1"
    assert inspect.signature(server.start_in_thread).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(server.serve_forever).parameters["host"].default == "127.0.0.1"


async def test_the_embedded_sandbox_binds_127_0_0_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaf_tui.domain.session import open_session

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    async with await open_session() as session:
        assert session.is_sandbox and session.sandbox is not None
        assert session.base_url.startswith("http://127.0.0.1:")
        port = int(session.base_url.rsplit(":", 1)[1])
        answer = await asyncio.to_thread(httpx.get, f"{session.base_url}/_sandbox/health")
        assert answer.status_code == 200
        outward = outward_address()
        if outward is not None:
            with pytest.raises(OSError), socket.create_connection((outward, port), timeout=2):
                pass


def outward_address() -> str | None:
    """This machine's address on its default route, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_leaf_tui_sandbox_is_unreachable_from_other_interfaces(tmp_path: Path) -> None:
    env = {**os.environ, "LEAF_TUI_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "leaf_tui", "sandbox", "--port", "0", "--no-activity"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert match, first
        port = int(match.group(1))
        assert httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=10).status_code == 200
        outward = outward_address()
        if outward is not None:
            with pytest.raises(OSError), socket.create_connection((outward, port), timeout=2):
                pass
    finally:
        proc.terminate()
        proc.wait(timeout=10)
