"""api/tls: one verifying context for https servers; a plain-http server's client gets a context
that trusts no root (built without loading the CA bundle), so any TLS it were ever asked for
fails closed."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from leaf_tui.api import tls


def test_https_gets_the_shared_verifying_context() -> None:
    ctx = tls.context_for("https://api.withleaf.io")
    assert ctx is tls.context() is tls.context_for("HTTPS://api.withleaf.io/")
    assert ctx.verify_mode is ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.cert_store_stats()["x509_ca"] > 0  # the CA bundle is loaded


def test_plain_http_gets_a_context_that_trusts_nothing() -> None:
    ctx = tls.context_for("http://127.0.0.1:8765")
    assert ctx is tls.context_for("http://leaf.example.com")
    assert ctx is not tls.context()
    assert ctx.verify_mode is ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.cert_store_stats()["x509_ca"] == 0


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    new_key = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(
        ["openssl", *new_key, *subject, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_a_handshake_with_the_plain_http_context_fails_closed(tmp_path: Path) -> None:
    """A server with a certificate that names the host: refused, it is signed by no root the
    context trusts; the same certificate, once trusted, is accepted (the refusal is the roots')."""
    cert, key = _self_signed(tmp_path)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve(times: int) -> None:
        for _ in range(times):
            conn, _ = listener.accept()
            with contextlib.suppress(ssl.SSLError, OSError):
                server_ctx.wrap_socket(conn, server_side=True).close()
            conn.close()

    threading.Thread(target=serve, args=(2,), daemon=True).start()

    def handshake(ctx: ssl.SSLContext) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            ctx.wrap_socket(raw, server_hostname="127.0.0.1").close()

    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(tls.context_for("http://127.0.0.1"))
    trusting = ssl.create_default_context(cafile=str(cert))
    handshake(trusting)
    listener.close()
