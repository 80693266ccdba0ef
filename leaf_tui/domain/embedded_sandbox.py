"""The embedded sandbox seen from a window: found running beside the data, or started as a child
process (`python -m leaf_tui.sandbox.embedded`) on a free loopback port.

The UI process never imports the sandbox (nor uvicorn or starlette): `start()` only spawns it,
and the entry point calls it before importing Textual, so the two start up side by side.
Windows on the same data share one sandbox through three files beside it (the protocol is told
in leaf_tui/sandbox/embedded.py): a start lock, a windows lock each window holds shared, and a
port file the sandbox holds locked while it serves. The last window out stops it; a sandbox whose
windows all died stops by itself. Where there is no flock (Windows), each window starts a private
sandbox, which stops when the window closes the pipe to its stdin (or dies).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from leaf_tui.api.errors import LeafError
from leaf_tui.common import paths

try:
    import fcntl
except ImportError:  # Windows: a private sandbox per window
    fcntl = None  # type: ignore[assignment]

DATA_FILE = "sandbox.db"  # in the data directory; kept between runs, seeded when new

START_TIMEOUT = 30.0  # seconds for a sandbox to listen (the first run seeds the demo data)
STOP_TIMEOUT = 5.0
LOG_TAIL = 2000  # characters of the sandbox's log shown when it did not start
SERVING = "serving"  # the sandbox's second line on stdout (its port is the first)


class SandboxFailed(LeafError):
    """The embedded sandbox did not start; the message ends with its log."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=None)


@dataclass(frozen=True)
class _Files:
    db: Path
    start_lock: Path
    windows_lock: Path
    port_file: Path
    log: Path

    @classmethod
    def beside(cls, db: Path) -> _Files:
        def sibling(suffix: str) -> Path:
            return db.with_name(db.name + suffix)

        return cls(
            db, sibling(".start.lock"), sibling(".windows.lock"), sibling(".port"), sibling(".log")
        )


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)


