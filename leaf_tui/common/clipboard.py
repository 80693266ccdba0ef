"""Copy text to the clipboard two ways and say which worked.

pyperclip reaches the local system clipboard (when there is one: it fails over SSH and in
headless sessions, and some of its helpers can hang); OSC 52 asks the terminal to do it, which
works over SSH and inside tmux when the terminal allows it, but nobody can tell whether it did.
So we always try both, never raise, and never wait longer than a moment for pyperclip.
`copy_text_async` is the one for an event loop: OSC 52 on the loop, pyperclip in a thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyperclip

Backend = Callable[[str], None]

DEFAULT_TIMEOUT = 1.5
"""Seconds to wait for the system clipboard before giving up on it."""


def _pyperclip_copy(text: str) -> None:
    pyperclip.copy(text)


_backend: Backend = _pyperclip_copy
# A backend call that never returned: while it is still stuck, later copies skip the system
# clipboard instead of piling up more stuck threads.
_stuck: threading.Thread | None = None


@dataclass(frozen=True)
class CopyResult:
    pyperclip_ok: bool
    osc52_sent: bool
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when at least one way was taken (OSC 52 cannot confirm it arrived)."""
        return self.pyperclip_ok or self.osc52_sent

    @property
    def summary(self) -> str:
        """One line for a notification, e.g. "Copied (system clipboard + OSC 52)"."""
        if self.pyperclip_ok and self.osc52_sent:
            return "Copied (system clipboard + OSC 52)"
        if self.pyperclip_ok:
            return "Copied (system clipboard)"
        if self.osc52_sent:
            return "Copied (OSC 52 only: system clipboard unavailable)"
        return f"Copy failed: {self.detail}" if self.detail else "Copy failed"


def set_backend(backend: Backend | None) -> Backend:
    """Replace the system-clipboard call (tests inject a stand-in); None restores pyperclip.

    Returns the previous backend so a caller can put it back.
    """
    global _backend, _stuck
    previous = _backend
    _backend = backend if backend is not None else _pyperclip_copy
    _stuck = None
    return previous


def copy_text(
    text: str,
    osc52: Callable[[str], None] | None = None,
    *,
    timeout: float | None = None,
) -> CopyResult:
    """Copy `text` with the system clipboard and, if given, the OSC 52 sender. Never raises.

    Blocks for up to `timeout` (default DEFAULT_TIMEOUT) on the system clipboard: not for a loop.
    """
    system = _copy_system_safely(text, _timeout(timeout))
    return _result(system, _send_osc52(text, osc52))


async def copy_text_async(
    text: str,
    osc52: Callable[[str], None] | None = None,
    *,
    timeout: float | None = None,
) -> CopyResult:
    """`copy_text` for an event loop: the OSC 52 sender runs here, on the loop (Textual's
    copy_to_clipboard must), and the system clipboard in a worker thread, so a slow or stuck
    clipboard helper never blocks the loop. Never raises."""
    osc52_outcome = _send_osc52(text, osc52)
    try:
        system = await asyncio.to_thread(_copy_system_safely, text, _timeout(timeout))
    except Exception as exc:  # e.g. the executor is shut down: OSC 52 went anyway
        system = (False, f"system clipboard failed ({type(exc).__name__})")
    return _result(system, osc52_outcome)


def _timeout(timeout: float | None) -> float:
    return DEFAULT_TIMEOUT if timeout is None else timeout  # read now: tests lengthen it


_Outcome = tuple[bool, str]
"""(worked, why not); for OSC 52 with no sender, worked is None: there was no terminal."""


def _send_osc52(text: str, osc52: Callable[[str], None] | None) -> tuple[bool | None, str]:
    if osc52 is None:
        return None, "no terminal for OSC 52"
    try:
        osc52(text)
    except Exception as exc:
        return False, f"OSC 52 failed ({type(exc).__name__})"
    return True, ""


def _result(system: _Outcome, osc52: tuple[bool | None, str]) -> CopyResult:
    pyperclip_ok, pyperclip_detail = system
    osc52_sent, osc52_detail = osc52
    details = [] if pyperclip_ok else [pyperclip_detail]
    # "no terminal" only matters when the system clipboard did not work either
    if osc52_sent is False or (osc52_sent is None and not pyperclip_ok):
        details.append(osc52_detail)
    return CopyResult(pyperclip_ok, bool(osc52_sent), "; ".join(details))


def _copy_system_safely(text: str, timeout: float) -> _Outcome:
    try:
        return _copy_system(text, timeout)
    except Exception as exc:  # e.g. no thread could be started: still try OSC 52
        return False, f"system clipboard failed ({type(exc).__name__})"


def _copy_system(text: str, timeout: float) -> _Outcome:
    """Run the backend in a daemon thread so a stuck clipboard helper cannot hang the caller."""
    global _stuck
    if _stuck is not None and _stuck.is_alive():
        return False, "system clipboard busy (an earlier copy is still stuck)"
    outcome: list[BaseException | None] = []
    backend = _backend

    def run() -> None:
        try:
            backend(text)
            outcome.append(None)
        except BaseException as exc:  # reported to the caller, never raised
            outcome.append(exc)

    worker = threading.Thread(target=run, name="leaf-tui-clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _stuck = worker
        return False, f"system clipboard timed out after {timeout:g}s"
    error = outcome[0] if outcome else None
    if error is None:
        return True, ""
    if isinstance(error, pyperclip.PyperclipException):
        return False, f"system clipboard unavailable ({_first_line(error)})"
    return False, f"system clipboard failed ({type(error).__name__}: {_first_line(error)})"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    first = lines[0].split(". ")[0].rstrip(".") if lines else ""  # pyperclip adds a URL after
    return first[:120] or type(exc).__name__
