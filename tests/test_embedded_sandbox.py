"""The embedded sandbox runs in a child process: windows on the same data share it, it stops with
the last window and by itself when the windows die, a failed start says why, and the window's
process never loads the server (uvicorn, starlette).

Windows are real processes here (a session opened in `python -c`), so the locks between them are
the ones two terminals would hold."""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyte
import pytest

from leaf_tui.domain.embedded_sandbox import SandboxFailed
from leaf_tui.domain.session import open_session

# A window: opens the default (sandbox) session, says its URL, keeps it until stdin closes.
WINDOW = """
import asyncio, sys
from leaf_tui.domain.session import open_session

async def main():
    session = await open_session()
    print(session.base_url, flush=True)
    await asyncio.to_thread(sys.stdin.read)
    await session.aclose()
    print("closed", flush=True)

asyncio.run(main())
"""


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/_sandbox/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class Window:
    def __init__(self, home: Path) -> None:
        env = {**os.environ, "LEAF_TUI_HOME": str(home)}
        for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", WINDOW],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        assert self.base_url.startswith("http://127.0.0.1:"), self.base_url

    def close(self) -> None:
        """Quit the way the app does: the session closed, then the process ends."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        assert self.process.stdout.readline().strip() == "closed"
        self.process.wait(timeout=15)

    def kill(self) -> None:
        """Die without a word (SIGKILL): nothing of ours runs."""
        self.process.kill()
        self.process.wait(timeout=15)


@pytest.fixture
def windows(tmp_path: Path) -> Iterator[Callable[[], Window]]:
    opened: list[Window] = []

    def open_window() -> Window:
        opened.append(Window(tmp_path / "home"))
        return opened[-1]

    yield open_window
    for window in opened:
        if window.process.poll() is None:
            window.kill()


def test_two_windows_share_one_sandbox_which_outlives_the_first(
    windows: Callable[[], Window],
) -> None:
    first = windows()
    second = windows()
    assert second.base_url == first.base_url  # one sandbox, one owner of the data file

    first.close()
    assert answers(second.base_url), "the first window's exit took the second's sandbox"
    second.close()
    assert not answers(second.base_url), "the last window out leaves the sandbox running"


def test_the_sandbox_stops_by_itself_when_its_windows_die(windows: Callable[[], Window]) -> None:
    first = windows()
    second = windows()
    first.kill()
    assert answers(second.base_url)
    second.kill()
    wait_for(lambda: not answers(second.base_url), "the orphaned sandbox to stop")
    # and the next window starts a new one on the same data
    third = windows()
    assert answers(third.base_url)
    third.close()


def test_the_window_process_never_loads_the_server(tmp_path: Path) -> None:
    """Every module of ours but the sandbox's imported, a sandbox session opened and used."""
    code = """
import asyncio, json, pkgutil, importlib, sys
import leaf_tui

def import_all(package):  # (pkgutil.walk_packages would import leaf_tui.sandbox to walk it)
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name == "leaf_tui.sandbox" or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if info.ispkg:
            import_all(module)

import_all(leaf_tui)
from leaf_tui.domain.session import open_session

async def main():
    async with await open_session() as session:
        page = await session.client.users.list(size=5)
    return page.total

total = asyncio.run(main())
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("uvicorn", "starlette"))
ours = sorted(m for m in sys.modules if m.startswith("leaf_tui."))
print(json.dumps({"total": total, "server": loaded, "ours": ours}))
"""
    env = {**os.environ, "LEAF_TUI_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["total"] >= 40  # the demo growers, through the child process
    assert "leaf_tui.tui.app" in seen["ours"]  # the UI really was imported
    assert seen["server"] == []
    assert not [m for m in seen["ours"] if m.startswith("leaf_tui.sandbox")]


async def test_a_sandbox_that_cannot_start_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("LEAF_TUI_HOME", str(home))
    (home / "data" / "sandbox.db").mkdir(parents=True)  # not a file sqlite can open
    with pytest.raises(SandboxFailed) as info:
        await open_session()
    message = str(info.value)
    # the sandbox's one line: which file, what is wrong, what to do (issue 13)
    db = home / "data" / "sandbox.db"
    assert message.startswith(f"the sandbox data file {str(db)!r} cannot be used")
    assert "it is a folder" in message
    assert "Traceback" not in message


def test_the_entry_point_starts_the_sandbox_before_the_ui_loads(tmp_path: Path) -> None:
    """`leaf-tui` on the sandbox spawns it first thing: before httpx and Textual are imported,
    so it starts up beside them. Other command lines start nothing."""
    code = """
import json, sys
from leaf_tui.entry import start_early

starting, _ = start_early(sys.argv[1:])
heavy = sorted(m for m in ("httpx", "textual", "uvicorn", "starlette") if m in sys.modules)
url = starting.wait().base_url if starting is not None else None
print(json.dumps({"url": url, "heavy": heavy}))
"""
    env = {**os.environ, "LEAF_TUI_HOME": str(tmp_path)}
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        env.pop(name, None)

    def early(*argv: str) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        seen: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return seen

    dashboard = early("--debug")
    assert dashboard["heavy"] == []
    assert isinstance(dashboard["url"], str) and dashboard["url"].startswith("http://127.0.0.1:")
    for argv in (["link", "list"], ["--help"], ["--version"], ["--profile", "ghost"]):
        assert early(*argv)["url"] is None, argv
    real = ["--base-url", "https://api.withleaf.io"]  # LEAF_API_URL's flag: not the sandbox
    assert early(*real)["url"] is None


def test_a_private_sandbox_stops_with_its_window(tmp_path: Path) -> None:
    """Without flock (Windows) each window has its own sandbox, stopped when the window closes
    the pipe to it, or dies. Forced here with shared=False."""
    code = """
import sys
from pathlib import Path
from leaf_tui.domain import embedded_sandbox

running = embedded_sandbox.start(Path(sys.argv[1]), shared=False).wait()
print(running.base_url, flush=True)
if sys.stdin.read() == "detach":
    running.detach()
    print("detached", flush=True)
"""

    def window(name: str) -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / name)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        return process, process.stdout.readline().strip()

    quitting, url = window("a.db")
    assert answers(url)
    out, _ = quitting.communicate("detach", timeout=30)
    assert out.strip() == "detached"
    assert not answers(url)  # detach waited for it to stop

    dying, url = window("b.db")
    assert answers(url)
    dying.kill()
    dying.wait(timeout=15)
    wait_for(lambda: not answers(url), "the private sandbox of a dead window to stop")


