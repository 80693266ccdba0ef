"""Run a program on a real pseudo-terminal and keep every byte it writes (the method of
benchmarks/ptyterm.py and shared/bench/tuitime.py: pty.fork, TIOCSWINSZ, pyte for the screen)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping

import pyte

KEYS = {"enter": "\r", "escape": "\x1b", "down": "\x1b[B", "up": "\x1b[A"}


class PtyRun:
    def __init__(
        self, argv: list[str], env: Mapping[str, str], cols: int = 120, rows: int = 40
    ) -> None:
        self.raw = bytearray()
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        full_env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        full_env["TEXTUAL_DISABLE_KITTY_KEY"] = "1"
        full_env.update(env)
        self.status: int | None = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execvpe(argv[0], argv, full_env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def pump(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        if not data:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, limit: float = 30.0) -> None:
        end = time.monotonic() + limit
        while needle not in self.text():
            if time.monotonic() > end or self.exited():
                raise AssertionError(f"{needle!r} never showed; screen:\n{self.text()}")
            self.pump(0.05)

    def send(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, KEYS.get(key, key).encode())
            self.settle(0.15)

    def settle(self, quiet: float = 0.2, limit: float = 5.0) -> None:
        end = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < end and time.monotonic() - last < quiet:
            if self.pump(0.02):
                last = time.monotonic()

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status is not None

    def finish(self, limit: float = 30.0) -> int:
        """Read until the program ends; kill it after `limit` seconds. Its exit code."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if not self.pump(0.05) and self.exited():
                break
        else:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self.exited()
        while self.pump(0.05):
            pass
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.status is None:
            _, status = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(status)
        return self.status
