"""The `leaf-tui` command against a live loopback sandbox: login, profiles, link create/list, and
clear messages with non-zero exit codes for bad input and unreachable servers."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from leaf_tui import cli
from leaf_tui.api import errors
from leaf_tui.common import clipboard, clock
from leaf_tui.domain import config
from leaf_tui.domain.link_draft import (
    MSG_EMAIL,
    MSG_EXTERNAL_ID_SPACE,
    MSG_PROVIDER_ONE,
    MSG_PROVIDERS_NONE,
)
from tests import cli_setup
from tests.cli_setup import OWNER, PASSWORD, PROFILE, SANDBOX_NOW, owner_get, run

# the command-line tests' setup: a private LEAF_TUI_HOME, the password prompt, a live login
home = cli_setup.home
password = cli_setup.password
base_url = cli_setup.base_url
logged_in = cli_setup.logged_in


def some_user_id(base_url: str) -> str:
    users = owner_get(base_url, "/services/usermanagement/api/users?page=0&size=5")
    return str(users[0]["id"])


def link_count(base_url: str) -> int:
    return (
        len(owner_get(base_url, "/services/widgets/api/magic-link/provider"))
        + len(owner_get(base_url, "/services/widgets/api/magic-link/authentication"))
        + len(owner_get(base_url, "/services/widgets/api/magic-link/file-upload"))
    )


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["login"],
        ["logout"],
        ["profiles"],
        ["profiles", "use"],
        ["profiles", "add"],
        ["profiles", "remove"],
        ["paths"],
        ["sandbox"],
        ["link"],
        ["link", "create"],
        ["link", "list"],
        ["connections"],
        ["attention"],
    ],
)
def test_every_command_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*argv, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: leaf-tui")
    assert " ".join(["leaf-tui", *argv]).strip() in out


def test_opening_the_dashboard_builds_no_command(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`leaf-tui [--profile P]` parses the dashboard's options only: the commands' modules are
    not imported on the way to the first rows (start-up); `--help` still lists them all."""
    opened = (
        "import sys\n"
        "from leaf_tui import cli, entry\n"
        "cli.cmd_tui = lambda args: print(args.profile, sorted(m for m in sys.modules"
        " if m.startswith('leaf_tui.cli.'))) or 0\n"
        "sys.exit(entry.main(['--profile', 'prod']))\n"
    )
    result = python(home, "-c", opened)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "prod ['leaf_tui.cli.common', 'leaf_tui.cli.output']"
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = capsys.readouterr().out
    assert all(command in listed for command in ("login", "link", "connections", "attention"))


def python(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """This interpreter in a process of its own, on `home`'s data."""
    return subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LEAF_TUI_HOME": str(home)},
        check=False,
    )


