"""Plain-text formatting shared by the TUI and the CLI (no Textual here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

from rich.cells import cell_len, set_cell_size


class Urgency(Enum):
    """How close a link is to expiry; the TUI maps these to colours."""

    CALM = "calm"  # more than an hour left
    SOON = "soon"  # within the hour
    URGENT = "urgent"  # under five minutes
    EXPIRED = "expired"


SOON_SECONDS = 3600
URGENT_SECONDS = 300


def format_duration(seconds: float) -> str:
    """A compact duration: 45s, 12m 05s, 3h 07m, 6d 04h, 365d."""
    s = max(0, int(seconds))
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days >= 30:
        return f"{days}d"
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def countdown(expires_at: datetime | None, now: datetime) -> tuple[str, Urgency]:
    """The "expires in" cell: its text and urgency."""
    if expires_at is None:
        return ("—", Urgency.CALM)
    left = (expires_at - now).total_seconds()
    if left <= 0:
        return ("expired", Urgency.EXPIRED)
    if left < URGENT_SECONDS:
        urgency = Urgency.URGENT
    elif left < SOON_SECONDS:
        urgency = Urgency.SOON
    else:
        urgency = Urgency.CALM
    return (format_duration(left), urgency)


def uses_bar(used: int | None, limit: int | None, width: int = 6) -> str:
    """`2/3 ████░░` style usage; unknown counts show as `?`."""
    if used is None or limit is None or limit <= 0:
        return f"{'?' if used is None else used}/{'?' if limit is None else limit}"
    filled = round(width * min(used, limit) / limit)
    return f"{used}/{limit} " + "█" * filled + "░" * (width - filled)


def ago(when: datetime | None, now: datetime) -> str:
    """`3m ago`, `never` for None, `in 5m` for the future."""
    if when is None:
        return "never"
    delta = (now - when).total_seconds()
    if delta < 0:
        return f"in {format_duration(-delta)}"
    if delta < 5:
        return "just now"
    return f"{format_duration(delta)} ago"


def format_when(when: datetime | None) -> str:
    """An absolute UTC time a person can read aloud on the phone."""
    return "—" if when is None else when.strftime("%Y-%m-%d %H:%M UTC")


def share_message(
    name: str | None,
    providers: Sequence[str],
    link: str,
    expires_at: datetime | None,
    *,
    file_upload: bool = False,
) -> str:
    """The ready-to-send message for a grower."""
    greeting = f"Hi {name}," if name else "Hi,"
    if file_upload:
        action = "upload your machine files"
    elif providers:
        action = f"connect your {_join(providers)} account"
    else:
        action = "connect your account"
    expiry = f" (expires {format_when(expires_at)})" if expires_at else ""
    return f"{greeting} use this link to {action}: {link}{expiry}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def clip(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole if it fits, else cut with "…", at the end of a
    word when one ends in the second half ("Christensen Maple…", never "Christensen Maple Fa");
    one long word (an email, an id) is cut where it must ("ava.anderson9@oakridg…")."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = set_cell_size(text, width - 1)
    space = cut.rstrip().rfind(" ")
    if space >= (width - 1) // 2 and not text[len(cut) : len(cut) + 1].isspace():
        cut = cut[:space]
    return cut.rstrip() + "…"


def link_lines(link: str, width: int) -> list[str]:
    """The link on one line when it fits in `width`, else broken after a "/" (or before a "?"),
    never inside a part: the link's id stays whole, so a person reading it out can find it."""
    if len(link) <= width or width <= 0:
        return [link]
    parts: list[str] = []
    for piece in link.replace("?", "\n?").split("\n"):
        head, slash, rest = piece.partition("://")
        pieces = [head + slash] if slash else []
        for i, part in enumerate((rest if slash else piece).split("/")):
            pieces.append(("/" if i else "") + part)
        if pieces and slash:  # "https://" stays with the host
            pieces[0:2] = [pieces[0] + pieces[1]]
        parts += pieces
    lines = [""]
    for part in parts:
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return lines
