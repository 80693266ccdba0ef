"""Issue 13, the sandbox at the edges: a data file that is garbage, a folder or in a folder that
does not exist is one line that names it and says how to start again; options out of range exit
2 with `error:`; a client that hangs up is a normal event in the log, not a "sandbox bug"."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from leaf_tui import cli

pytestmark = pytest.mark.edge("sandbox")
GARBAGE = b"this is not sqlite\x00\xff" * 100


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p / "missing" / "s.db", "does not exist: create it, or choose another path"),
        (lambda p: p, "it is a folder"),
        (lambda p: (p / "g.db").write_bytes(GARBAGE) and p / "g.db", "not a sandbox database"),
    ],
)
def test_sandbox_db_that_cannot_be_used(
    make: Any, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make(tmp_path)
    before = db.read_bytes() if db.is_file() else None
    code, out, err = run_cli(capsys, "sandbox", "--db", str(db), "--port", "0", "--no-activity")
    assert code == 2
    assert out == ""  # nothing printed as if it were serving
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: --db: the sandbox data file {str(db)!r} cannot be used")
    assert says in line
    if before is not None:
        assert db.read_bytes() == before  # never overwritten: the person decides


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--users", "-1"], "--users must be 0 or more"),
        (["--events", "-5"], "--events must be 0 or more"),
        (["--error-rate", "2"], "error_rate"),
        (["--latency", "99999999"], "latency_ms"),
        (["--activity-interval", "0"], "--activity-interval"),
        (["--error-status", "abc"], "--error-status"),
        (["--port", "99999"], "not a port"),
    ],
)
def test_sandbox_options_out_of_range_exit_2(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "sandbox", "--port", "0", *argv)
    assert code == 2
    assert "error:" in err and says in err
    assert "Traceback" not in err and out == ""


def test_a_garbage_embedded_sandbox_db_names_the_file_and_the_reset(home_with: Any) -> None:
    """The dashboard's own sandbox.db damaged: `link list` (on the sandbox profile) says which
    file and how to start again, in one line, instead of the sandbox's traceback."""
    home = home_with(GARBAGE)
    db = home / "data" / "sandbox.db"
    done = subprocess.run(
        [sys.executable, "-m", "leaf_tui", "link", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LEAF_TUI_HOME": str(home)},
        check=False,
    )
    assert done.returncode == cli.EXIT_API
    [line] = [row for row in done.stderr.splitlines() if row.strip()]
    assert line.startswith(f"error: the sandbox data file {str(db)!r} cannot be used")
    assert f"rm {str(db)!r}" in line
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == GARBAGE


@pytest.fixture
def home_with(tmp_path: Path) -> Any:
    def make(content: bytes) -> Path:
        data = tmp_path / "home" / "data"
        data.mkdir(parents=True)
        (data / "sandbox.db").write_bytes(content)
        return tmp_path / "home"

    return make


def test_a_client_that_hangs_up_is_a_normal_event(
    live_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    port = int(live_sandbox.base_url.rsplit(":", 1)[1])
    caplog.set_level(logging.INFO)
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /api/authenticate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"user'
        )
        time.sleep(0.2)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "hung up" not in caplog.text:
        time.sleep(0.05)
    assert "client hung up during POST /api/authenticate" in caplog.text
    assert "sandbox bug" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


def test_a_damaged_sqlite_file_is_named_with_the_way_to_start_again(tmp_path: Path) -> None:
    """A real sandbox file whose pages were overwritten: sqlite opens it, seeding fails."""
    from leaf_tui.sandbox.app import SandboxConfig, create_app
    from leaf_tui.sandbox.store import DataFileError

    db = tmp_path / "kept.db"
    small = {"users": 5, "links": 5, "events": 5, "activity": False}
    create_app(SandboxConfig(db_path=str(db), **small)).state.sandbox.close()
    data = bytearray(db.read_bytes())
    for i in range(4096, len(data), 7):
        data[i] = 0xAB
    db.write_bytes(bytes(data))
    with pytest.raises(DataFileError) as info:
        create_app(SandboxConfig(db_path=str(db), refresh_demo=True, **small))
    message = str(info.value)
    assert "malformed" in message and f"rm {str(db)!r}" in message


def test_a_file_without_permission_says_so() -> None:
    """(Tests run as root here, who reads any file: the wording is checked on the error.)"""
    from leaf_tui.sandbox.store import cannot_use

    message = str(cannot_use("/srv/s.db", PermissionError(13, "Permission denied")))
    assert message == (
        "the sandbox data file '/srv/s.db' cannot be used: permission denied: fix its "
        "permissions, or choose another path"
    )


def test_leaf_tui_sandbox_says_a_client_hung_up_in_one_line(tmp_path: Path) -> None:
    """The command's own terminal: an INFO line like uvicorn's, no "sandbox bug", no traceback."""
    server = subprocess.Popen(
        [sys.executable, "-m", "leaf_tui", "sandbox", "--port", "0", "--no-activity"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LEAF_TUI_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("Leaf sandbox at http://127.0.0.1:"), first
        port = int(first.strip().rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(
                b"POST /api/authenticate HTTP/1.1\r\nHost: x\r\n"
                b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user'
            )
            time.sleep(0.3)
        time.sleep(0.5)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "INFO:     client hung up during POST /api/authenticate" in err
    assert "sandbox bug" not in err and "Traceback" not in err and "ERROR" not in err
