"""Issue 13, failures at the edges, on the local side: bad base URLs, a LEAF_TUI_HOME that is no
folder, damaged token and settings files, a bad LEAF_TOKEN, and concurrent logins. Each ends as
one line on stderr with a documented exit code (never a traceback), and nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leaf_tui import cli
from leaf_tui.domain import config
from tests import cli_setup
from tests.cli_setup import OWNER, run

pytestmark = pytest.mark.edge("local files, URLs and tokens")

LEAF = [sys.executable, "-m", "leaf_tui"]
BAD_URLS = ["http://a b", "http://127.0.0.1:99999", "http://[::1", "ftp://x.example", "http://"]


home = cli_setup.home  # a private LEAF_TUI_HOME, no Leaf variables, the sandbox's clock


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def write_settings(home: Path, text: str) -> Path:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_tokens(home: Path, body: Any) -> Path:
    path = home / "config" / "tokens.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return path


# -- base URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_base_url_is_refused_at_every_entry(
    url: str, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "profiles", "add", "x", "--base-url", url)
    assert code == cli.EXIT_USAGE
    assert "--base-url" in one_error_line(err)
    assert not (home / "config" / "settings.toml").exists()  # nothing half-saved

    code, _, err = run(capsys, "login", "--profile", "x", "--base-url", url, "--username", OWNER)
    assert code == cli.EXIT_USAGE
    assert one_error_line(err).startswith("error: --base-url: ")
    assert config.load_tokens() == {}

    monkeypatch.setenv("LEAF_API_URL", url)
    monkeypatch.setenv("LEAF_TOKEN", "abc.def.ghi")
    code, _, err = run(capsys, "link", "list")
    assert code == cli.EXIT_USAGE
    assert "LEAF_API_URL" in one_error_line(err)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://[::1", "http://a b"])
def test_a_bad_base_url_in_the_settings_file_names_the_key_at_use(
    url: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(home, f'[profiles.hand]\nbase_url = "{url}"\n')
    write_tokens(home, {"hand": {"token": "abc.def.ghi", "base_url": url}})
    code, _, err = run(capsys, "link", "list", "--profile", "hand")
    assert code == cli.EXIT_USAGE
    assert "profiles.hand.base_url" in one_error_line(err)


def test_a_port_out_of_range_used_to_reach_the_socket_layer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: it ended in OverflowError from sock.connect with the token in locals."""
    monkeypatch.setenv("LEAF_API_URL", "http://127.0.0.1:99999")
    monkeypatch.setenv("LEAF_TOKEN", "eyJhbGciOiJIUzUxMiJ9.e30.c2VjcmV0LXRva2Vu")
    code, out, err = run(capsys, "link", "list")
    assert code == cli.EXIT_USAGE
    assert "port 99999 is out of range" in one_error_line(err)
    assert "c2VjcmV0LXRva2Vu" not in out + err


