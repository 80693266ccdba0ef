"""The verifying TLS context, built once per process and shared by every client.

httpx builds a context for every client, even one that only speaks plain http, and loading the
CA bundle takes 20-50 ms each time. Building it ahead on a thread at start-up (the load lets go
of the GIL) was tried and measured: the thread's Python part contended with the Textual import
for the GIL and start-up got no faster (benchmarks/README.md).

A client of a plain-http server (the embedded sandbox on loopback, a profile with --allow-http)
never opens TLS (it follows no redirects): it gets a context with no trusted roots instead,
built in ~1 ms, which fails closed should anything ever try a TLS handshake with it.
"""

from __future__ import annotations

import ssl
import threading

import httpx

_lock = threading.Lock()
_context: ssl.SSLContext | None = None
_no_roots: ssl.SSLContext | None = None


def context() -> ssl.SSLContext:
    """The shared context: what httpx would have built (`httpx.create_ssl_context()`)."""
    global _context
    with _lock:
        if _context is None:
            _context = httpx.create_ssl_context()
        return _context


def context_for(base_url: str) -> ssl.SSLContext:
    """The verifying context for an https server; for a plain-http one, a context that
    verifies against no roots at all (TLS is never used there, and would fail if it were)."""
    global _no_roots
    if not base_url.lower().startswith("http://"):
        return context()
    with _lock:
        if _no_roots is None:
            # PROTOCOL_TLS_CLIENT: certificates required and host names checked, no CA loaded
            _no_roots = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return _no_roots
