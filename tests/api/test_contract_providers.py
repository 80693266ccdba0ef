"""Contract: the generic provider-credentials service, against the sandbox (ASGI and loopback).

Sentera is the provider the sandbox serves today; the same calls reach every provider's path."""

from __future__ import annotations

import pytest

from leaf_tui.api import NotFound
from leaf_tui.api.providers import MASK, provider

from .conftest import Env

SENTERA = provider("Sentera")


async def test_get_and_events_of_a_connected_grower_are_masked(env: Env) -> None:
    # Leaf's user object does not carry Sentera: ask its endpoint
    users = [
        u
        for u in await env.client.users.list_all()
        if await env.client.sentera.has_credential(u.id)
    ]
    assert users
    credential = await env.client.credentials.get(SENTERA, users[0].id)
    token = credential.raw["authToken"]
    assert token and token not in repr(credential)
    assert credential.masked()["authToken"] == MASK
    assert token in credential.secrets
    events = await env.client.credentials.events(SENTERA, users[0].id)
    stamps = [e.created_date for e in events if e.created_date is not None]
    assert stamps == sorted(stamps)


async def test_create_then_delete_and_not_found(env: Env) -> None:
    user = await env.client.users.create(name="Provider Contract", external_id="crm-prov-1")
    with pytest.raises(NotFound):
        await env.client.credentials.get(SENTERA, user.id)
    body = {
        "username": "grower@sentera.example",
        "password": "harvest-2026",
        "organizationName": "Prairie Farms",
        "notAField": "dropped",
    }
    created = await env.client.credentials.create(SENTERA, user.id, body)
    assert created.status == "OK" and "password" not in created.raw
    again = await env.client.credentials.get(SENTERA, user.id)
    assert again.id == created.id
    await env.client.credentials.delete(SENTERA, user.id)
    with pytest.raises(NotFound):
        await env.client.credentials.get(SENTERA, user.id)
