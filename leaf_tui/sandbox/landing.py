"""The page a grower opens: GET /magic-link/{id}. Each visit counts one use and sets
lastAccessedAt; an expired or used-up link answers 410 with a page that says which."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from . import provider_activity
from .auth import sandbox_of
from .shapes import DEFAULT_SETTINGS, WIDGETS
from .state import Sandbox
from .timefmt import from_db, iso, to_db

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="background:{background};font-family:sans-serif;margin:0">
{header}<main style="max-width:36em;margin:2em auto;padding:1em;background:#fff;border-radius:8px">
{logo}<h1>{heading}</h1>
{content}
<p style="color:#777;font-size:small">Leaf sandbox magic link {link_id}</p>
</main></body></html>
"""


def visit(sandbox: Sandbox, link_id: str) -> tuple[str, dict[str, Any] | None]:
    """Count one use; a grower going through an authentication or provider link replaces
    that provider's credential (provider_activity.complete_link)."""
    now = sandbox.clock.now()
    outcome, row = sandbox.store.try_visit(link_id, to_db(now))
    if outcome == "ok" and row is not None:
        provider_activity.complete_link(sandbox.store, row, now)
    return outcome, row


def peek(sandbox: Sandbox, link_id: str) -> tuple[str, dict[str, Any] | None]:
    """The link's state without counting a use (HEAD requests, link previews)."""
    row = sandbox.store.link(link_id)
    if row is None:
        return "missing", None
    if row["expires_at"] <= to_db(sandbox.clock.now()):
        return "expired", row
    if row["usage_count"] >= row["max_usage"]:
        return "used_up", row
    return "ok", row


def _render(
    title: str, heading: str, content: str, link_id: str, settings: dict[str, Any] | None = None
) -> str:
    s = {**DEFAULT_SETTINGS, **(settings or {})}
    header = (
        f'<img src="{escape(s["headerImage"])}" alt="" style="width:100%">'
        if s["headerImage"]
        else ""
    )
    logo = (
        f'<img src="{escape(s["companyLogo"])}" alt="{escape(s["companyName"] or "")}" '
        'style="max-height:64px">'
        if s["companyLogo"]
        else ""
    )
    return _PAGE.format(
        title=escape(title),
        background=escape(s["backgroundColor"]),
        header=header,
        logo=logo,
        heading=escape(heading),
        content=content,
        link_id=escape(link_id),
    )


def _ok_page(sandbox: Sandbox, row: dict[str, Any]) -> str:
    settings = json.loads(row["settings"])
    s = {**DEFAULT_SETTINGS, **settings}
    company = s["companyName"] or "Your agronomist"
    parts = [f"<p>{escape(company)} invites you to connect your farm data with Leaf.</p>"]
    if s["showLeafUserName"]:
        names = sandbox.store.user_names(row["owner"], [row["user_id"]])
        parts.append(f"<p>Signed in as <b>{escape(names.get(row['user_id']) or '')}</b></p>")
    widget = WIDGETS[row["kind"]]
    if widget == "PROVIDER":
        providers = json.loads(row["allowed_providers"] or "[]")
        buttons = "".join(f"<li><button>Connect {escape(p)}</button></li>" for p in providers)
        parts.append(f"<ul>{buttons}</ul>")
    elif widget == "AUTHENTICATION":
        parts.append(f"<p><button>Connect {escape(row['provider'] or '')}</button></p>")
    else:
        parts.append("<p><input type='file' multiple> Upload your machine files</p>")
    if s["disconnectEnabled"]:
        parts.append("<p><button>Disconnect</button></p>")
    left = row["max_usage"] - row["usage_count"]
    expires = iso(from_db(row["expires_at"]), 0)
    parts.append(f"<p>This link can be opened {left} more time(s) and expires at {expires}.</p>")
    return _render(
        f"{company}: connect with Leaf",
        "Connect your farm data",
        "".join(parts),
        row["id"],
        settings,
    )


async def landing(request: Request) -> HTMLResponse:
    sandbox = sandbox_of(request)
    link_id: str = request.path_params["link_id"]
    outcome, row = peek(sandbox, link_id) if request.method == "HEAD" else visit(sandbox, link_id)
    if outcome == "missing" or row is None:
        page = _render(
            "Link not found",
            "This link does not exist",
            "<p>Ask the person who sent it for a new one.</p>",
            link_id,
        )
        return HTMLResponse(page, status_code=404)
    if outcome == "expired":
        when = iso(from_db(row["expires_at"]), 0)
        page = _render(
            "Link expired",
            "This link has expired",
            f"<p>It expired at {when}. Ask the person who sent it for a new one.</p>",
            link_id,
            json.loads(row["settings"]),
        )
        return HTMLResponse(page, status_code=410, headers={"X-Link-State": "expired"})
    if outcome == "used_up":
        page = _render(
            "Link used up",
            "This link has been used up",
            f"<p>It was opened {row['usage_count']} of {row['max_usage']} allowed "
            "times. Ask the person who sent it for a new one.</p>",
            link_id,
            json.loads(row["settings"]),
        )
        return HTMLResponse(page, status_code=410, headers={"X-Link-State": "used-up"})
    return HTMLResponse(_ok_page(sandbox, row))
