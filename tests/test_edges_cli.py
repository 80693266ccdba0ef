"""Issue 13, the command line at the edges, against a live loopback sandbox: `logout` of a profile
that does not exist, `link create --copy` that copied nothing (exit 5, said on stderr),
`link list` with the users' names, and a long Retry-After wait said on stderr."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from leaf_tui import cli
from leaf_tui.common import clipboard
from leaf_tui.domain import config
from tests import cli_setup
from tests.cli_setup import PROFILE, owner_get, run

pytestmark = pytest.mark.edge("command line")

# the command-line tests' setup: a private LEAF_TUI_HOME, the password prompt, a live login
home = cli_setup.home
password = cli_setup.password
base_url = cli_setup.base_url
logged_in = cli_setup.logged_in


def owner_get_all(base_url: str, path: str) -> list[Any]:
    """Every page of a list (Leaf pages every list, 20 a page by default)."""
    rows: list[Any] = []
    for page in range(1000):
        batch = owner_get(base_url, f"{path}?page={page}&size=100")
        rows.extend(batch)
        if len(batch) < 100:
            return rows
    raise AssertionError(f"{path} did not end after 1000 pages")


def test_logout_of_a_profile_that_does_not_exist(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "logout", "--profile", "nope")
    assert code == cli.EXIT_USAGE
    assert err.strip() == "error: no profile named 'nope' (known: sandbox, t)"
    assert out == ""
    assert PROFILE in config.load_tokens()  # nothing else forgotten


def test_logout_of_a_known_profile_still_works(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "logout", "--profile", PROFILE)
    assert code == 0 and "its token was removed" in out
    code, out, _ = run(capsys, "logout", "--profile", PROFILE)
    assert code == 0 and "had no stored token" in out


def test_link_create_copy_that_copied_nothing_exits_5(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("no clipboard here")

    clipboard.set_backend(broken)
    user_id = owner_get(logged_in, "/services/usermanagement/api/users?page=0&size=1")[0]["id"]
    code, out, err = run(
        capsys, "link", "create", "--user", user_id, "--kind", "file-upload", "--copy"
    )
    assert code == cli.EXIT_NOT_COPIED == 5
    link = out.strip()
    assert link.startswith(f"{logged_in}/magic-link/")  # the link exists and is printed
    [error_line] = [line for line in err.splitlines() if line.startswith("error:")]
    assert error_line.startswith("error: the link was created but not copied (Copy failed")
    assert error_line.endswith("; exit 5")
    made = owner_get_all(logged_in, "/services/widgets/api/magic-link/file-upload")
    assert link in {item["link"] for item in made}


def test_link_create_copy_that_worked_exits_0(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copied: list[str] = []
    clipboard.set_backend(copied.append)
    user_id = owner_get(logged_in, "/services/usermanagement/api/users?page=0&size=1")[0]["id"]
    code, out, err = run(
        capsys, "link", "create", "--user", user_id, "--kind", "file-upload", "--copy"
    )
    assert code == 0
    assert copied == [out.strip()]
    assert "Copied (system clipboard)" in err and "error:" not in err


def test_link_list_shows_the_users_names(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    users = owner_get(logged_in, "/services/usermanagement/api/users?page=0&size=500")
    name_of = {user["id"]: user.get("name") for user in users}
    code, out, _ = run(capsys, "link", "list", "--json")
    assert code == 0
    links = json.loads(out)
    with_user = [link for link in links if link["leafUserId"] in name_of]
    assert with_user
    for link in with_user:
        if name_of[link["leafUserId"]]:
            assert link["userName"] == name_of[link["leafUserId"]]

    code, out, _ = run(capsys, "link", "list")
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["ID", "KIND", "USER", "NAME"]
    some = next(link for link in with_user if link["userName"])
    row = next(r for r in rows if r.startswith(some["id"]))
    assert some["userName"] in row


class RateLimitedOnce(BaseHTTPRequestHandler):
    """429 with Retry-After: 2 to the first request, then empty lists."""

    answered = 0

    def do_GET(self) -> None:
        type(self).answered += 1
        if type(self).answered == 1:
            self.send_response(429)
            self.send_header("Retry-After", "2")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_long_retry_after_is_said_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RateLimitedOnce)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("LEAF_API_URL", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("LEAF_TOKEN", "abc.def.ghi")
        code, _, err = run(capsys, "link", "list", "--kind", "provider")
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, err
    assert "waiting: Leaf asked to wait 2 s (HTTP 429); retrying then" in err