# -- LEAF_TUI_HOME -----------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["profiles"], ["profiles", "add", "x"], ["link", "list"]])
def test_leaf_tui_home_that_is_a_file(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    a_file = tmp_path / "home-file"
    a_file.write_text("not a folder")
    monkeypatch.setenv("LEAF_TUI_HOME", str(a_file))
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_USAGE
    line = one_error_line(err)
    assert "LEAF_TUI_HOME" in line and "a file is in the way" in line
    assert a_file.read_text() == "not a folder"


def test_leaf_tui_home_that_cannot_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("LEAF_TUI_HOME", str(blocker / "below" / "home"))
    code, _, err = run(capsys, "profiles", "add", "x")
    assert code == cli.EXIT_USAGE
    assert "cannot create the folder" in one_error_line(err)


def test_the_dashboard_with_a_home_that_is_a_file_says_so(tmp_path: Path) -> None:
    """The TUI's own start: one line, no traceback, before the screen is taken over."""
    a_file = tmp_path / "home-file"
    a_file.write_text("")
    env = {**os.environ, "LEAF_TUI_HOME": str(a_file), "LEAF_PROFILE": "nope"}
    done = subprocess.run(
        [sys.executable, "-m", "leaf_tui"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == cli.EXIT_USAGE
    assert "Traceback" not in done.stderr
    assert "LEAF_TUI_HOME" in one_error_line(done.stderr)


# -- tokens.json, LEAF_TOKEN ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        ("{not json", "tokens.json is not JSON"),
        ("[1, 2]", "not an object of profiles"),
        ({"t": {"token": 5, "base_url": "https://a.example"}}, "t has no usable token"),
        ({"t": "junk"}, "t has no usable token"),
        ({"t": {"token": "a b", "base_url": "https://a.example"}}, "t.token holds a space"),
        (
            {"t": {"token": "tok", "base_url": "https://a.example", "expires_at": 12}},
            "t.expires_at = 12 is not a date",
        ),
    ],
)
def test_a_damaged_token_file_is_a_warning_naming_the_entry(
    body: Any, warning: str, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(home, '[profiles.t]\nbase_url = "https://a.example"\n')
    write_tokens(home, body)
    code, out, err = run(capsys, "profiles")
    assert code == 0, err
    assert "Traceback" not in err
    assert f"warning: {warning}" in err or warning in err
    assert "t" in out


def test_a_naive_expiry_is_read_as_utc_not_a_type_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-written `expires_at` without a zone compared with the aware clock: TypeError."""
    write_settings(home, '[profiles.t]\nbase_url = "https://a.example"\n')
    write_tokens(
        home,
        {
            "t": {
                "token": "opaque",
                "base_url": "https://a.example",
                "expires_at": "2026-03-01T00:00",
            }
        },
    )
    stored = config.load_tokens()["t"]
    assert stored.expires_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert stored.is_expired()
    code, _, err = run(capsys, "link", "list", "--profile", "t")
    assert code == cli.EXIT_AUTH
    assert "expired 2026-03-01 00:00 UTC" in one_error_line(err)


@pytest.mark.parametrize("token", ["abc déf", "abc\tdef", "abc\ndef", "tøken"])
def test_a_leaf_token_with_space_or_non_ascii_is_one_line(
    token: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEAF_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LEAF_TOKEN", token)
    code, out, err = run(capsys, "link", "list")
    assert code == cli.EXIT_USAGE
    assert "LEAF_TOKEN holds" in one_error_line(err)
    assert token not in out + err


def test_a_leaf_token_with_surrounding_space_is_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAF_API_URL", "https://a.example")
    monkeypatch.setenv("LEAF_TOKEN", "  abc.def.ghi\n")
    assert config.resolve().token_from_env == "abc.def.ghi"


# -- settings.toml -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "check"),
    [
        ('link_expiry = "banana"', "link_expiry", lambda s: s.link_expiry == 3600),
        ("link_expiry = 60", "link_expiry", lambda s: s.link_expiry == 3600),
        ("link_expiry = [1]", "link_expiry", lambda s: s.link_expiry == 3600),
        ('auto_copy = "yes"', "auto_copy", lambda s: s.auto_copy is True),
        ("theme = 7", "theme", lambda s: s.theme is None),
        ('active_profile = "ghost"', "active_profile", lambda s: s.active_profile == "sandbox"),
        ("active_profile = 3", "active_profile", lambda s: s.active_profile == "sandbox"),
        ("[profiles.p]\nbase_url = 5", "profiles.p.base_url", lambda s: "p" in s.profiles),
    ],
)
def test_a_setting_of_the_wrong_type_is_a_warning_naming_the_key(
    text: str, key: str, check: Any, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(home, text + "\n")
    settings = config.load_settings()
    assert check(settings)
    assert any(w.startswith(f"settings.toml: {key} = ") for w in settings.warnings)
    code, _, err = run(capsys, "profiles")
    assert code == 0
    assert f"warning: settings.toml: {key} = " in err
    assert "Traceback" not in err


def test_a_good_settings_file_warns_of_nothing(home: Path, capsys: Any) -> None:
    write_settings(
        home,
        'active_profile = "p"\nlink_expiry = "2h"\nauto_copy = false\ntheme = "nord"\n'
        '[profiles.p]\nbase_url = "https://a.example"\nusername = "me@a.example"\n',
    )
    settings = config.load_settings()
    assert settings.warnings == ()
    assert (settings.active_profile, settings.link_expiry) == ("p", 7200)
    code, _, err = run(capsys, "profiles")
    assert code == 0 and err == ""


# -- concurrent logins -----------------------------------------------------------------------------


def test_three_logins_at_once_keep_every_profile_and_token(home: Path, live_sandbox: Any) -> None:
    """Three `leaf-tui login --profile` processes at once: each read-modify-write of
    settings.toml and tokens.json holds the config lock, so none loses another's entry."""
    env = {**os.environ, "LEAF_TUI_HOME": str(home)}
    for rounds in range(2):
        names = [f"p{rounds}{i}" for i in range(3)]
        to_sandbox = ["--base-url", live_sandbox.base_url, "--username", OWNER]
        logins = [
            subprocess.Popen(
                [*LEAF, "login", "--profile", name, *to_sandbox, "--password-stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for name in names
        ]
        for login in logins:
            _, err = login.communicate("sandbox\n", timeout=60)
            assert login.returncode == 0, err
    settings = config.load_settings()
    tokens = config.load_tokens()
    expected = {f"p{r}{i}" for r in range(2) for i in range(3)}
    assert expected <= set(settings.profiles)
    assert expected <= set(tokens)
    assert oct((home / "config" / "tokens.json").stat().st_mode & 0o777) == "0o600"
    assert not list((home / "config").glob("*.tmp"))  # atomic replace: no temp file left


def test_the_lock_is_reentrant_and_released(home: Path) -> None:
    with config.config_lock():
        config.save_token("a", config.StoredToken("tok", "https://a.example", None, None))
        config.update_settings(
            lambda s: s.with_profile(config.Profile("a", "https://a.example", None))
        )
    assert "a" in config.load_tokens() and "a" in config.load_settings().profiles
    # another process can take it now
    code = "from leaf_tui.domain import config\nwith config.config_lock(): print('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LEAF_TUI_HOME": str(home)},
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"LEAF_API_URL": "http://[::1"}, "LEAF_API_URL: bad base URL"),
        ({"LEAF_API_URL": "https://a.example", "LEAF_TOKEN": "a b"}, "LEAF_TOKEN holds a space"),
        ({"LEAF_PROFILE": "ghost"}, "no profile named 'ghost'"),
    ],
)
def test_the_dashboard_refuses_a_bad_environment_before_it_starts(
    env: dict[str, str], says: str, home: Path
) -> None:
    done = subprocess.run(
        LEAF,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LEAF_TUI_HOME": str(home), **env},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == cli.EXIT_USAGE
    assert says in one_error_line(done.stderr)
    assert "\x1b[?1049h" not in done.stdout + done.stderr  # the screen was never taken


def test_a_warning_never_carries_an_escape_from_the_file(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(
        home,
        'link_expiry = "\\u001b]0;TITLE\\u0007"\n[profiles."x\\u001b[2J"]\nbase_url = 5\n',
    )
    write_tokens(home, {"t\x1b]52;c;AAAA\x07": {"token": 5}})
    code, _, err = run(capsys, "profiles")
    assert code == 0
    assert "\x1b" not in err and "\x07" not in err
    assert "warning: settings.toml: link_expiry = " in err
    assert 'profiles."x\\u001b[2J".base_url' in err
