"""Demo connections for every provider, with a week of sync events each, and growers with the
problems support meets: a refresh token the grower revoked, a missing scope, a John Deere
organization that has not granted access, STAGE app keys used against PRODUCTION, an outage
and a rate limit in progress, and past outages that healed.

Its own random.Random (seeded from the demo seed): the rest of the demo stays byte-identical.
The user objects' provider ids and created times come from demo.py's users (their `providers`
column) so every credential the user object named before is now a real one."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from . import provider_world
from .config import DEMO_OWNER
from .provider_activity import fresh_fields
from .provider_store import bulk_insert
from .providers import BY_NAME, PROVIDERS, Provider
from .store import Store
from .timefmt import from_db

# providers demo.py's users do not name (Raven, Lindsay, Valley are user-object providers;
# Agvance and Panorama are not): a share of growers has them
EXTRA_SHARES = {"Raven": 0.05, "Lindsay": 0.04, "Valley": 0.04, "Agvance": 0.05, "Panorama": 0.04}
# the demo owner's problem growers: (provider, problem, how many)
PROBLEM_CASES = (
    ("JohnDeere", "revoked", 2),
    ("JohnDeere", "org_not_granted", 2),
    ("JohnDeere", "missing_permission", 1),
    ("JohnDeere", "stage_vs_production", 1),
    ("JohnDeere", "rate_limited", 1),
    ("ClimateFieldView", "revoked", 1),
    ("ClimateFieldView", "missing_permission", 1),
    ("CNHI", "outage", 2),
    ("CNHI", "org_not_granted", 1),
    ("CNHI", "stage_vs_production", 1),
    ("Trimble", "revoked", 1),
    ("Trimble", "rate_limited", 1),
    ("Raven", "revoked", 1),
    ("Lindsay", "missing_permission", 1),
    ("Stara", "outage", 1),
    ("AgLeader", "revoked", 1),
    ("Agvance", "stage_vs_production", 1),
    ("Panorama", "org_not_granted", 1),
)
HISTORY = timedelta(days=7)
SYNC_EVERY = timedelta(hours=8)
PROBLEM_EVERY = timedelta(hours=2)
PAST_OUTAGE_SHARE = 0.2
# a big demo (10,000 growers) gives a week of history to its first connections and its problem
# ones; the rest show their last sync only (seeding stays within seconds)
FULL_HISTORY_FOR = 400
QUIET = SYNC_EVERY


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _users(store: Store) -> list[dict[str, Any]]:
    """Every user, in creation order, with the name-sorted first one of each owner marked
    (left without extra providers: the first row of the Users screen stays as it was)."""
    with store.transaction() as conn:
        rows = [dict(r) for r in conn.execute("SELECT * FROM users ORDER BY seq").fetchall()]
    first: dict[str, tuple[str, int]] = {}
    for row in rows:
        key = (row["name_key"], row["seq"])
        if row["owner"] not in first or key < first[row["owner"]]:
            first[row["owner"]] = key
    for row in rows:
        row["_first"] = first[row["owner"]] == (row["name_key"], row["seq"])
    return rows


def _credential(
    rng: random.Random, provider: Provider, user: dict[str, Any], known: dict[str, Any] | None
) -> dict[str, Any]:
    if known is not None:
        cred_id = str(known.get("id") or _uuid(rng))
        created = from_db(str(known["createdTime"]))
    else:
        cred_id = _uuid(rng)
        created = None
    when = created or (from_db(user["created"]) + timedelta(days=rng.uniform(1, 90)))
    fields = fresh_fields(provider, None, rng)
    if "username" in fields and user["email"]:
        fields["username"] = user["email"]
    return provider_world.new_row(provider, user["owner"], user["id"], fields, when, cred_id)


def _history(
    rng: random.Random, provider: Provider, row: dict[str, Any], now: datetime, full: bool
) -> list[dict[str, Any]]:
    """A week of syncs: healthy ones, maybe a past outage, and the current problem's run."""
    start = max(from_db(row["created_time"]), now - (HISTORY if full else QUIET))
    problem = row["problem"]
    began = now - timedelta(hours=rng.uniform(3, 72)) if problem else now
    outage_at = now - timedelta(hours=rng.uniform(30, 150))
    past_outage = rng.random() < PAST_OUTAGE_SHARE
    events: list[dict[str, Any]] = []
    when = start + timedelta(minutes=rng.uniform(1, 60))
    while when < now:
        if when >= began:
            state, step = problem, PROBLEM_EVERY
        elif past_outage and outage_at <= when < outage_at + timedelta(hours=3):
            state, step = "outage", timedelta(minutes=40)
        else:
            state, step = "", SYNC_EVERY
        events.append(provider_world.event_row(provider, row, when, state, rng, _uuid(rng)))
        after = when + step * rng.uniform(0.8, 1.2)
        # the problem shows in the first sync after it began, not a long healthy step later
        when = began + timedelta(minutes=rng.uniform(1, 20)) if when < began < after else after
    return events


def generate(store: Store, seed: int, now: datetime) -> None:
    rng = random.Random(f"leaf-sandbox-providers-{seed}")
    creds: list[dict[str, Any]] = []
    users = _users(store)
    for user in users:
        sent = json.loads(user["providers"])
        for provider in PROVIDERS:
            known = sent.get(provider.user_field) if provider.user_field else None
            extra = not user["_first"] and rng.random() < EXTRA_SHARES.get(provider.name, 0)
            if known is None and not extra:
                continue
            creds.append(_credential(rng, provider, user, known))
    # every provider appears at least once for the demo owner, however small the demo
    growers = [u for u in users if u["owner"] == DEMO_OWNER and not u["_first"]]
    for provider in PROVIDERS:
        have = {c["user_id"] for c in creds if c["provider"] == provider.name}
        free = [u for u in growers if u["id"] not in have]
        if free and not any(c["owner"] == DEMO_OWNER for c in creds if c["user_id"] in have):
            creds.append(_credential(rng, provider, rng.choice(free), None))
    mine = [c for c in creds if c["owner"] == DEMO_OWNER]
    for name, problem, count in PROBLEM_CASES:
        candidates = [c for c in mine if c["provider"] == name and not c["problem"]]
        for row in rng.sample(candidates, min(count, len(candidates))):
            row["problem"] = problem
            row["status"] = provider_world.STATUS_OF[problem]
            if problem == "missing_permission":
                scopes = list(BY_NAME[name].scopes)
                if len(scopes) > 1:
                    del scopes[-2]  # the scope the provider's 403 names
                    row["fields"]["tokenMetadata"] = {"scopes": scopes}
    events: list[dict[str, Any]] = []
    for n, row in enumerate(creds):
        full = n < FULL_HISTORY_FOR or bool(row["problem"])
        events += _history(rng, BY_NAME[row["provider"]], row, now, full)
    bulk_insert(store, creds, events)
