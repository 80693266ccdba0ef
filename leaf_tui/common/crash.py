"""An unexpected error (a bug of ours) as one line for the person, and its details, redacted,
in the debug log: never a traceback on the terminal, never a secret anywhere.

Tracebacks are formatted without locals (a frame's locals held `Authorization: Bearer ...`),
then masked twice: the patterns of debuglog.redact, and the secrets the caller knows by value.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable

from leaf_tui.common import debuglog
from leaf_tui.common.inert import inert

MIN_SECRET = 6
"""Shorter values are not masked by value (they would mask ordinary words)."""


def known_secrets(extra: Iterable[str | None] = ()) -> list[str]:
    """The secrets worth masking by value: LEAF_TOKEN, plus what the caller holds."""
    found = [os.environ.get("LEAF_TOKEN"), *extra]
    return [s.strip() for s in found if s and len(s.strip()) >= MIN_SECRET]


def mask(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with the known secrets and anything that looks like one replaced."""
    for secret in known_secrets(secrets):
        text = text.replace(secret, debuglog.MASK)
    return debuglog.redact(text)


def details(exc: BaseException) -> str:
    """The traceback, without locals (worker failures: the error inside too)."""
    inner = getattr(exc, "error", None)
    parts = traceback.format_exception(exc)
    if isinstance(inner, BaseException) and inner is not exc.__cause__:
        parts += ["\nThe worker's error:\n", *traceback.format_exception(inner)]
    return "".join(parts)


def log_details(exc: BaseException, secrets: Iterable[str | None] = ()) -> str | None:
    """Write the redacted details to the debug log (opened for the purpose if it is off);
    return where, or None if it could not be written."""
    return log_report(details(exc), secrets)


def log_report(text: str, secrets: Iterable[str | None] = ()) -> str | None:
    """Write a report already formatted without locals, masked, to the debug log (opened for
    the purpose if it is off); return where, or None if it could not be written."""
    text = mask(text, secrets)
    was_on = debuglog.is_enabled()
    try:
        log = debuglog.logger() if was_on else debuglog.enable()
        log.error("unexpected error:\n%s", text)
        return debuglog.current_path()
    except OSError:
        return None
    finally:
        if not was_on:
            debuglog.disable()


def one_line(exc: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """`error: unexpected OverflowError: ... (details in <log>)`, inert and masked; the
    details are logged on the way."""
    inner = getattr(exc, "error", None)
    shown = inner if isinstance(inner, BaseException) else exc
    while isinstance(shown, BaseExceptionGroup) and len(shown.exceptions) == 1:
        shown = shown.exceptions[0]
    where = log_details(exc, secrets)
    message = str(shown)
    what = f"{type(shown).__name__}: {message}" if message.strip() else type(shown).__name__
    return report_line(what, where, secrets)


def report_line(what: str | None, where: str | None, secrets: Iterable[str | None] = ()) -> str:
    """The one line for an unexpected error `what` ("Type: message"; None if unknown) whose
    details were logged at `where`: inert and masked, the message cut to one short line (after
    masking: a cut must not leave half a secret that its value no longer matches)."""
    what = mask(" ".join(what.split()), secrets)[:240] if what else "error"
    tail = f"details in {where}" if where else "the debug log could not be written"
    line = f"error: unexpected {what} (a bug in leaf-tui: please report it; {tail})"
    return inert(mask(line, secrets))
