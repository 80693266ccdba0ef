"""The verifying TLS context, one per process, optionally built ahead on a thread of its own.

httpx builds a context for every client, even one that only speaks plain http: loading the CA
bundle takes 30-50 ms of the start-up. That work is C code that lets go of the GIL, so the TUI
calls `prepare()` before importing Textual and the two overlap on two cores. Every client then
shares the one context (what httpx would have built: `httpx.create_ssl_context()`).
"""

from __future__ import annotations

import contextlib
import ssl
import threading

import httpx

_lock = threading.Lock()
_context: ssl.SSLContext | None = None
_builder: threading.Thread | None = None


def _build() -> None:
    global _context
    built = httpx.create_ssl_context()
    with _lock:
        if _context is None:
            _context = built


def _build_ahead() -> None:
    # On failure, context() builds it again where the error can be reported.
    with contextlib.suppress(Exception):
        _build()


def prepare() -> None:
    """Start building the context in the background (once per process)."""
    global _builder
    with _lock:
        if _context is not None or _builder is not None:
            return
        _builder = threading.Thread(target=_build_ahead, name="leaf-tls-context", daemon=True)
    _builder.start()


def context() -> ssl.SSLContext:
    """The shared context: the one prepared (waiting for it if need be), else built now."""
    builder = _builder
    if builder is not None:
        builder.join()
    if _context is None:
        _build()  # not prepared, or building ahead failed: the error is raised here, as in httpx
    assert _context is not None
    return _context
