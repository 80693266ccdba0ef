"""Life of every provider's connections: Leaf's background syncs (statuses change as the
provider answers), outages and rate limits that come and pass, a grower revoking access, and a
grower completing a magic link (which replaces that provider's credential)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime
from typing import Any

from . import provider_store, provider_world
from .link_requests import ALL
from .providers import BY_NAME, OAUTH, PROVIDERS, Provider
from .store import Store

# a tick syncs one credential this often; of those, a healthy connection meets a passing
# outage or rate limit (or its grower revokes access) now and then, and a passing problem ends
SYNC_SHARE = 0.5
TRANSIENT_SHARE = 0.01
REVOKE_SHARE = 0.002
PASS_SHARE = 0.25
# what a grower re-authorising keeps: the app's keys, not the grant
APP_KEYS = (
    "clientKey",
    "clientId",
    "clientSecret",
    "apiKey",
    "subscriptionKey",
    "publicKey",
    "privateKey",
    "clientEnvironment",
    "apid",
    "databaseId",
    "username",
    "organizationCode",
)


def tick(store: Store, now: datetime, rng: random.Random) -> str | None:
    """One step; what happened, or None when the providers were left alone this tick."""
    roll = rng.random()
    if roll >= SYNC_SHARE:
        return None
    total = provider_store.count(store)
    row = provider_store.nth(store, rng.randrange(total)) if total else None
    if row is None:
        return None
    provider = BY_NAME[row["provider"]]
    note = ""
    if row["problem"] == "" and roll < TRANSIENT_SHARE:
        row["problem"] = rng.choice(provider_world.TRANSIENT)
        note = f", {row['problem']} began"
    elif (
        row["problem"] == ""
        and roll < TRANSIENT_SHARE + REVOKE_SHARE
        and (provider.family == OAUTH)
    ):
        row["problem"] = "revoked"
        note = ", the grower revoked access"
    elif row["problem"] in provider_world.TRANSIENT and rng.random() < PASS_SHARE:
        note = f", {row['problem']} passed"
        row["problem"] = ""
    provider_store.update(store, row["id"], problem=row["problem"])
    event = provider_world.sync(store, provider, row, now, rng)
    return f"synced {provider.name} of {row['user_id']}: {event['status_code']}{note}"


def fresh_fields(
    provider: Provider, old: dict[str, Any] | None, rng: random.Random | None
) -> dict[str, Any]:
    """A new grant for this provider: the app keys of the old credential, new tokens."""
    body: dict[str, Any] = {}
    for key in provider.body:
        if old is not None and key in APP_KEYS and old.get(key) is not None:
            body[key] = old[key]
        elif key == "clientEnvironment":
            body[key] = "PRODUCTION"
        else:
            body[key] = provider_world.token(rng, 16)
    return provider_world.new_fields(provider, body, rng)


def reconnect(
    store: Store, owner: str, user_id: str, provider: Provider, now: datetime
) -> dict[str, Any]:
    """The grower authorised again: a new credential in place of the old one (status OK)."""
    old = provider_store.credential(store, owner, user_id, provider.name)
    fields = fresh_fields(provider, old["fields"] if old else None, None)
    row = provider_world.new_row(provider, owner, user_id, fields, now, str(uuid.uuid4()))
    provider_store.replace(store, row)
    provider_world.sync(store, provider, row, now, random.Random())
    return row


def complete_link(store: Store, link: dict[str, Any], now: datetime) -> str | None:
    """A grower went through a magic link: an authentication link reconnects its provider; a
    provider link reconnects the first provider it allows (All: the first of the list). The
    link's creation never touches a credential; only this does."""
    if link["kind"] == "authentication":
        name = link["provider"]
    elif link["kind"] == "provider":
        allowed = json.loads(link["allowed_providers"] or "[]")
        name = allowed[0] if allowed else None
        if name == ALL:
            name = next(p.name for p in PROVIDERS if p.magic_link)
    else:
        return None
    provider = BY_NAME.get(name or "")
    if provider is None:
        return None
    reconnect(store, link["owner"], link["user_id"], provider, now)
    return provider.name
