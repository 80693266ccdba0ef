"""Sessions: the embedded sandbox (started, logged in, data kept between runs), real profiles
with stored tokens, LoginRequired when there is none or it expired, and login() resuming a client.
Also: the debug log of a session that logged in and connected Sentera holds no secret."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from leaf_tui import cli
from leaf_tui.api.errors import AuthError
from leaf_tui.common import clock, debuglog, paths
from leaf_tui.domain import config
from leaf_tui.domain.session import LoginRequired, Session, login, open_session

SANDBOX_NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
OWNER = ("support@sandbox.local", "sandbox")
GROWER = ("grower@sentera.example", "harvest-2026", "Prairie Farms")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    debuglog.disable()


@pytest.fixture
def at_sandbox_time() -> Iterator[datetime]:
    """The live sandbox fixture's clock is frozen; the client's must agree on token expiry."""
    with clock.frozen(SANDBOX_NOW):
        yield SANDBOX_NOW


@pytest.fixture
async def opened() -> AsyncIterator[list[Session]]:
    """Sessions a test opened, closed afterwards even when it fails."""
    sessions: list[Session] = []
    yield sessions
    for session in sessions:
        await session.aclose()


# -- the embedded sandbox --------------------------------------------------------------------


async def test_no_profile_starts_the_embedded_sandbox_and_keeps_its_data(
    home: Path, opened: list[Session]
) -> None:
    session = await open_session()
    opened.append(session)

    assert session.is_sandbox and session.profile_name == "sandbox"
    assert session.base_url.startswith("http://127.0.0.1:")
    assert session.client.token is not None
    assert session.username == OWNER[0]
    assert (paths.data_dir() / "sandbox.db").exists()
    page = await session.client.users.list(size=5)
    assert page.total and page.total >= 40
    added = await session.client.users.create(name="Kept Between Runs", external_id="kept-1")
    base_url = session.base_url

    await session.aclose()
    await session.aclose()  # twice is harmless
    assert session.sandbox is None
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base_url}/_sandbox/health", timeout=2)

    again = await open_session()
    opened.append(again)
    kept = await again.client.users.get(added.id)
    assert kept.name == "Kept Between Runs"
    total = (await again.client.users.list(size=1)).total
    assert total == page.total + 1  # not regenerated


# -- real profiles ---------------------------------------------------------------------------


async def test_a_real_profile_without_a_token_asks_for_login() -> None:
    config.save_settings(
        config.Settings(
            active_profile="prod",
            profiles={"prod": config.Profile("prod", "https://api.withleaf.io", "ops@x")},
        )
    )
    with pytest.raises(LoginRequired) as info:
        await open_session()
    assert isinstance(info.value, AuthError)  # the TUI's AuthError path opens the login dialog
    assert info.value.profile_name == "prod"
    assert info.value.base_url == "https://api.withleaf.io"
    assert info.value.username == "ops@x"
    assert "leaf-tui login --profile prod" in str(info.value)


async def test_api_url_alone_without_a_token_names_a_login_that_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LEAF_API_URL with no profile: `login --profile env` is refused, so never suggest it."""
    monkeypatch.setenv("LEAF_API_URL", "https://leaf.example")
    with pytest.raises(LoginRequired) as info:
        await open_session()
    message = str(info.value)
    assert "--profile env" not in message
    assert "LEAF_TOKEN" in message
    assert "leaf-tui login --base-url https://leaf.example" in message


async def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(config.ConfigError, match="no profile named 'ghost'"):
        await open_session("ghost")


async def test_login_stores_the_token_and_the_next_session_uses_it(
    live_sandbox: Any, at_sandbox_time: datetime, opened: list[Session]
) -> None:
    token = await login("live", *OWNER, base_url=live_sandbox.base_url)

    assert token.expires_at == SANDBOX_NOW + timedelta(days=30)
    assert config.load_settings().profile("live") == config.Profile(
        "live", live_sandbox.base_url, OWNER[0]
    )
    session = await open_session("live")
    opened.append(session)
    assert not session.is_sandbox and session.sandbox is None
    assert session.client.token == token.id_token
    assert session.client.token_expires_at == token.expires_at
    assert (await session.client.users.list(size=3)).items


async def test_wrong_password_raises_auth_error_and_stores_nothing(live_sandbox: Any) -> None:
    with pytest.raises(AuthError, match="Login failed"):
        await login("live", OWNER[0], "nope", base_url=live_sandbox.base_url)
    assert config.load_tokens() == {}
    assert "live" not in config.load_settings().profiles


