"""What the command-line tests share: a private LEAF_TUI_HOME with no Leaf variables set and the
live sandbox's frozen clock (`home`, autouse where a test module takes it in), the password
prompt answered, a login to the live loopback sandbox, the CLI run in process.

A test module takes the fixtures in by name (`home = cli_setup.home`): pytest finds them there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from leaf_tui import cli
from leaf_tui.common import clipboard, clock
from leaf_tui.domain import config

SANDBOX_NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
OWNER = "support@sandbox.local"
PASSWORD = "sandbox"
PROFILE = "t"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # the live sandbox's clock is frozen here; the client's "now" must agree (token expiry)
    with clock.frozen(SANDBOX_NOW):
        yield tmp_path
    clipboard.set_backend(None)


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What getpass is asked, and it answers the demo password (no terminal in tests)."""
    prompts: list[str] = []

    def fake_getpass(prompt: str = "Password: ", stream: Any = None) -> str:
        prompts.append(prompt)
        return PASSWORD

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return prompts


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`leaf-tui ARGV` in process: its exit code, stdout and stderr."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def base_url(live_sandbox: Any) -> str:
    return str(live_sandbox.base_url)


@pytest.fixture
def logged_in(base_url: str, password: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Profile PROFILE logged in to the live sandbox as the demo owner; its base URL."""
    code, _, err = run(
        capsys, "login", "--profile", PROFILE, "--base-url", base_url, "--username", OWNER
    )
    assert code == 0, err
    return base_url


def owner_get(base_url: str, path: str) -> Any:
    """GET `path` with the token `login` stored: what the sandbox holds."""
    token = config.load_tokens()[PROFILE].token
    response = httpx.get(
        f"{base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    response.raise_for_status()
    return response.json()
