"""Which growers have a Sentera credential: Leaf's user object does not say, so each is asked
of the credential endpoint."""

from __future__ import annotations

from typing import Any

from leaf_tui.api import LeafClient


async def with_sentera(client: LeafClient, users: Any, *, connected: bool = True) -> list[Any]:
    """The users (or user ids) with a Sentera credential, or without one."""
    out = []
    for user in users:
        user_id = user if isinstance(user, str) else user.id
        if await client.sentera.has_credential(user_id) is connected:
            out.append(user)
    return out
