"""The verifying TLS context, built once per process and shared by every client.

httpx builds a context for every client, even one that only speaks plain http, and loading the
CA bundle takes 30-50 ms each time. Building it ahead on a thread at start-up (the load lets go
of the GIL) was tried and measured: the thread's Python part contended with the Textual import
for the GIL and start-up got no faster (benchmarks/README.md).
"""

from __future__ import annotations

import ssl
import threading

import httpx

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def context() -> ssl.SSLContext:
    """The shared context: what httpx would have built (`httpx.create_ssl_context()`)."""
    global _context
    with _lock:
        if _context is None:
            _context = httpx.create_ssl_context()
        return _context
