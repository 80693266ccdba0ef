"""Running the sandbox: in a background thread on a free port (the live tests and benchmarks), in
the foreground for `leaf-tui sandbox`, or as the dashboard's child process (embedded.py)."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette

from .app import create_app
from .config import DEMO_OWNER, OWNER_PASSWORD, SandboxConfig
from .listen import bind
from .state import Sandbox


class CannotListen(Exception):
    """The sandbox cannot listen on this host and port; `cause` says why (port busy, not an
    address of this machine, a name that does not resolve, ...)."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        super().__init__(f"cannot listen on {host}:{port}: {cause}")
        self.host, self.port, self.cause = host, port, cause


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@dataclass
class RunningSandbox:
    base_url: str
    server: uvicorn.Server = field(repr=False)
    thread: threading.Thread = field(repr=False)
    sock: socket.socket = field(repr=False)
    app: Starlette = field(repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving and close the data file; safe to call twice."""
        self.server.should_exit = True
        self.thread.join(timeout)
        with contextlib.suppress(OSError):
            self.sock.close()
        if not self.thread.is_alive():
            self.sandbox.close()

    @property
    def sandbox(self) -> Sandbox:
        """The Sandbox object (store, clock), for tests that look behind the API."""
        sandbox: Sandbox = self.app.state.sandbox
        return sandbox


def uvicorn_server(app: Starlette, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(
        app, log_level=log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=2
    )
    return uvicorn.Server(config)


def start_in_thread(
    cfg: SandboxConfig, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0
) -> RunningSandbox:
    """Bind first (so port 0 picks a free port), serve in a daemon thread, return once it
    answers."""
    sock = bind(host, port)
    app = create_app(cfg)
    server = uvicorn_server(app)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="leaf-sandbox"
    )
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the sandbox did not start on {host}:{port}")
        time.sleep(0.01)
    return RunningSandbox(_url(host, sock.getsockname()[1]), server, thread, sock, app)


def _events_on_stderr() -> None:
    """The sandbox's own events (a client that hung up; a bug, with its traceback) on stderr
    beside uvicorn's lines, in uvicorn's format: else only warnings would show."""
    log = logging.getLogger("leaf_tui.sandbox")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def serve_forever(cfg: SandboxConfig, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run in the foreground (Ctrl+C stops), after printing where and how to log in.
    CannotListen when the address cannot be had, before anything is printed."""
    try:
        sock = bind(host, port)
    except OSError as exc:  # socket.gaierror too: a host name that does not resolve
        raise CannotListen(host, port, exc) from exc
    try:
        app = create_app(cfg)  # before a word is printed: a bad --db is one line
    except BaseException:
        sock.close()
        raise
    base = _url(host, sock.getsockname()[1])
    print(f"Leaf sandbox at {base}")
    print(f"  API owner login: {DEMO_OWNER} / {OWNER_PASSWORD}")
    print(f"  data: {cfg.db_path}; activity simulator {'on' if cfg.activity else 'off'}")
    print(f"  control API: {base}/_sandbox/health")
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  warning: listening on {host}, reachable from other machines")
    # before uvicorn's first line on stderr: piped (`| tee`, a test), stdout is block-buffered
    # and would show where to connect only once the server stops
    sys.stdout.flush()
    _events_on_stderr()
    server = uvicorn_server(app, log_level="info")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
