"""An unexpected exception inside a request, with a known token: one line on the terminal, the
details (no locals, redacted) in the debug log, and the token nowhere in anything printed,
from the TUI (on a real pty) and from the CLI.

The exception is forced by a transport that fails while it holds the request (its locals, and
the frames above it, hold the Authorization header; its message quotes it). Textual's own crash
report prints such locals: see leaf_tui/tui/crash_report.py and the canary below.
"""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App

from leaf_tui.tui.crash_report import CrashReport

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


@pytest.mark.parametrize("cols", [120, 40])  # at 40, Textual's report splits the token
def test_the_tui_crash_is_one_line_and_prints_no_token(
    crash_env: dict[str, str], tally: Tally, cols: int
) -> None:
    token = crash_env["LEAF_TOKEN"]
    run = PtyRun([sys.executable, crash_env["DRIVER"]], env=crash_env, cols=cols)
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


LOCALS_PANEL = "─ locals ─"
"""The top border of the panel of a frame's locals in Textual's (Rich's) report."""
A_LOCAL = "self = Crashing("
"""One local shown in that panel."""


class Crashing(App[None]):
    """A crash in a message handler, with a token in a local and in the message."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def on_mount(self) -> None:
        self.call_later(self.send)

    def send(self) -> None:
        authorization = f"Bearer {self.token}"  # a local holding the token
        raise RuntimeError(f"bug while sending with {authorization}")


async def crash(app: Crashing) -> None:
    with pytest.raises(RuntimeError):  # run_test raises what ended the app, after its report
        async with app.run_test() as pilot:
            await pilot.pause()


async def test_canary_textual_still_shows_locals_in_its_crash_report() -> None:
    """Why leaf_tui/tui/crash_report.py exists: Textual's own report of a crash shows the frames'
    locals. If that stops, the module's reason is gone; if Rich draws them another way, its
    LOCALS_TOP must follow (the test below then finds them in the debug log too)."""
    token = "tok-" + secrets.token_hex(24)
    app = Crashing(token)
    printed = io.StringIO()
    app.error_console = Console(file=printed, color_system=None, soft_wrap=True)
    await crash(app)
    report = printed.getvalue()
    assert A_LOCAL in report and token in report, "Textual no longer shows locals"
    assert LOCALS_PANEL in report, "Rich draws them differently: follow it in LOCALS_TOP"


async def test_a_crash_reported_by_crash_report_prints_no_locals_and_no_token(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, tally: Tally
) -> None:
    token = "tok-" + secrets.token_hex(24)
    app = Crashing(token)
    report = CrashReport(app)
    await crash(app)
    line = report.one_line([token])
    printed = capfd.readouterr()
    assert printed.out == "" and printed.err == "", "Textual's report reached the terminal"
    assert line is not None and "\n" not in line
    assert line.startswith("error: unexpected RuntimeError: bug while sending with Bearer «"), line
    assert "details in" in line and not leaks(token, line)
    log = (tmp_path / "leaf-tui-home" / "logs" / "leaf-tui.log").read_text()
    assert "RuntimeError: bug while sending with Bearer «redacted»" in log
    assert "Traceback" in log and "in send" in log, "the frames are in the debug log"
    assert LOCALS_PANEL not in log and A_LOCAL not in log
    assert not leaks(token, log)
    tally.secrets_checked += 1
    tally.secret_places["crash report: a handler's crash, debug log"] += 2


class CrashingInACatch(Crashing):
    def send(self) -> None:
        try:
            super().send()
        except RuntimeError as error:
            raise ValueError("could not send") from error


async def test_a_chain_is_reported_by_its_last_exception_and_logged_whole(
    tmp_path: Path,
) -> None:
    token = "tok-" + secrets.token_hex(24)
    app = CrashingInACatch(token)
    report = CrashReport(app)
    with pytest.raises(ValueError):
        async with app.run_test() as pilot:
            await pilot.pause()
    line = report.one_line([token])
    assert line is not None and line.startswith("error: unexpected ValueError: could not send ("), (
        line
    )
    log = (tmp_path / "leaf-tui-home" / "logs" / "leaf-tui.log").read_text()
    assert "RuntimeError: bug while sending with Bearer «redacted»" in log
    assert "The above exception was the direct cause" in log and "ValueError: could not send" in log
    assert LOCALS_PANEL not in log and not leaks(token, log)


async def test_no_crash_no_report() -> None:
    app = App[None]()
    report = CrashReport(app)
    async with app.run_test() as pilot:
        await pilot.pause()
    assert report.one_line() is None


class CrashingInAGroup(Crashing):
    """The error inside a group: Rich draws it, and its message, inside a "Sub-exception"
    panel, where a long token is split across the panel's lines."""

    def send(self) -> None:
        try:
            super().send()
        except RuntimeError as error:
            raise ExceptionGroup("while sending", [error]) from None


async def test_a_token_split_inside_a_panel_is_masked_and_a_group_is_named(
    tmp_path: Path,
) -> None:
    token = "tok-" + secrets.token_hex(60)  # longer than a line of the panel: it is split
    app = CrashingInAGroup(token)
    report = CrashReport(app)
    with pytest.raises(ExceptionGroup):
        async with app.run_test() as pilot:
            await pilot.pause()
    line = report.one_line([token])
    assert line is not None and line.startswith(
        "error: unexpected ExceptionGroup: while sending (1 sub-exception) ("
    ), line
    log = (tmp_path / "leaf-tui-home" / "logs" / "leaf-tui.log").read_text()
    assert "Sub-exception #1" in log and "RuntimeError: bug while sending with" in log
    assert not leaks(token, log), "a piece of the token is in the debug log"
    assert LOCALS_PANEL not in log