def test_the_dashboard_on_its_sandbox_in_a_terminal_then_quit(tmp_path: Path) -> None:
    """`python -m leaf_tui` in a real terminal (a pty): the first grower shows, through the
    sandbox process the entry point started; `q` quits, and the sandbox is gone with it."""
    rows, cols = 40, 120
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "LEAF_TUI_HOME": str(tmp_path), "TERM": "xterm-256color"}
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        env.pop(name, None)
    app = subprocess.Popen(
        [sys.executable, "-m", "leaf_tui"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)

    def shows(text: str) -> bool:
        while select.select([master], [], [], 0.05)[0]:
            try:
                stream.feed(os.read(master, 65536))
            except OSError:  # the terminal's other side closed: the app ended
                break
        return any(text in line for line in screen.display)

    try:
        try:
            wait_for(lambda: shows("Ava Anderson"), "the first grower on the screen", timeout=60)
        except AssertionError as exc:  # what the terminal showed instead says why
            shown = "\n".join(line.rstrip() for line in screen.display).strip()
            raise AssertionError(f"{exc}; the terminal shows:\n{shown}") from None
        port_file = tmp_path / "data" / "sandbox.db.port"
        base_url = f"http://127.0.0.1:{json.loads(port_file.read_text())['port']}"
        assert any(base_url in line for line in screen.display)  # the header's address
        assert answers(base_url)

        os.write(master, b"q")
        wait_for(lambda: shows("") and app.poll() is not None, "the app to quit")
        assert app.returncode == 0
        assert not answers(base_url), "the sandbox outlived the app"
        assert not port_file.exists()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=15)
        os.close(master)


def test_a_request_sent_once_the_port_is_said_is_answered_when_it_serves(tmp_path: Path) -> None:
    """The sandbox says its port before it imports its server: a request sent at once waits in
    the socket's backlog and is answered once it serves."""
    from leaf_tui.domain import embedded_sandbox

    starting = embedded_sandbox.start(tmp_path / "early.db", shared=False)
    try:
        url = starting.listening()
        assert httpx.get(f"{url}/_sandbox/health", timeout=30).status_code == 200
        assert starting.ready() == url
        running = starting.wait()
        assert running.base_url == url
        running.detach()
        assert not answers(url)
    finally:
        starting.cancel()


def test_the_entry_point_asks_the_embedded_sandbox_for_the_first_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --debug the entry point asks for the first users page as soon as the sandbox's
    port is known (beside the window's imports); with --debug it asks nothing early."""
    from leaf_tui.domain.first_page import SandboxFirstPage
    from leaf_tui.entry import start_early

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    starting, asked = start_early([])
    assert starting is not None and isinstance(asked, SandboxFirstPage)
    try:
        assert asked.starting is starting
        assert len(asked.answer.result(timeout=60).items) >= 1
    finally:
        starting.cancel()
    starting, asked = start_early(["--debug"])
    assert starting is not None and asked is None
    starting.cancel()