async def test_expired_token_asks_for_login_and_login_resumes_the_same_client(
    live_sandbox: Any, at_sandbox_time: datetime, opened: list[Session]
) -> None:
    await login("live", *OWNER, base_url=live_sandbox.base_url)
    session = await open_session("live")
    opened.append(session)
    client = session.client
    month = 31 * 86400
    async with httpx.AsyncClient(base_url=live_sandbox.base_url) as raw:
        shifted = await raw.post("/_sandbox/clock", json={"advance": month})
        assert shifted.status_code == 200

    # mid-session: the server now refuses the token
    with pytest.raises(AuthError):
        await client.users.list(size=1)
    # a new session sees the stored token has expired
    with clock.frozen(SANDBOX_NOW + timedelta(seconds=month)):
        with pytest.raises(LoginRequired, match="expired 2026-04-01 09:00 UTC"):
            await open_session("live")
        # the login dialog's call: same client, new token, stored for next time
        token = await login(session.profile_name, *OWNER, client=client)

    assert client.token == token.id_token
    assert (await client.users.list(size=1)).items
    assert config.load_tokens()["live"].token == token.id_token
    assert config.load_settings().profile("live").base_url == live_sandbox.base_url
    assert token.expires_at == SANDBOX_NOW + timedelta(seconds=month, days=30)


async def test_login_on_the_embedded_sandbox_reauthenticates_without_storing(
    opened: list[Session],
) -> None:
    session = await open_session()
    opened.append(session)
    token = await login("sandbox", *OWNER, client=session.client)
    assert session.client.token == token.id_token
    assert config.load_tokens() == {}
    with pytest.raises(config.ConfigError, match="logs itself in"):
        await login("sandbox", *OWNER)


async def test_env_url_and_token_need_no_stored_login(
    live_sandbox: Any, at_sandbox_time: datetime, monkeypatch: pytest.MonkeyPatch,
    opened: list[Session],
) -> None:  # fmt: skip
    token = await login("live", *OWNER, base_url=live_sandbox.base_url)
    config.delete_token("live")
    monkeypatch.setenv("LEAF_API_URL", live_sandbox.base_url)
    monkeypatch.setenv("LEAF_TOKEN", token.id_token)

    session = await open_session()
    opened.append(session)

    assert (session.profile_name, session.base_url) == ("env", live_sandbox.base_url)
    assert session.client.token == token.id_token
    assert (await session.client.users.list(size=1)).items
    assert "env" not in config.load_tokens()  # LEAF_TOKEN is used, never stored


# -- the debug log ---------------------------------------------------------------------------


async def test_debug_log_after_login_and_sentera_connect_holds_no_secret(
    live_sandbox: Any, at_sandbox_time: datetime, monkeypatch: pytest.MonkeyPatch,
    opened: list[Session],
) -> None:  # fmt: skip
    monkeypatch.setattr("getpass.getpass", lambda prompt="", stream=None: OWNER[1])
    code = await asyncio.to_thread(  # the CLI runs its own event loop
        cli.main,
        ["login", "--debug", "--profile", "live", "--base-url", live_sandbox.base_url,
         "--username", OWNER[0]],
    )  # fmt: skip
    assert code == 0
    session = await open_session("live", debug=True)
    opened.append(session)
    grower = await session.client.users.create(name="Debug Log Grower", external_id="dbg-1")
    credential = await session.client.sentera.create(grower.id, *GROWER)
    again = await session.client.sentera.get(grower.id)
    await session.client.sentera.events(grower.id)
    assert credential.auth_token and again.auth_token
    await session.aclose()
    debuglog.disable()

    text = debuglog.log_path().read_text()
    assert "POST /api/authenticate -> 200" in text
    assert f"POST /services/usermanagement/api/users/{grower.id}/sentera-credentials -> 201" in text
    assert f"GET /services/usermanagement/api/users/{grower.id}/sentera-credentials -> 200" in text
    secrets = {
        "owner token": config.load_tokens()["live"].token,
        "session token": session.client.token or "",
        "Sentera password": GROWER[1],
        "authToken": credential.auth_token,
        "authToken (get)": again.auth_token,
    }
    for what, secret in secrets.items():
        assert secret and secret not in text, f"the debug log holds the {what}"
    assert "password" not in text.lower()
    assert "authtoken" not in text.lower()
    assert f"'{OWNER[1]}'" not in text and f'"{OWNER[1]}"' not in text