def _lock(fd: int, kind: int, timeout: float) -> None:
    """flock with a deadline (flock itself waits for ever)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise SandboxFailed("the sandbox's lock is held by another window") from None
            time.sleep(0.01)


def _serving(port_file: Path, timeout: float = START_TIMEOUT) -> tuple[int, int] | None:
    """(pid, port) of the sandbox serving this data, if one is: it holds the port file's lock.
    A sandbox that holds it but has not written its port yet is waited for (its window died
    while it started)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(port_file, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return None  # a file left behind: nobody holds it
            except BlockingIOError:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    found = json.loads(os.read(fd, 200))
                    return int(found["pid"]), int(found["port"])
        finally:
            os.close(fd)
        if time.monotonic() > deadline:
            raise SandboxFailed(f"the sandbox holding {port_file} never said its port")
        time.sleep(0.01)


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@dataclass
class EmbeddedSandbox:
    """This window's use of the sandbox: `detach()` when done (twice is harmless)."""

    base_url: str
    files: _Files = field(repr=False)
    _windows_fd: int | None = field(repr=False)
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def detach(self, timeout: float = STOP_TIMEOUT) -> None:
        """Leave the sandbox; the last window out stops it and waits until it has."""
        fd, self._windows_fd = self._windows_fd, None
        if fd is None:
            self._stop_private(timeout)
            return
        os.close(fd)  # drops this window's shared lock
        start_fd = _open(self.files.start_lock)
        windows_fd = _open(self.files.windows_lock)
        try:
            try:
                fcntl.flock(start_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(windows_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another window uses it (or is starting one): it stays
            running = _serving(self.files.port_file)
            if running is None:
                return
            with contextlib.suppress(ProcessLookupError):
                os.kill(running[0], signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _serving(self.files.port_file) is not None and time.monotonic() < deadline:
                time.sleep(0.01)
            if self._process is not None:  # ours: reap it
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(max(0.0, deadline - time.monotonic()))
        finally:
            os.close(windows_fd)
            os.close(start_fd)

    def _stop_private(self, timeout: float) -> None:
        process, self._process = self._process, None
        if process is None or process.stdin is None:
            return  # shared (and detached already), or stopped
        with contextlib.suppress(OSError):
            process.stdin.close()  # its cue to stop
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Starting:
    """A sandbox being found or started for this window; `wait()` gives the EmbeddedSandbox."""

    files: _Files
    _windows_fd: int | None
    _start_fd: int | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _stdout: IO[bytes] | None = field(default=None, repr=False)  # what the sandbox says
    _port: int | None = None
    _serving: bool = False  # True once the sandbox said it serves (or was found serving)
    _failed: BaseException | None = field(default=None, repr=False)
    # listening()/ready() may be called from the early first page's thread (domain/first_page)
    # while the session calls wait(): one of them reads what the sandbox says, the other is told
    _said_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def listening(self, timeout: float = START_TIMEOUT) -> str:
        """The sandbox's URL as soon as its port is bound: requests sent now wait in the
        socket's backlog until it serves (it binds first, then imports the server). It may
        still fail to start: ready() and wait() say so."""
        with self._said_lock:
            if self._port is None:
                self._port = int(self._read_line(timeout, expect_port=True))
            return _url(self._port)

    def ready(self, timeout: float = START_TIMEOUT) -> str:
        """Block until the sandbox serves and give its URL, without taking it over (wait()
        does that). SandboxFailed (with its log) when it does not; the same failure again on
        every later call."""
        deadline = time.monotonic() + timeout
        self.listening(timeout)
        with self._said_lock:
            if not self._serving:
                self._read_line(max(0.0, deadline - time.monotonic()), expect_port=False)
                self._serving = True
                self._close_stdout()
            assert self._port is not None
            return _url(self._port)

    def wait(self, timeout: float = START_TIMEOUT) -> EmbeddedSandbox:
        """Block until the sandbox listens. SandboxFailed (with its log) when it does not."""
        try:
            self.ready(timeout)
        except BaseException:
            self.cancel()
            raise
        assert self._port is not None
        self._unlock_start()
        fd, self._windows_fd = self._windows_fd, None
        process, self._process = self._process, None  # the EmbeddedSandbox's to stop now
        return EmbeddedSandbox(_url(self._port), self.files, fd, process)

    def cancel(self) -> None:
        """Not needed after all: let go (the sandbox stops once no window holds it)."""
        self._unlock_start()
        fd, self._windows_fd = self._windows_fd, None
        if fd is not None:
            os.close(fd)
        process, self._process = self._process, None
        if process is not None and process.stdin is not None:
            process.stdin.close()  # a private sandbox's cue to stop

    def _unlock_start(self) -> None:
        fd, self._start_fd = self._start_fd, None
        if fd is not None:
            os.close(fd)

    def _read_line(self, timeout: float, *, expect_port: bool) -> str:
        """The sandbox's next line: its port, then "serving". A failure is kept and raised
        again to every later caller (under _said_lock)."""
        if self._failed is not None:
            raise self._failed
        try:
            return self._next_line(timeout, expect_port)
        except BaseException as exc:
            self._failed = exc
            self._close_stdout()
            raise

    def _next_line(self, timeout: float, expect_port: bool) -> str:
        process, stdout = self._process, self._stdout
        assert process is not None and stdout is not None
        said: list[bytes] = []
        # a thread, as select() cannot wait on a pipe everywhere; killing the process ends it
        reader = threading.Thread(target=lambda: said.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if reader.is_alive():
            process.kill()
            reader.join()
            raise SandboxFailed(self._failure(f"the sandbox did not start in {timeout:g} s"))
        line = (said[0] if said else b"").strip().decode(errors="replace")
        if line.isdigit() if expect_port else line == SERVING:
            return line
        process.wait()
        raise SandboxFailed(self._failure("the sandbox stopped as it started"))

    def _close_stdout(self) -> None:
        stdout, self._stdout = self._stdout, None
        if stdout is not None:
            stdout.close()

    def _failure(self, what: str) -> str:
        try:
            log = self.files.log.read_text(errors="replace")[-LOG_TAIL:].strip()
        except OSError:
            log = ""
        last = log.rsplit("\n", 1)[-1]
        if last.startswith("error: "):  # the sandbox said what is wrong in one line: that alone
            return last.removeprefix("error: ")
        return f"{what} (data {self.files.db}; log {self.files.log})" + (f":\n{log}" if log else "")


def start(
    db: Path | None = None, *, timeout: float = START_TIMEOUT, shared: bool | None = None
) -> Starting:
    """Find the sandbox serving `db` (default: the data directory's), or spawn one; returns at
    once either way (the spawned one starts while the caller goes on). Waits only while another
    window is starting or stopping one. `shared=False` (the default without flock): a private
    sandbox, for this window alone."""
    files = _Files.beside(db or paths.ensure(paths.data_dir()) / DATA_FILE)
    if shared is False or fcntl is None:
        private = _spawn(files, "--private")
        return Starting(files, None, None, private, _stdout=private.stdout)
    start_fd = _open(files.start_lock)
    windows_fd: int | None = None
    try:
        _lock(start_fd, fcntl.LOCK_EX, timeout)
        windows_fd = _open(files.windows_lock)
        _lock(windows_fd, fcntl.LOCK_SH, timeout)
        running = _serving(files.port_file)
        if running is not None:
            os.close(start_fd)
            return Starting(files, windows_fd, _port=running[1], _serving=True)
        process = _spawn(
            files,
            *("--start-lock", str(files.start_lock)),
            *("--windows-lock", str(files.windows_lock)),
            *("--port-file", str(files.port_file)),
        )
    except BaseException:
        os.close(start_fd)
        if windows_fd is not None:
            os.close(windows_fd)
        raise
    return Starting(files, windows_fd, start_fd, process, _stdout=process.stdout)


def _spawn(files: _Files, *options: str) -> subprocess.Popen[bytes]:
    private = "--private" in options
    # no sandbox runs on this data: its old log can go; never through a symlink planted there
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(files.log, flags, 0o600), "wb") as log:
        os.fchmod(log.fileno(), 0o600)
        return subprocess.Popen(
            [sys.executable, "-m", "leaf_tui.sandbox.embedded", "--db", str(files.db), *options],
            # a private sandbox stops when the window closes this pipe (or dies)
            stdin=subprocess.PIPE if private else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            # not in the terminal's process group: Ctrl+C is the window's to handle
            start_new_session=True,
        )
