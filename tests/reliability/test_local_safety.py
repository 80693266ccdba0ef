"""Local files and the command line: the debug log never follows a planted symlink and is 0600
whatever it was; directories we create are 0700 whatever the umask (existing ones are left
alone); a password on the command line is refused without being echoed; plain http:// to
another machine is refused unless allowed explicitly."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaf_tui import cli
from leaf_tui.common import debuglog, paths
from leaf_tui.domain import config
from leaf_tui.domain.cleartext import check_cleartext, is_loopback
from leaf_tui.sandbox.app import SandboxConfig
from leaf_tui.sandbox.server import start_in_thread

from .conftest import OWNER


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    debuglog.disable()


@pytest.fixture
def wide_umask() -> Iterator[None]:
    old = os.umask(0o002)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_debug_log_does_not_follow_a_planted_symlink(home: Path) -> None:
    target = home.parent / "victim.txt"
    target.write_text("precious\n")
    log = debuglog.log_path()
    log.parent.mkdir(parents=True)
    log.symlink_to(target)
    with pytest.raises(debuglog.LogFileError, match="symbolic link"):
        debuglog.enable()
    assert target.read_text() == "precious\n", "nothing was written through the link"
    assert not debuglog.is_enabled()


def test_the_debug_log_found_0644_becomes_0600_and_appends(home: Path) -> None:
    log = debuglog.log_path()
    log.parent.mkdir(parents=True)
    log.write_text("earlier\n")
    log.chmod(0o644)
    debuglog.enable().debug("GET /x -> 200")
    debuglog.disable()
    assert mode(log) == 0o600
    assert log.read_text().startswith("earlier\n") and "GET /x -> 200" in log.read_text()


def test_a_debug_log_that_is_not_a_file_is_refused(home: Path) -> None:
    debuglog.log_path().mkdir(parents=True)
    with pytest.raises(debuglog.LogFileError):
        debuglog.enable()


def test_the_cli_says_so_in_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = debuglog.log_path()
    log.parent.mkdir(parents=True)
    log.symlink_to(home.parent / "elsewhere")
    assert cli.main(["link", "list", "--debug"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: the debug log {log} is a symbolic link: not followed; remove it and try again"
    ]


def test_directories_we_create_are_0700_whatever_the_umask(
    home: Path, wide_umask: None, tmp_path: Path
) -> None:
    debuglog.enable()
    debuglog.disable()
    config.save_settings(config.Settings())
    for created in (home, home / "logs", home / "config"):
        assert mode(created) == 0o700, created
    # XDG-like nesting: every level we create is private
    deep = tmp_path / "xdg" / "state" / "leaf-tui" / "log"
    paths.ensure(deep)
    for level in (tmp_path / "xdg", tmp_path / "xdg" / "state", deep.parent, deep):
        assert mode(level) == 0o700, level


def test_existing_directories_are_left_as_they_are(tmp_path: Path, wide_umask: None) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    paths.ensure(shared / "leaf-tui")
    assert mode(shared) == 0o755
    assert mode(shared / "leaf-tui") == 0o700


@pytest.mark.parametrize(
    "argv",
    [
        ["login", "--password", "hunter2-secret"],
        ["login", "--password=hunter2-secret"],
        ["login", "--pass", "hunter2-secret"],
        ["login", "--passw=hunter2-secret", "--username", "a@b.example"],
        ["--profile", "x", "login", "--password", "hunter2-secret"],
    ],
)
def test_a_password_on_the_command_line_is_refused_without_echo(
    argv: list[str], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    out = capsys.readouterr()
    assert "hunter2" not in out.out + out.err
    assert "passwords are not taken on the command line" in out.err
    assert "--password-stdin" in out.err and "prompt" in out.err


def test_password_stdin_still_works_as_documented(home: Path) -> None:
    parsed = cli.build_parser().parse_args(["login", "--password-stdin", "--username", "a@b.c"])
    assert parsed.password_stdin is True


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("api.localhost", True),
        ("10.0.0.5", False),
        ("192.168.1.2", False),
        ("api.withleaf.io", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
    ],
)
def test_loopback_is_what_it_says(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_plain_http_to_another_machine_is_refused_unless_allowed() -> None:
    with pytest.raises(config.ConfigError, match="clear text") as refused:
        check_cleartext("http://10.0.0.5:8765", allowed=False, profile="lab")
    assert "--allow-http" in str(refused.value) and "https://" in str(refused.value)
    check_cleartext("http://10.0.0.5:8765", allowed=True)
    check_cleartext("https://10.0.0.5", allowed=False)
    check_cleartext("http://127.0.0.1:8765", allowed=False)


def test_login_refuses_http_to_another_host_before_asking_for_the_password(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or "pw")
    code = cli.main(
        ["login", "--profile", "lab", "--base-url", "http://10.0.0.5:8765", "--username", "a@b.c"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "clear text" in err and "--allow-http" in err
    assert asked == [], "the password was not asked for"
    assert "lab" not in config.load_settings().profiles


def test_allow_http_is_explicit_and_kept_in_the_profile(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a sandbox that answers on every interface stands for a server on the LAN; its URL is
    # given by a non-loopback name of this machine only if it has one: use the profile check
    assert cli.main(["profiles", "add", "lan", "--base-url", "http://10.9.9.9:1"]) == 2
    assert "clear text" in capsys.readouterr().err
    assert (
        cli.main(["profiles", "add", "lan", "--base-url", "http://10.9.9.9:1", "--allow-http"]) == 0
    )
    assert config.load_settings().profile("lan").allow_http is True
    assert "allow_http = true" in config.settings_path().read_text()
    # used later without the flag: allowed by the profile, so the refusal is not the error
    code = cli.main(["link", "list", "--profile", "lan"])
    assert "clear text" not in capsys.readouterr().err
    assert code == 3  # not logged in (the profile has no token)


def test_open_session_refuses_a_token_over_http_to_another_host(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEAF_API_URL", "http://10.0.0.5:8765")
    monkeypatch.setenv("LEAF_TOKEN", "opaque-token-123456")
    assert cli.main(["link", "list"]) == 2
    err = capsys.readouterr().err
    assert "clear text" in err and "opaque-token" not in err


def test_loopback_http_logs_in_as_before(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    running = start_in_thread(SandboxConfig(now=None), host="127.0.0.1", port=0)
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO(OWNER[1] + "\n"))
        argv = ["login", "--profile", "lab", "--base-url", running.base_url]
        code = cli.main([*argv, "--username", OWNER[0], "--password-stdin"])
    finally:
        running.stop()
    assert code == 0, capsys.readouterr()
    assert config.load_settings().profile("lab").allow_http is False


def test_the_sandbox_log_is_not_written_through_a_planted_symlink(tmp_path: Path) -> None:
    from leaf_tui.domain import embedded_sandbox

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    db = tmp_path / "data" / "sandbox.db"
    db.parent.mkdir()
    db.with_name("sandbox.db.log").symlink_to(victim)
    with pytest.raises(OSError):
        embedded_sandbox.start(db, timeout=5)
    assert victim.read_text() == "precious\n", "not truncated through the link"


def test_the_debug_log_holds_no_raw_escape_for_cat_or_tail(home: Path) -> None:
    debuglog.enable().debug("GET /services/x?name=%s -> 200", "Ann \x1b]0;PWNED\x07 \u202e")
    debuglog.disable()
    text = debuglog.log_path().read_text()
    assert "name=Ann ␛]0;PWNED␇" in text
    assert "\x1b" not in text and "\u202e" not in text
