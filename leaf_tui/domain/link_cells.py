"""The Links table's cells as plain text: which columns, what each cell says for a link, and
the signature that tells whether a row needs redrawing. No Textual here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from leaf_tui.api.models import MagicLink
from leaf_tui.common.formatting import ago, clip, countdown, uses_bar

# (key, label, width): fixed widths keep the table from re-measuring 2,000 rows on every change.
# The live columns come first because Textual repaints a dirty line of a widget from its left
# edge up to the last dirty cell: countdowns on the left make each second's repaint ~4x smaller.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("expires", "Expires in", 10),
    ("accessed", "Last accessed", 13),
    ("uses", "Uses", 10),
    ("user", "User", 18),
    ("kind", "Kind", 14),
    ("providers", "Providers", 22),
    ("created", "Created (UTC)", 16),
)
WIDTHS = {key: width for key, _, width in COLUMNS}
CELL_PADDING = 1
TABLE_WIDTH = sum(width + 2 * CELL_PADDING for _, _, width in COLUMNS)
# Narrower than TABLE_WIDTH (an 80-column terminal), the least needed columns give way first,
# down to these widths (0: the column is dropped, its padding with it). The expiry, uses, user
# and kind columns stay readable; below all of these the table scrolls sideways.
SHRINK_ORDER = (
    ("created", 0),
    ("accessed", 8),
    ("expires", 7),
    ("providers", 14),
    ("user", 14),
    ("providers", 12),
    ("user", 12),
    ("accessed", 0),
)
SHORT_LABELS = {"expires": "Expires", "accessed": "Accessed", "created": "Created"}
"""What a column is called when too narrow for its full label."""


def column_widths(room: int) -> dict[str, int]:
    """Each column's text width (padding aside) for a table `room` cells wide; 0 is hidden."""
    widths = dict(WIDTHS)
    extra = room - TABLE_WIDTH
    for key, limit in SHRINK_ORDER:
        if extra >= 0:
            break
        if limit == 0:  # dropped whole, or not at all
            extra += widths[key] + 2 * CELL_PADDING
            widths[key] = 0
            continue
        step = max(limit - widths[key], extra)
        widths[key] += step
        extra -= step
    return widths


def column_label(key: str, label: str, width: int) -> str:
    """The column's title, its short one when the column is narrower than the full one."""
    return label if len(label) <= width else SHORT_LABELS.get(key, label)


# A cell before styling: its text and the component class that colours it ("" for none).
Cell = tuple[str, str]


def short_id(user_id: str | None) -> str:
    """What shows in the user column until the name is known."""
    if not user_id:
        return "—"
    return user_id[:8] + "…" if len(user_id) > 9 else user_id


def fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def fit_providers(providers: Sequence[str], width: int) -> str:
    """As many names as fit, then `+N` for the rest: `JohnDeere, CNHI +3`."""
    if not providers:
        return "—"
    shown: list[str] = []
    for index, name in enumerate(providers):
        rest = len(providers) - index - 1
        candidate = ", ".join([*shown, name]) + (f" +{rest}" if rest else "")
        if len(candidate) > width:
            break
        shown.append(name)
    if not shown:
        return fit(f"{providers[0]} +{len(providers) - 1}", width)
    rest = len(providers) - len(shown)
    return ", ".join(shown) + (f" +{rest}" if rest else "")


SHORT_PROVIDERS = {"climatefieldview": "FieldView", "ravenslingshot": "Raven"}
"""Names for a narrowed providers column (the details show the full ones)."""


def narrow(column: str, text: str, link: MagicLink, width: int) -> str:
    """A cell's text in a column narrowed to `width`: as many providers as fit then `+N`, other
    text cut with "…" (at a word's end for names)."""
    if len(text) <= width:
        return text
    if column == "providers":
        short = [SHORT_PROVIDERS.get(name.casefold(), name) for name in link.providers]
        return fit_providers(short, width)
    return clip(text, width)


def user_cell(link: MagicLink, name: str | None) -> Cell:
    """The user's name once known; until then the id, short and dimmed."""
    if name:
        return (fit(name, WIDTHS["user"]), "")
    return (short_id(link.leaf_user_id), "links-table--dim")


def static_cells(link: MagicLink, name: str | None) -> dict[str, Cell]:
    """The cells that depend only on the link's data and its user's name."""
    kind = link.kind.path if link.kind else (link.widget or "?").lower()
    created = link.created_at.strftime("%Y-%m-%d %H:%M") if link.created_at else "—"
    uses_class = "links-table--used-up" if link.is_used_up else ""
    return {
        "user": user_cell(link, name),
        "kind": (kind, ""),
        "providers": (fit_providers(link.providers, WIDTHS["providers"]), ""),
        "created": (created, ""),
        "uses": (uses_bar(link.usage_count, link.max_usage), uses_class),
    }


def ago_coarse(when: datetime | None, now: datetime) -> str:
    """`formatting.ago` to its largest unit (`12m ago`, not `12m 05s ago`): the column then
    changes once a minute rather than every second, so only countdowns repaint each tick.
    The details panel shows the precise time."""
    text = ago(when, now)
    parts = text.split()
    if len(parts) == 3 and parts[2] == "ago":
        return f"{parts[0]} ago"
    if len(parts) == 2 and parts[1] == "ago" and parts[0].endswith("s"):
        return "<1m ago"
    return text


LIVE_COLUMNS = ("expires", "accessed")
"""The columns `live_cells` gives: the first ones, so a row's other cells can be drawn once."""


def live_cells(link: MagicLink, now: datetime) -> dict[str, Cell]:
    """The cells that move with the clock."""
    text, urgency = countdown(link.expires_at, now)
    accessed = ago_coarse(link.last_accessed_at, now)
    return {
        "expires": (text, f"links-table--{urgency.value}"),
        "accessed": (accessed, "links-table--dim" if link.last_accessed_at is None else ""),
    }


def signature(link: MagicLink, name: str | None) -> tuple[object, ...]:
    """Everything a row's cells are drawn from: equal signatures, nothing to redraw."""
    return (
        name,
        link.leaf_user_id,
        link.kind,
        link.widget,
        link.allowed_providers,
        link.provider,
        link.created_at,
        link.expires_at,
        link.last_accessed_at,
        link.usage_count,
        link.max_usage,
    )
