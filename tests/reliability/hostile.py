"""A corpus of hostile strings, as a stranger would write them into a grower's name, an address,
a link's branding, an event body or a profile name.

`CORPUS` is every case; `SERVABLE` the ones the sandbox stores (it refuses NUL and anything over
255 characters for most fields, as Leaf does). `MARKERS` are what must never reach a terminal
raw: the escape sequences' own bytes.
"""

from __future__ import annotations

CORPUS: dict[str, str] = {
    "osc 0 title (BEL)": "Ann \x1b]0;PWNED-TITLE\x07Lee",
    "osc 2 title (ST)": "Bo \x1b]2;PWNED-TITLE\x1b\\Ray",
    "osc 52 clipboard": "Cy \x1b]52;c;cHduZWQtY2xpcA==\x07Poe",
    "clear screen": "Di \x1b[2J\x1b[3J\x1b[HSu",
    "sgr and cursor": "Ed \x1b[31;5m\x1b[10A\x1b[?25lFox",
    "8-bit csi": "Fa \x9b2JGo",
    "8-bit osc": "Gu \x9d0;PWNED-TITLE\x9cHo",
    "dcs": "Hy \x1bP+q544e\x1b\\Ivy",
    "bell backspace cr": "Io\x07\x08\x08\rJo\x0b\x0c",
    "null bytes": "Ju\x00\x00Ka",
    "del": "Ke\x7fLu",
    "bidi override": "Li \u202egnp.exe\u202c Mo",
    "bidi isolates": "Mu \u2067abc\u2069 \u2066def\u2069 \u2068x\u2069",
    "markup close": "Ny [/] [/b] Ob",
    "markup click": "Oz [@click=app.quit]click me[/] Pa",
    "markup style": "[bold red]Qi[/bold red] [reverse]Ro[/]",
    "rich link": "[link=https://evil.example]Sa[/link]",
    "textual variable": "$accent $foo Tu",
    "very long": "Uv " + "W" * 4000 + "\x1b]0;PWNED-TITLE\x07",
    "empty": "",
    "only spaces": "   ",
    "newlines and tabs": "Vy\nWo\tXu\r\nYa",
    "zero width and rtl text": "Zo\u200b\u200d\u05e9\u05dc\u05d5\u05dd\u200f",
}

SERVABLE: dict[str, str] = {
    name: text
    for name, text in CORPUS.items()
    if "\x00" not in text and len(text) <= 255 and text.strip()
}

MARKERS: tuple[bytes, ...] = (
    b"\x1b]0;PWNED",
    b"\x1b]2;PWNED",
    b"\x1b]52;c;cHduZWQ",
    b"\x1b[2J\x1b[3J",
    b"\x1b[31;5m\x1b[10A",
    b"\xc2\x9b2J",  # 8-bit CSI, UTF-8 encoded
    b"\xc2\x9d0;PWNED",
    b"\x1bP+q544e",
    "\u202e".encode(),
    "\u2067".encode(),
)
"""Byte sequences of the corpus that would act on a terminal: none may be written raw."""
