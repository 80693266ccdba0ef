"""Copy text to the clipboard two ways and say which worked.

pyperclip reaches the local system clipboard (when there is one: it fails over SSH and in
headless sessions, and some of its helpers can hang); OSC 52 asks the terminal to do it, which
works over SSH and inside tmux when the terminal allows it, but nobody can tell whether it did.
So we always try both, never raise, and never wait longer than a moment for pyperclip.
"""

from __future__ import annotations

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
    timeout: float = DEFAULT_TIMEOUT,
) -> CopyResult:
    """Copy `text` with the system clipboard and, if given, the OSC 52 sender. Never raises."""
    try:
        pyperclip_ok, pyperclip_detail = _copy_system(text, timeout)
    except Exception as exc:  # e.g. no thread could be started: still try OSC 52
        pyperclip_ok, pyperclip_detail = False, f"system clipboard failed ({type(exc).__name__})"
    details = [] if pyperclip_ok else [pyperclip_detail]
    osc52_sent = False
    if osc52 is None:
        if not pyperclip_ok:
            details.append("no terminal for OSC 52")
    else:
        try:
            osc52(text)
            osc52_sent = True
        except Exception as exc:
            details.append(f"OSC 52 failed ({type(exc).__name__})")
    return CopyResult(pyperclip_ok, osc52_sent, "; ".join(details))


def _copy_system(text: str, timeout: float) -> tuple[bool, str]:
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
