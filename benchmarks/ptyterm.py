"""Drive a TUI through a real pseudo-terminal and read its screen with pyte.

The same method as shared/bench/tuitime.py (pty.fork, TIOCSWINSZ, pyte.ByteStream), extended with
what the benchmarks here need: waiting for a predicate over the screen, typing strings, reading the
child's CPU time and resident memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import termios
import time
from collections.abc import Callable, Mapping

import pyte

KEYS = {
    "down": "\x1b[B",
    "up": "\x1b[A",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
    "end": "\x1b[F",
    "home": "\x1b[H",
    "tab": "\t",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
}


class Term:
    """A child process on a pty, its output rendered by pyte."""

    def __init__(
        self,
        argv: list[str],
        cols: int = 120,
        rows: int = 40,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_out = 0
        full_env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        full_env.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")
        full_env.update(env or {})
        self.t0 = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            try:
                os.execvpe(argv[0], argv, full_env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.last_output = self.t0

    def pump(self, timeout: float) -> bool:
        """Read what is ready within timeout; True if anything arrived.

        Everything already written is read before pyte parses any of it, and `last_output` is
        when the last of it arrived. pyte takes ~25 ms to parse one full-screen frame in 24-bit
        colour, and reading a large frame 4 KB at a time with a parse (and a check of the
        screen) after each piece made a scroll look 100 ms slower than the app was."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        chunks: list[bytes] = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
            self.last_output = time.perf_counter()
            if not select.select([self.fd], [], [], 0)[0]:
                break
        if not chunks:
            return False
        data = b"".join(chunks)
        self.bytes_out += len(data)
        self.stream.feed(data)
        return True

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_until(self, ok: Callable[[str], bool], limit: float) -> float | None:
        """Seconds since spawn when the output that made ok(screen text) hold arrived (now, if
        it holds already), or None after limit seconds."""
        end = time.perf_counter() + limit
        seen = time.perf_counter()
        while True:
            if ok(self.text()):
                return seen - self.t0
            if time.perf_counter() >= end:
                return None
            if self.pump(0.005):
                seen = self.last_output

    def wait_for(self, needle: str, limit: float) -> float | None:
        return self.wait_until(lambda text: needle in text, limit)

    def settle(self, quiet: float = 0.05, limit: float = 2.0) -> None:
        """Read until nothing arrives for `quiet` seconds (or limit)."""
        end = time.perf_counter() + limit
        last = time.perf_counter()
        while time.perf_counter() < end and time.perf_counter() - last < quiet:
            if self.pump(0.01):
                last = time.perf_counter()

    def send(self, key: str) -> float:
        """Write one key (a name from KEYS or literal text); returns the perf_counter time."""
        self.screen.dirty.clear()
        t = time.perf_counter()
        os.write(self.fd, KEYS.get(key, key).encode())
        return t

    def key_to_repaint(self, key: str, limit: float = 2.0) -> float | None:
        """Milliseconds from writing key until any line is redrawn (tuitime's 'keys' measure)."""
        t0 = self.send(key)
        while time.perf_counter() - t0 < limit:
            self.pump(0.002)
            if self.screen.dirty:
                return (self.last_output - t0) * 1000
        return None

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def rss_bytes(self) -> int:
        """Resident memory of the child (the TUI's own process)."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q
            end = time.perf_counter() + 2
            while time.perf_counter() < end:
                self.pump(0.05)
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
            for sig in (signal.SIGTERM, signal.SIGKILL):
                os.kill(self.pid, sig)
                time.sleep(0.3)
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
        except (OSError, ChildProcessError):
            pass
        finally:
            with contextlib.suppress(OSError):
                os.close(self.fd)


def summary(values: list[float]) -> dict[str, float]:
    """min/median/p95/max the way tuitime computes them (nearest rank)."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "min": ordered[0],
        "p50": statistics.median(ordered),
        "p95": p95,
        "max": ordered[-1],
        "n": len(ordered),
    }
