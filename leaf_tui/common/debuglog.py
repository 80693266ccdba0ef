"""The opt-in debug log (`--debug`): requests as method, path, status and time.

The service layer writes only those fields; the redaction filter here is defence in depth, so a
token, password or authToken that slips into a message is masked before it reaches the file.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from leaf_tui.common import paths

LOGGER_NAME = "leaf_tui.debug"
LOG_FILE = "leaf-tui.log"
MASK = "«redacted»"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JWTs (Leaf's id_token) wherever they appear
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), MASK),
    # Authorization headers
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {MASK}"),
    # "password": "x", authToken=x, id_token: x, ... (JSON, query strings, reprs)
    (
        re.compile(
            r"""(?ix)
            (["']?\b(?:password|passwd|authToken|auth_token|id_token|access_token|refresh_token
                     |token|secret|api[_-]?key|authorization
                     # every provider credential's secret fields (leaf-provider-credentials.md)
                     |clientSecret|accessToken|refreshToken|apiKey|subscriptionKey|privateKey
                     |accessKey|sharedSecret|accessTokenClient|sessionId|initializationVector
                     |tokenSecretKey|key)\b["']?\s*[:=]\s*)
            (?:"[^"]*"|'[^']*'|[^\s,&;}\]]+)
            """
        ),
        rf"\1{MASK}",
    ),
)


def redact(text: str) -> str:
    """Mask anything that looks like a bearer token, a JWT, or a password/token field."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats each record's message, masks secrets in it, and keeps the masked text only."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not leak its raw args either
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None
        return True


def log_path() -> Path:
    return paths.log_dir() / LOG_FILE


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER_NAME)


def enable(path: Path | None = None) -> logging.Logger:
    """Start writing the debug log (0600, appended) and return the logger for LeafClient."""
    path = path or log_path()
    paths.ensure(path.parent)
    # create it private before logging opens it for appending
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    log = logger()
    disable()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    handler.set_name("leaf-tui-debug")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False  # never onto the terminal the TUI is drawing
    return log


def disable() -> None:
    """Stop writing (closes our handler); the logger stays quiet."""
    log = logger()
    for handler in list(log.handlers):
        if handler.get_name() == "leaf-tui-debug":
            log.removeHandler(handler)
            handler.close()


def is_enabled() -> bool:
    return any(h.get_name() == "leaf-tui-debug" for h in logger().handlers)


def setup(enabled: bool) -> logging.Logger | None:
    """The debug logger when `--debug` is on (or was turned on earlier in this process, so a
    profile switch keeps logging), else None (LeafClient then logs nothing)."""
    if enabled:
        return enable()
    return logger() if is_enabled() else None