def test_python_dash_m_runs_the_cli(home: Path) -> None:
    result = python(home, "-m", "leaf_tui", "paths", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["config"] == str(home / "config")


def test_output_into_a_closed_pipe_ends_quietly(home: Path) -> None:
    """`leaf-tui link list | head`: when the reader is gone, no traceback, exit 141."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "leaf_tui", "link", "list", "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "LEAF_TUI_HOME": str(home)},
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == cli.EXIT_BROKEN_PIPE


# -- profiles and paths (no server) -----------------------------------------------------------


def test_paths(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paths", "--json")
    places = json.loads(out)
    assert code == 0
    assert places["config"] == str(home / "config")
    assert places["tokens"] == str(home / "config" / "tokens.json")
    assert places["sandbox_db"] == str(home / "data" / "sandbox.db")
    assert places["debug_log"] == str(home / "logs" / "leaf-tui.log")
    code, out, _ = run(capsys, "paths")
    assert code == 0 and "debug_log" in out and str(home / "logs") in out


def test_profiles_add_use_remove(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles")
    assert code == 0
    assert "* sandbox" in out and "embedded" in out

    code, _, _ = run(capsys, "profiles", "add", "prod", "--username", "ops@example.com")
    assert code == 0
    code, _, _ = run(capsys, "profiles", "use", "prod")
    assert code == 0
    code, out, _ = run(capsys, "profiles")
    assert "* prod" in out and "https://api.withleaf.io" in out and "not logged in" in out
    assert "  sandbox" in out and "* sandbox" not in out

    code, _, err = run(capsys, "profiles", "use", "nope")
    assert code == 2 and "no profile named 'nope'" in err
    code, _, err = run(capsys, "profiles", "remove", "sandbox")
    assert code == 2 and "built in" in err

    code, _, _ = run(capsys, "profiles", "remove", "prod")
    assert code == 0
    assert config.load_settings().active_profile == "sandbox"


def test_leaf_profile_env_marks_the_active_profile(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "profiles", "add", "qa", "--base-url", "https://qa.example")
    monkeypatch.setenv("LEAF_PROFILE", "qa")
    code, out, _ = run(capsys, "profiles", "--json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0
    assert rows["qa"]["active"] and not rows["sandbox"]["active"]
    assert rows["qa"]["base_url"] == "https://qa.example"


# -- login -----------------------------------------------------------------------------------


def test_login_stores_a_private_token_and_never_the_password(
    base_url: str, password: list[str], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "login", "--profile", PROFILE, "--base-url", base_url, "--username", OWNER
    )

    assert code == 0, err
    assert len(password) == 1 and OWNER in password[0]  # asked through getpass (no echo)
    assert f"Logged in to profile '{PROFILE}' ({base_url}) as {OWNER}" in out
    assert "expires 2026-04-01 09:00 UTC (in 30d)" in out  # rememberMe: 30 days
    stored = config.load_tokens()[PROFILE]
    assert stored.base_url == base_url
    assert stored.expires_at == SANDBOX_NOW + timedelta(days=30)
    tokens = home / "config" / "tokens.json"
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
    settings_text = (home / "config" / "settings.toml").read_text()
    assert stored.token not in settings_text
    assert "password =" not in settings_text
    assert set(json.loads(tokens.read_text())[PROFILE]) == {
        "token",
        "base_url",
        "subject",
        "expires_at",
    }
    settings = config.load_settings()
    assert settings.active_profile == PROFILE
    assert settings.profile(PROFILE) == config.Profile(PROFILE, base_url, OWNER)

    code, out, _ = run(capsys, "profiles")
    assert f"* {PROFILE}" in out
    assert "expires 2026-04-01 09:00 UTC" in out


def test_login_with_a_wrong_password_fails_clearly_and_stores_nothing(
    base_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="", stream=None: "wrong-password")

    code, out, err = run(
        capsys, "login", "--profile", PROFILE, "--base-url", base_url, "--username", OWNER
    )

    assert code == cli.EXIT_AUTH
    assert out == ""
    assert f"Login failed for {OWNER}" in err
    assert "wrong-password" not in err
    assert config.load_tokens() == {}
    assert PROFILE not in config.load_settings().profiles


def test_login_password_from_stdin(
    base_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    code, _, err = run(
        capsys,
        "login",
        "--profile",
        PROFILE,
        "--base-url",
        base_url,
        "--username",
        OWNER,
        "--password-stdin",
    )
    assert code == 0, err
    assert PROFILE in config.load_tokens()


def test_login_to_an_unreachable_server(
    password: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = closed_port_url()
    code, _, err = run(capsys, "login", "--profile", "x", "--base-url", url, "--username", OWNER)
    assert code == cli.EXIT_UNREACHABLE
    assert "Can't reach Leaf at 127.0.0.1" in err
    assert config.load_tokens() == {}


def test_login_refuses_the_builtin_sandbox_and_reserved_names(
    password: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "login", "--profile", "sandbox", "--username", OWNER)
    assert code == cli.EXIT_USAGE
    assert "--profile NAME --base-url URL" in err
    code, _, err = run(capsys, "login", "--profile", "env", "--username", OWNER)
    assert code == cli.EXIT_USAGE and "reserved" in err
    code, _, err = run(capsys, "login", "--profile", "has space", "--username", OWNER)
    assert code == cli.EXIT_USAGE and "bad profile name" in err
    assert password == []


def test_logout_forgets_the_token(logged_in: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "logout", "--profile", PROFILE)
    assert code == 0 and "token was removed" in out
    assert PROFILE not in config.load_tokens()

    code, _, err = run(capsys, "link", "list", "--profile", PROFILE)
    assert code == cli.EXIT_AUTH
    assert f"leaf-tui login --profile {PROFILE}" in err


# -- link create / list ----------------------------------------------------------------------


def test_link_create_provider_for_a_user(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user_id = some_user_id(logged_in)

    code, out, err = run(
        capsys,
        "link", "create", "--user", user_id, "--kind", "provider",
        "--provider", "JohnDeere", "--provider", "cnhi", "--expires", "1h", "--json",
    )  # fmt: skip

    assert code == 0, err
    created = json.loads(out)
    assert created["kind"] == "provider"
    assert created["leafUserId"] == user_id
    assert created["providers"] == ["JohnDeere", "CNHI"]
    assert created["expiresAt"] == "2026-03-02T10:00:00Z"
    assert created["link"].startswith(f"{logged_in}/magic-link/")
    stored = owner_get(logged_in, f"/services/widgets/api/magic-link/provider/{created['id']}")
    assert stored["allowedProviders"] == ["JohnDeere", "CNHI"]
    assert stored["leafUserId"] == user_id


def test_link_create_authentication_with_a_new_user_by_external_id(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "link", "create", "--external-id", "cli-ext-1", "--name", "Cli Grower",
        "--email", "cli@example.com", "--kind", "authentication",
        "--provider", "ClimateFieldView", "--expires", "7d",
        "--company-name", "Agronomy Co", "--background-color", "#102030", "--json",
    )  # fmt: skip

    assert code == 0, err
    created = json.loads(out)
    assert created["kind"] == "authentication"
    assert created["expiresAt"] == "2026-03-09T09:00:00Z"
    user = owner_get(logged_in, f"/services/usermanagement/api/users/{created['leafUserId']}")
    assert (user["externalId"], user["name"], user["email"]) == (
        "cli-ext-1",
        "Cli Grower",
        "cli@example.com",
    )
    stored = owner_get(
        logged_in, f"/services/widgets/api/magic-link/authentication/{created['id']}"
    )
    assert stored["provider"] == "ClimateFieldView"
    assert stored["settings"]["companyName"] == "Agronomy Co"


def test_link_create_file_upload_and_copy(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copied: list[str] = []
    clipboard.set_backend(copied.append)
    user_id = some_user_id(logged_in)

    code, out, err = run(
        capsys, "link", "create", "--user", user_id, "--kind", "file-upload",
        "--expires", "900", "--copy", "--json",
    )  # fmt: skip

    assert code == 0, err
    created = json.loads(out)
    assert created["kind"] == "file-upload"
    assert created["expiresAt"] == "2026-03-02T09:15:00Z"
    assert copied == [created["link"]]
    assert created["copied"]["systemClipboard"] is True
    assert created["copied"]["osc52"] is False  # stderr is no terminal under pytest


def test_link_create_plain_output_is_the_link_alone_and_default_expiry(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "link", "create", "--external-id", "cli-ext-2", "--provider", "Stara"
    )
    assert code == 0, err
    assert out.strip().startswith(f"{logged_in}/magic-link/")
    assert len(out.strip().splitlines()) == 1
    assert "Provider link" in err and "Stara" in err
    assert "2026-03-02 10:00 UTC" in err  # the default expiry setting: 1 hour


def test_link_list_json_and_table(logged_in: str, capsys: pytest.CaptureFixture[str]) -> None:
    user_id = some_user_id(logged_in)
    code, out, _ = run(
        capsys, "link", "create", "--user", user_id, "--provider", "Trimble", "--json"
    )
    assert code == 0
    new_id = json.loads(out)["id"]

    code, out, _ = run(capsys, "link", "list", "--user", user_id, "--json")
    links = json.loads(out)
    assert code == 0
    assert new_id in {link["id"] for link in links}
    assert {link["leafUserId"] for link in links} == {user_id}
    mine = next(link for link in links if link["id"] == new_id)
    assert mine["providers"] == ["Trimble"] and mine["expired"] is False

    code, out, err = run(capsys, "link", "list", "--kind", "provider")
    assert code == 0
    assert out.splitlines()[0].split() == [
        "ID", "KIND", "USER", "NAME", "PROVIDERS", "EXPIRES", "IN", "USES", "LINK",
    ]  # fmt: skip
    assert new_id in out and "link(s)" in err


def test_flags_work_before_and_after_the_command(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "profiles", "use", "sandbox")  # so only an explicit --profile reaches the server
    for argv in (
        ["--profile", PROFILE, "link", "list", "--kind", "provider"],
        ["link", "list", "--kind", "provider", "--profile", PROFILE],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert f"{logged_in}/magic-link/" in out  # the live sandbox, not the embedded one


# -- bad input and failures --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--provider", "Foo"], "unknown provider 'Foo': choose from JohnDeere"),
        (["--provider", "JohnDeere", "--expires", "10m"], "below the minimum of 15 minutes"),
        (["--provider", "JohnDeere", "--expires", "899"], "below the minimum of 15 minutes"),
        (["--provider", "JohnDeere", "--expires", "2y"], "above the maximum of one year"),
        (["--provider", "JohnDeere", "--expires", "soon"], "bad duration 'soon'"),
        # the wizard's rules (link_draft), the flag named
        ([], f"bad --provider: {MSG_PROVIDERS_NONE}"),
        (["--kind", "authentication"], f"bad --provider: {MSG_PROVIDER_ONE}"),
        (
            ["--kind", "authentication", "--provider", "CNHI", "--provider", "Stara"],
            "an authentication link takes exactly one --provider",
        ),
        (
            ["--external-id", " ext-1", "--provider", "CNHI"],
            f"bad --external-id ' ext-1': {MSG_EXTERNAL_ID_SPACE}",
        ),
        (
            ["--external-id", "ext-1", "--email", "nope", "--provider", "CNHI"],
            f"bad --email 'nope': {MSG_EMAIL}",
        ),
        (["--kind", "file-upload", "--provider", "CNHI"], "takes no --provider"),
        (["--provider", "CNHI", "--name", "X"], "use them with --external-id"),
        (["--provider", "CNHI", "--background-color", "red"], "bad --background-color"),
        (["--provider", "CNHI", "--company-logo", "logo.png"], "bad --company-logo"),
        # the wizard's URL rule: a host, and no spaces
        (["--provider", "CNHI", "--company-logo", "https://"], "bad --company-logo"),
        (["--provider", "CNHI", "--header-image", "https://a b/x.png"], "bad --header-image"),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    extra: list[str], message: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    # Nothing listens on this URL: had a request been attempted, the exit code would be 4.
    monkeypatch.setenv("LEAF_TOKEN", "any-token")
    url = closed_port_url()

    who = [] if "--external-id" in extra else ["--user", "u1"]
    code, out, err = run(capsys, "link", "create", "--base-url", url, *who, *extra)

    assert code == cli.EXIT_USAGE
    assert out == ""
    assert message in err


def test_bad_input_creates_no_link_on_the_server(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user_id = some_user_id(logged_in)
    before = link_count(logged_in)
    for extra in (["--provider", "Foo"], ["--provider", "CNHI", "--expires", "14m"]):
        code, _, err = run(capsys, "link", "create", "--user", user_id, *extra)
        assert code == cli.EXIT_USAGE, err
    assert link_count(logged_in) == before


def test_unknown_user(logged_in: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "link", "create", "--user", "no-such-user", "--provider", "JohnDeere"
    )
    assert code == cli.EXIT_API
    assert out == ""
    assert "No Leaf user with id 'no-such-user'" in err


def test_unreachable_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEAF_TOKEN", "any-token")
    url = closed_port_url()
    code, out, err = run(
        capsys, "link", "create", "--base-url", url, "--user", "u1", "--provider", "CNHI"
    )
    assert code == cli.EXIT_UNREACHABLE
    assert out == ""
    assert "Can't reach Leaf at 127.0.0.1" in err
    assert "any-token" not in err


def test_missing_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["link", "create", "--provider", "CNHI"])
    assert exit_info.value.code == cli.EXIT_USAGE
    assert "one of the arguments --user --external-id is required" in capsys.readouterr().err


def test_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "link", "list", "--profile", "ghost")
    assert code == cli.EXIT_USAGE
    assert "no profile named 'ghost'" in err


def test_first_login_without_a_profile_name_creates_default(
    base_url: str,
    password: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LEAF_API_URL", base_url)
    code, out, err = run(capsys, "login", "--username", OWNER)
    assert code == 0, err
    assert "Active profile: default" in out
    assert config.load_settings().profile("default").base_url == base_url

    code, out, _ = run(capsys, "logout", "--all")
    assert code == 0 and "Forgot 1 stored token(s)" in out
    assert config.load_tokens() == {}


def test_login_needs_a_username_when_not_interactive(
    base_url: str, password: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "login", "--profile", "fresh", "--base-url", base_url)
    assert code == cli.EXIT_USAGE
    assert "pass --username" in err
    assert password == []  # never got as far as asking for the password


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--profile", "ghost"], "no profile named 'ghost'"),
        (["--base-url", "ftp://x"], "bad base URL"),
    ],
)
def test_the_dashboard_refuses_bad_options_before_starting(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_USAGE
    assert message in err


def test_an_expired_env_token_falls_back_to_the_stored_login(
    logged_in: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64

    claims = {"sub": OWNER, "exp": int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    monkeypatch.setenv("LEAF_TOKEN", f"eyJhbGciOiJIUzUxMiJ9.{payload}.c2ln")

    code, out, err = run(capsys, "link", "list", "--profile", PROFILE, "--kind", "provider")
    assert code == 0, err
    assert f"{logged_in}/magic-link/" in out

    with clock.frozen(SANDBOX_NOW + timedelta(days=31)):  # now the stored one expired too
        code, _, err = run(capsys, "link", "list", "--profile", PROFILE)
    assert code == cli.EXIT_AUTH
    assert "LEAF_TOKEN expired 2026-01-01 00:00 UTC" in err
    assert f"leaf-tui login --profile {PROFILE}" in err


def test_end_to_end_in_processes_sandbox_login_and_link(home: Path) -> None:
    """`leaf-tui sandbox` serving, then `login` and `link create` as separate processes."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LEAF_TUI_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        env.pop(name, None)
    leaf = [sys.executable, "-m", "leaf_tui"]
    server = subprocess.Popen(
        [*leaf, "sandbox", "--port", "0", "--no-activity"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("Leaf sandbox at http://127.0.0.1:"), first
        url = first.split(" at ", 1)[1].strip()

        login = subprocess.run(
            [*leaf, "login", "--profile", "e2e", "--base-url", url, "--username", OWNER,
             "--password-stdin"],
            input=f"{PASSWORD}\n", capture_output=True, text=True, env=env, timeout=60,
            check=False,
        )  # fmt: skip
        assert login.returncode == 0, login.stderr
        assert "Active profile: e2e" in login.stdout

        created = subprocess.run(
            [*leaf, "link", "create", "--external-id", "e2e-grower", "--kind", "authentication",
             "--provider", "johndeere", "--expires", "1d", "--json"],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
        body = json.loads(created.stdout)
        assert body["providers"] == ["JohnDeere"]
        assert body["profile"] == "e2e"
        assert body["link"].startswith(f"{url}/magic-link/")
        landing = httpx.get(body["link"], timeout=10)
        assert landing.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_osc52_goes_to_a_terminal_only() -> None:
    import base64
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    send = cli.link.osc52_writer(terminal)
    assert send is not None
    send("https://x.example/magic-link/1")
    encoded = base64.b64encode(b"https://x.example/magic-link/1").decode()
    assert terminal.getvalue() == f"\x1b]52;c;{encoded}\x07"
    assert cli.link.osc52_writer(io.StringIO()) is None  # a pipe or file gets no escape codes


def test_the_command_line_side_never_imports_textual() -> None:
    """Scripts (`link create`, `login`) stay quick and work without a terminal UI."""
    import subprocess
    import sys

    code = (
        "import sys, leaf_tui.cli, leaf_tui.domain.session, leaf_tui.domain.config, "
        "leaf_tui.common.clipboard, "
        "leaf_tui.common.debuglog; leaf_tui.cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (cli.UsageError("bad flag"), cli.EXIT_USAGE),
        (config.ConfigError("bad settings"), cli.EXIT_USAGE),
        (errors.Invalid("refused", status=400), cli.EXIT_USAGE),
        (errors.AuthError("log in", status=401), cli.EXIT_AUTH),
        (errors.Unreachable("down"), cli.EXIT_UNREACHABLE),
        (errors.NotFound("gone", status=404), cli.EXIT_API),
        (errors.ServerError("oops", status=500), cli.EXIT_API),
    ],
)
def test_each_failure_has_its_documented_exit_code(exc: Exception, code: int) -> None:
    assert cli.exit_code(exc) == code


# -- read-only profiles (issue 12) ------------------------------------------------------------


def mark_read_only() -> None:
    from dataclasses import replace

    settings = config.load_settings()
    profile = replace(settings.profiles[PROFILE], read_only=True)
    config.save_settings(replace(settings, profiles={**settings.profiles, PROFILE: profile}))


def test_a_read_only_profile_refuses_writes_before_sending(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    mark_read_only()
    assert "read_only = true" in config.settings_path().read_text()
    user_id = some_user_id(logged_in)
    before = link_count(logged_in)
    code, _, err = run(capsys, "link", "create", "--user", user_id, "--kind", "file-upload")
    assert code != 0
    assert "read-only" in err
    assert link_count(logged_in) == before
    code, _, err = run(capsys, "link", "list", "--json")  # reading is fine
    assert code == 0, err


def test_logging_in_again_keeps_read_only(
    logged_in: str, password: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    mark_read_only()
    code, _, err = run(capsys, "login", "--profile", PROFILE, "--username", OWNER)
    assert code == 0, err
    assert config.load_settings().profiles[PROFILE].read_only
