"""An unexpected exception inside a request, with a known token: one line on the terminal, the
details (no locals, redacted) in the debug log, and the token nowhere in anything printed,
from the TUI (on a real pty) and from the CLI.

The exception is forced by a transport that fails while it holds the request (its locals, and
the frames above it, hold the Authorization header; its message quotes it). Textual's own crash
report printed such locals: see leaf_tui/tui/crash_guard.py and the canary below.
"""

from __future__ import annotations

import inspect
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from textual.app import App

from leaf_tui.tui import crash_guard

from .ptyrun import PtyRun
from .tally import Tally

DRIVER = """
import sys, httpx
from leaf_tui import cli

class Boom(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request):
        authorization = request.headers["authorization"]  # a local holding the token
        raise RuntimeError(f"bug while sending with {authorization}")

original = httpx.AsyncClient.__init__
def with_boom(self, *args, **kwargs):
    kwargs["transport"] = Boom()
    original(self, *args, **kwargs)
httpx.AsyncClient.__init__ = with_boom
sys.exit(cli.main(sys.argv[1:]))
"""


def windows(secret: str, size: int = 12) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def leaks(secret: str, text: str) -> list[str]:
    return sorted(w for w in windows(secret) if w in text)


@pytest.fixture
def crash_env(tmp_path: Path) -> dict[str, str]:
    token = "tok-" + secrets.token_hex(24)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    return {
        "LEAF_TUI_HOME": str(tmp_path / "home"),
        "LEAF_API_URL": "http://127.0.0.1:9",
        "LEAF_TOKEN": token,
        "DRIVER": str(driver),
        "NO_COLOR": "1",
    }


def test_the_tui_crash_is_one_line_and_prints_no_token(
    crash_env: dict[str, str], tally: Tally
) -> None:
    token = crash_env["LEAF_TOKEN"]
    run = PtyRun([sys.executable, crash_env["DRIVER"]], env=crash_env)
    code = run.finish(limit=60)
    printed = run.raw.decode("utf-8", "replace")
    assert code == 1, printed[-2000:]
    said = " ".join(printed.split())  # the line wraps at the terminal's width
    assert "error: unexpected RuntimeError" in said
    assert "details in" in said and "leaf-tui.log" in said
    assert not leaks(token, printed), "the token is in the terminal output"
    assert "Authorization" not in printed and "locals" not in printed
    assert "Traceback" not in printed
    log = (Path(crash_env["LEAF_TUI_HOME"]) / "logs" / "leaf-tui.log").read_text()
    assert "RuntimeError: bug while sending with Bearer «redacted»" in log
    assert "Traceback" in log, "the details are in the debug log"
    assert not leaks(token, log), "the token is in the debug log"
    tally.secrets_checked += 1
    tally.secret_places["crash report: TUI on a pty, debug log"] += 2


def test_the_cli_crash_is_one_line_and_prints_no_token(
    crash_env: dict[str, str], tally: Tally
) -> None:
    token = crash_env["LEAF_TOKEN"]
    env = {**os.environ, **crash_env}
    done = subprocess.run(
        [sys.executable, crash_env["DRIVER"], "link", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unexpected RuntimeError"), lines
    assert done.stdout == ""
    assert not leaks(token, done.stdout + done.stderr)
    log = (Path(crash_env["LEAF_TUI_HOME"]) / "logs" / "leaf-tui.log").read_text()
    assert "Traceback" in log and not leaks(token, log)
    tally.secrets_checked += 1
    tally.secret_places["crash report: CLI, debug log"] += 2


def test_canary_textual_still_prints_locals_and_the_guard_covers_this_version() -> None:
    """When this fails, Textual changed: look at leaf_tui/tui/crash_guard.py again (if Textual
    no longer shows locals, remove the guard; if it moved, port it and extend WRITTEN_FOR)."""
    import textual

    source = inspect.getsource(App._fatal_error)
    assert "show_locals=True" in source, "Textual stopped printing locals: the guard can go"
    assert crash_guard.ACTIVE, f"the guard was not written for Textual {textual.__version__}"
    assert crash_guard.QuietCrashApp._fatal_error is not App._fatal_error
