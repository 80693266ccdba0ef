"""The clipboard never raises, never hangs, and says which way worked."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pyperclip
import pytest

from leaf_tui.common import clipboard
from leaf_tui.common.clipboard import CopyResult, copy_text

LINK = "https://magic-link.withleaf.io/abc123"


@pytest.fixture(autouse=True)
def _restore_backend() -> Iterator[None]:
    yield
    clipboard.set_backend(None)


def test_stand_in_backend_and_osc52_both_receive_the_text() -> None:
    system: list[str] = []
    terminal: list[str] = []
    clipboard.set_backend(system.append)

    result = copy_text(LINK, terminal.append)

    assert system == [LINK]
    assert terminal == [LINK]
    assert result == CopyResult(pyperclip_ok=True, osc52_sent=True, detail="")
    assert result.ok
    assert result.summary == "Copied (system clipboard + OSC 52)"


def test_system_clipboard_only_without_a_terminal() -> None:
    system: list[str] = []
    clipboard.set_backend(system.append)

    result = copy_text(LINK, None)

    assert system == [LINK]
    assert result.pyperclip_ok and not result.osc52_sent
    assert result.summary == "Copied (system clipboard)"


def test_pyperclip_exception_falls_back_to_osc52() -> None:
    def unavailable(text: str) -> None:
        raise pyperclip.PyperclipException(
            "could not find a copy/paste mechanism for your system. For more information, "
            "please visit https://pyperclip.readthedocs.io"
        )

    clipboard.set_backend(unavailable)
    terminal: list[str] = []

    result = copy_text(LINK, terminal.append)

    assert terminal == [LINK]
    assert not result.pyperclip_ok
    assert result.osc52_sent
    assert "system clipboard unavailable" in result.detail
    assert result.detail == (
        "system clipboard unavailable (could not find a copy/paste mechanism for your system)"
    )
    assert result.summary == "Copied (OSC 52 only: system clipboard unavailable)"


def test_any_other_backend_error_is_reported_not_raised() -> None:
    def broken(text: str) -> None:
        raise OSError("xclip exited with 1")

    clipboard.set_backend(broken)

    result = copy_text(LINK, None)

    assert not result.ok
    assert "OSError" in result.detail
    assert result.summary.startswith("Copy failed:")


def test_a_hanging_backend_times_out_and_later_copies_do_not_pile_up() -> None:
    release = threading.Event()
    calls: list[str] = []

    def hangs(text: str) -> None:
        calls.append(text)
        release.wait(10)

    clipboard.set_backend(hangs)
    terminal: list[str] = []
    started = time.monotonic()

    result = copy_text(LINK, terminal.append, timeout=0.2)

    assert time.monotonic() - started < 1.0
    assert not result.pyperclip_ok
    assert result.osc52_sent and terminal == [LINK]
    assert "timed out" in result.detail

    # While the first call is still stuck, the next copy skips the system clipboard at once.
    started = time.monotonic()
    again = copy_text(LINK, terminal.append, timeout=0.2)
    assert time.monotonic() - started < 0.15
    assert "busy" in again.detail
    assert calls == [LINK]
    release.set()


def test_default_timeout_bounds_a_hang() -> None:
    release = threading.Event()
    clipboard.set_backend(lambda text: release.wait(10) and None)
    started = time.monotonic()

    result = copy_text(LINK, None)

    elapsed = time.monotonic() - started
    release.set()
    assert 1.0 <= elapsed < clipboard.DEFAULT_TIMEOUT + 1.0
    assert not result.ok
    assert "timed out after 1.5s" in result.detail


def test_an_osc52_sender_that_raises_is_reported() -> None:
    system: list[str] = []
    clipboard.set_backend(system.append)

    def no_driver(text: str) -> None:
        raise RuntimeError("no driver")

    result = copy_text(LINK, no_driver)

    assert system == [LINK]
    assert result.pyperclip_ok and not result.osc52_sent
    assert "OSC 52 failed" in result.detail
    assert result.summary == "Copied (system clipboard)"


def test_set_backend_returns_the_previous_one() -> None:
    first: list[str] = []
    clipboard.set_backend(first.append)
    previous = clipboard.set_backend(None)
    assert previous == first.append
