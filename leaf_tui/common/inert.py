"""Text from strangers made inert for a terminal: the one sanitising step of the TUI and the CLI.

Names, addresses, link fields, event bodies, error details and profile names are written by
other people. Sent raw, an ESC starts a control sequence (set the title, write the clipboard
through OSC 52, clear the screen), and a bidi override reorders what follows it on the line.

`inert` shows every C0 control, DEL and ESC as its one-cell Control Picture (ESC as ␛), every
C1 control as �, and removes the bidi embeddings, overrides and isolates (they are invisible
anyway). Each replacement is one cell wide, so a line keeps a predictable width. Markup is a
different matter: Textual parses `[...]` only where a string is passed as markup; see
leaf_tui/tui/inert_filter.py for the TUI's side and leaf_tui/cli/output.py for the CLI's.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""LRE RLE PDF LRO RLO and LRI RLI FSI PDI: they reorder text ("Trojan Source")."""

_TABLE: dict[int, str | None] = {
    **{c: chr(0x2400 + c) for c in range(0x20)},  # ␀ … ␟ (ESC is ␛, U+241B)
    0x7F: "\u2421",  # ␡
    **{c: "\ufffd" for c in range(0x80, 0xA0)},  # C1: no pictures exist; � marks the spot
    **{ord(c): None for c in BIDI_CONTROLS},
}

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")
"""Any character `inert` changes (newline included: callers that keep it say so)."""


def inert(text: str, *, keep: str = "") -> str:
    """`text` with nothing a terminal would act on; characters in `keep` (e.g. "\\n") stay."""
    if not UNSAFE.search(text):
        return text
    if not keep:
        return text.translate(_TABLE)
    return "".join(ch if ch in keep else ch.translate(_TABLE) for ch in text)


def is_inert(text: str, *, keep: str = "") -> bool:
    """True when `inert` would leave `text` as it is."""
    return all(ch in keep for ch in UNSAFE.findall(text))
