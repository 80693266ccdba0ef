"""Which account an action goes to, in words, and whether that account may be changed at all.

Support engineers keep a test and a production profile open side by side: every confirmation
names the one it acts on, and a profile marked `read_only` hides every write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

WRITE_ACTIONS = frozenset(
    {
        "new_link",  # the app's, Users', Links'
        "add",
        "edit",
        "delete",
        "renew",
        "connect",
        "recreate",
        "create",  # the wizard's
        "another",  # the result screen's next link
    }
)
"""Action names that change data; hidden (and refused by the client) on a read-only profile."""


def account_label(session: Any) -> str:
    """ "SANDBOX", or the profile's name and host: "prod (api.withleaf.io)"."""
    if session is None:
        return "not connected"
    if session.is_sandbox:
        return "SANDBOX"
    host = urlsplit(session.base_url).netloc or session.base_url
    return f"{session.profile_name} ({host})"


def read_only(app: Any) -> bool:
    """The session's client refuses writes (its profile says `read_only = true`)."""
    session = getattr(app, "session", None)
    return bool(getattr(getattr(session, "client", None), "read_only", False))


def hides(app: Any, action: str) -> bool:
    """True when `action` is a write and the profile is read-only: check_action hides it."""
    return action in WRITE_ACTIONS and read_only(app)
