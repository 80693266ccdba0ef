"""The debug log's redaction filter masks secrets whatever shape they arrive in."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaf_tui.common import debuglog

JWT = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJzdXBwb3J0QHNhbmRib3gubG9jYWwifQ.c2lnbmF0dXJlLXBhcnQ"


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    debuglog.enable()
    yield debuglog.log_path()
    debuglog.disable()


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        (f"Authorization: Bearer {JWT}", JWT),
        ("Authorization: Bearer opaque-token-123", "opaque-token-123"),
        (f"token is {JWT} here", JWT),
        ('{"username": "a@b", "password": "hunter2!"}', "hunter2!"),
        ("{'password': 'p w d'}", "p w d"),
        ('{"authToken": "sentera-tok-999"}', "sentera-tok-999"),
        ("authToken=sentera-tok-999&x=1", "sentera-tok-999"),
        ('{"id_token": "abc.def"}', "abc.def"),
        ("password=harvest-2026", "harvest-2026"),
    ],
)
def test_redact_masks_secrets(raw: str, secret: str) -> None:
    masked = debuglog.redact(raw)
    assert secret not in masked
    assert debuglog.MASK in masked


def test_redact_leaves_ordinary_request_lines_alone() -> None:
    line = "GET /services/usermanagement/api/users?page=0&size=20 -> 200 in 12 ms"
    assert debuglog.redact(line) == line


def test_the_file_is_private_and_filtered_even_for_other_leaf_loggers(log_file: Path) -> None:
    log = debuglog.logger()
    log.debug("POST %s -> %s", "/api/authenticate", 200)
    log.debug("oops %s", {"password": "hunter2", "authToken": "tok-1"})
    logging.getLogger(f"{debuglog.LOGGER_NAME}.child").warning("Bearer %s", JWT)
    try:
        raise ValueError(f"failed with {JWT}")
    except ValueError:
        log.exception("boom")
    for handler in log.handlers:
        handler.flush()

    text = log_file.read_text()
    assert "POST /api/authenticate -> 200" in text
    for secret in ("hunter2", "tok-1", JWT):
        assert secret not in text
    assert "ValueError" in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_setup_off_means_no_logger_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    assert debuglog.setup(False) is None
    assert not debuglog.log_path().exists()


def test_enabling_twice_keeps_one_handler(log_file: Path) -> None:
    debuglog.enable()
    handlers = [h for h in debuglog.logger().handlers if h.get_name() == "leaf-tui-debug"]
    assert len(handlers) == 1
    assert not debuglog.logger().propagate


def test_once_enabled_later_sessions_keep_logging(log_file: Path) -> None:
    """A profile switch opens a new session without --debug: it must still log."""
    assert debuglog.setup(False) is debuglog.logger()
    debuglog.disable()
    assert debuglog.setup(False) is None
