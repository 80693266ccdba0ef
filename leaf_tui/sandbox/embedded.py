"""The dashboard's embedded sandbox, in a process of its own:
`python -m leaf_tui.sandbox.embedded --db PATH --start-lock A --windows-lock B --port-file C`.

Every leaf-tui window on the same data shares one sandbox (one process owns the sqlite file),
through three files beside the data, which the window side (leaf_tui.domain.embedded_sandbox)
names and passes here:
- the start lock: held (exclusive) by whoever is starting or stopping a sandbox, briefly;
- the windows lock: each window using the sandbox holds a shared lock on it;
- the port file: the running sandbox writes its pid and port there and holds an exclusive lock
  on it for as long as it serves, so a file left by a crash is told apart by its free lock.
The sandbox stops itself once no window holds the windows lock: after the last window's exit,
or when the windows died without a word (the kernel drops the locks of a dead process).

It binds its port first and says it on stdout (a first line), before it imports the server: a
window can send its first requests while the sandbox starts up, and they wait in the socket's
backlog until it serves. Once it serves it says "serving" (a second line); a sandbox that could
not start says nothing more, and its window shows the log.

Where the system has no flock (Windows), `--private`: the sandbox serves the window that started
it alone, and stops when that window closes its stdin, or dies.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import sys
import threading
from typing import TYPE_CHECKING

from .listen import bind

if TYPE_CHECKING:
    import asyncio

try:
    import fcntl
except ImportError:  # Windows: --private only
    fcntl = None  # type: ignore[assignment]

WATCH_EVERY = 0.5  # seconds between looks for a window still using the sandbox
SERVING = "serving"  # the second line on stdout (leaf_tui.domain.embedded_sandbox waits for it)


def _try_lock(fd: int, kind: int) -> bool:
    assert fcntl is not None
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _open(path: str) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def _no_window_left(start_fd: int, windows_fd: int) -> bool:
    """True, holding both locks (kept until exit), when no window uses the sandbox any more.
    The start lock first: a window between taking it and its shared lock is not missed."""
    assert fcntl is not None
    if not _try_lock(start_fd, fcntl.LOCK_EX):
        return False
    if _try_lock(windows_fd, fcntl.LOCK_EX):
        return True
    fcntl.flock(start_fd, fcntl.LOCK_UN)
    return False


def _say(line: object) -> None:
    with contextlib.suppress(BrokenPipeError):  # the window went away: nobody to tell
        print(line, flush=True)


async def _serve(args: argparse.Namespace, port_fd: int | None, sock: socket.socket) -> None:
    # the server's imports (starlette, uvicorn, the routes), once the port is said
    import asyncio

    from .app import create_app
    from .config import SandboxConfig
    from .server import uvicorn_server

    app = create_app(SandboxConfig(db_path=args.db, activity=True, refresh_demo=True))
    server = uvicorn_server(app)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if serving.done():
                return  # it could not start; uvicorn said why on stderr
            await asyncio.sleep(0.005)
        port = sock.getsockname()[1]
        if port_fd is not None:  # other windows find it serving from now on
            os.ftruncate(port_fd, 0)
            os.pwrite(port_fd, json.dumps({"pid": os.getpid(), "port": port}).encode(), 0)
        _say(SERVING)
        # the window may go away: nothing more for stdout, and no write to a closed pipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)

        if port_fd is None:
            await _until_stdin_closes(serving)
        else:
            start_fd, windows_fd = _open(args.start_lock), _open(args.windows_lock)
            while not serving.done() and not _no_window_left(start_fd, windows_fd):
                await asyncio.sleep(args.watch_every)
        server.should_exit = True
        await serving
    finally:
        server.should_exit = True
        with contextlib.suppress(BaseException):
            await serving
        sock.close()
        app.state.sandbox.close()


async def _until_stdin_closes(serving: asyncio.Task[None]) -> None:
    """The private sandbox's watch: its window holds our stdin open while it lives."""
    import asyncio

    closed = asyncio.Event()
    loop = asyncio.get_running_loop()

    def read() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        loop.call_soon_threadsafe(closed.set)

    # a daemon thread, not to_thread: a read still waiting must not hold up the exit
    threading.Thread(target=read, daemon=True, name="stdin-watch").start()
    ended = asyncio.ensure_future(closed.wait())
    await asyncio.wait([ended, serving], return_when=asyncio.FIRST_COMPLETED)
    ended.cancel()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leaf_tui.sandbox.embedded")
    parser.add_argument("--db", required=True)
    parser.add_argument("--private", action="store_true", help="no sharing: stop on stdin's end")
    parser.add_argument("--start-lock")
    parser.add_argument("--windows-lock")
    parser.add_argument("--port-file")
    parser.add_argument("--watch-every", type=float, default=WATCH_EVERY)
    args = parser.parse_args(argv)
    shared = not args.private
    if shared and (fcntl is None or not (args.start_lock and args.windows_lock and args.port_file)):
        parser.error("sharing needs flock and --start-lock, --windows-lock, --port-file")
    port_fd = _open(args.port_file) if shared else None
    if port_fd is not None and not _try_lock(port_fd, fcntl.LOCK_EX):
        print("another sandbox serves this data already", file=sys.stderr)
        return 1
    # The last window out stops us with SIGTERM. uvicorn turns it into a graceful shutdown and
    # then raises it again for the handler it found: let that be one that returns, so the data
    # file is closed and the port file removed below.
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    sock = bind("127.0.0.1", 0)
    try:
        _say(sock.getsockname()[1])  # the port, before the server's imports (asyncio's too)
        import asyncio

        asyncio.run(_serve(args, port_fd, sock))
    except Exception as exc:
        from .store import DataFileError

        if not isinstance(exc, DataFileError):
            raise
        print(f"error: {exc}", file=sys.stderr)  # the window shows this line (its log's last)
        return 2
    finally:
        sock.close()
        if port_fd is not None:
            # unlinked while the lock is held: no window can read a port nobody serves
            with contextlib.suppress(OSError):
                os.unlink(args.port_file)
            os.close(port_fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
