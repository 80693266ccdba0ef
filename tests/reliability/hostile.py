"""A corpus of hostile strings, as a stranger would write them into a grower's name, an address,
a link's branding, an event body or a profile name.

`CORPUS` is every case; `SERVABLE` the ones the sandbox stores (it refuses NUL and anything over
255 characters for most fields, as Leaf does). `MARKERS` are what must never reach a terminal
raw: the escape sequences' own bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from typing import Protocol

    class LiveEnv(Protocol):
        base_url: str


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


# --- the corpus in a sandbox ---------------------------------------------------------------------

UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
CASES = list(SERVABLE.items())


def tag(i: int) -> str:
    return f"hx{i:02d}"


def served_name(i: int, text: str) -> str:
    return f"{tag(i)} {text}"[:255]


def seed(env: LiveEnv, token: str) -> dict[str, Any]:
    """Hostile users (every field), a link of each kind with hostile branding for some, a
    Sentera credential with hostile events for one."""
    auth = {"Authorization": f"Bearer {token}"}
    http = httpx.Client(base_url=env.base_url, headers=auth, timeout=10)
    users: list[dict[str, Any]] = []
    for i, (_, text) in enumerate(CASES):
        body = {
            "name": served_name(i, text),
            "email": f"{tag(i)}.{text}@grower.example"[:254],
            "externalId": f"{tag(i)}-{text}"[:255],
            "phone": text[:50],
            "address": {"street": text[:200], "city": f"{tag(i)} {text}"[:200]},
        }
        r = http.post(f"{UM}/users", json=body)
        assert r.status_code in (200, 201), (i, r.text)
        users.append(r.json())
    links = []
    for i, (user, (_, text)) in enumerate(zip(users, CASES, strict=True)):
        if i % 3:
            continue
        r = http.post(
            f"{ML}/users/{user['id']}/provider",
            json={"allowedProviders": ["CNHI"], "settings": {"companyName": text[:100]}},
        )
        assert r.status_code in (200, 201), r.text
        links.append(r.json())
    accounts = httpx.get(f"{env.base_url}/_sandbox/sentera/accounts", timeout=10).json()
    account = next(a for a in accounts if a["organizations"])
    victim = users[0]
    r = http.post(
        f"{UM}/users/{victim['id']}/sentera-credentials",
        json={
            "username": account["username"],
            "password": account["password"],
            "organizationName": account["organizations"][0],
        },
    )
    assert r.status_code in (200, 201), r.text
    for i, (_, text) in enumerate(CASES):
        r = httpx.post(
            f"{env.base_url}/_sandbox/sentera/{victim['id']}/events",
            json={
                "statusCode": 401 if i % 2 else 200,
                "body": json.dumps({"errors": [{"message": text}]}, ensure_ascii=i % 2 == 0),
                "headers": {"X-Hostile": [text], text[:40] or "X-Empty": ["v"]},
            },
            timeout=10,
        )
        assert r.status_code == 201, r.text
    r = http.post(
        f"{UM}/users",
        json={"name": NAME_ONLY, "email": "hx99@grower.example", "externalId": "hx99"},
    )
    assert r.status_code in (200, 201), r.text
    http.close()
    return {"users": users, "links": links, "victim": victim}


NAME_ONLY = "hx99 [/] [@click=app.quit]x[/] \x1b]0;PWNED-TITLE\x07 [b]"
HOSTILE_PROFILE = SERVABLE["osc 0 title (BEL)"].replace(" ", "-")


def write_hostile_profiles(home: Path) -> None:
    """settings.toml as a person (or an attacker with write access) might edit it by hand."""
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    lines = ['active_profile = "sandbox"']
    for i, (_, text) in enumerate(CASES[:8]):
        lines.append(f"[profiles.{json.dumps(f'p{i} ' + text)}]")
        lines.append('base_url = "http://127.0.0.1:9"')
    (config / "settings.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
