"""The notifications a test can see: the toasts on screen (run_test(notifications=True))."""

from __future__ import annotations

from typing import Any

SEVERITIES = ("information", "warning", "error")


def toasts(app: Any) -> list[tuple[str, str]]:
    """(severity, text) of each toast on the current screen, oldest first; the text is the
    title, if any, then a newline and the message, as shown."""
    return [
        (severity, str(toast.render()))
        for toast in app.screen.query("Toast")
        for severity in SEVERITIES
        if toast.has_class(f"-{severity}")
    ]


def toast_says(app: Any, text: str) -> bool:
    """Whether a toast on screen says `text`."""
    return any(text in said for _, said in toasts(app))
