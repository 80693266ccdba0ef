"""The opt-in debug log (`--debug`): requests as method, path, status and time.

The service layer writes only those fields; the redaction filter here is defence in depth, so a
token, password or authToken that slips into a message is masked before it reaches the file.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path
from typing import Any

from leaf_tui.common import paths
from leaf_tui.common.inert import inert

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
        record.msg = inert(redact(message), keep="\n")  # read later with cat or tail
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = inert(redact(record.exc_text), keep="\n")
        record.exc_info = None
        return True


def log_path() -> Path:
    return paths.log_dir() / LOG_FILE


def logger() -> logging.Logger:
    return logging.getLogger(LOGGER_NAME)


class LogFileError(OSError):
    """The debug log's path cannot be used safely (a symlink, or not a regular file)."""


class _PrivateFileHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Appends to a file it opens itself (no-follow, 0600). Like logging.FileHandler, it opens
    the file again when it was closed under it (uvicorn's logging setup closes every handler)."""

    def __init__(self, path: Path) -> None:
        super().__init__(_open_for_append(path))
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            try:
                self.stream = _open_for_append(self.path)
            except OSError:
                self.handleError(record)
                return
        super().emit(record)

    def close(self) -> None:
        self.acquire()
        try:
            try:
                if self.stream is not None:
                    self.flush()
                    self.stream.close()
            finally:
                self.stream = None
                super().close()
        finally:
            self.release()


def _open_for_append(path: Path) -> Any:
    return os.fdopen(open_private(path), "a", encoding="utf-8")


def open_private(path: Path) -> int:
    """Open `path` for appending as a private regular file: never through a symlink planted at
    its place, 0600 even when it was found wider. Returns the descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if path.is_symlink():
            raise LogFileError(
                f"the debug log {path} is a symbolic link: not followed; remove it and try again"
            ) from None
        raise LogFileError(f"the debug log {path} cannot be opened ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise LogFileError(f"the debug log {path} is not a regular file; remove it and try again")
    if stat.S_IMODE(info.st_mode) != 0o600 and hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    return fd


def enable(path: Path | None = None) -> logging.Logger:
    """Start writing the debug log (0600, appended) and return the logger for LeafClient."""
    path = path or log_path()
    paths.ensure(path.parent)
    handler = _PrivateFileHandler(path)
    log = logger()
    disable()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    handler.set_name("leaf-tui-debug")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False  # never onto the terminal the TUI is drawing
    return log


def current_path() -> str | None:
    """Where the debug log is being written now, if it is on."""
    for handler in logger().handlers:
        if isinstance(handler, _PrivateFileHandler):
            return str(handler.path)
    return None


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
