"""Deterministic demo data: the same seed and the same clock give byte-identical rows.
Every random choice comes from one random.Random(seed); ids are UUIDs made from its bits."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from . import provider_demo, sentera_world
from .config import DEMO_OWNER, OTHER_OWNER, OWNER_PASSWORD, SandboxConfig
from .link_requests import KINDS, MAX_USAGE, PROVIDERS
from .store import CREDENTIAL_COLUMNS, EVENT_COLUMNS, LINK_COLUMNS, Store
from .timefmt import to_db

# the one Sentera account no Leaf user has connected at start: tests and demos connect it
FREE_ACCOUNT = {
    "username": "grower@sentera.example",
    "password": "harvest-2026",
    "organizations": ["Prairie Farms"],
}
FIRST = [
    "Ava",
    "Ben",
    "Carla",
    "Dale",
    "Elena",
    "Frank",
    "Gwen",
    "Hank",
    "Ines",
    "Jack",
    "Kara",
    "Luis",
    "Mara",
    "Nate",
    "Olga",
    "Pete",
    "Quinn",
    "Rosa",
    "Sam",
    "Tess",
    "Uma",
    "Vern",
    "Wade",
    "Xena",
    "Yusuf",
    "Zoe",
    "Abel",
    "Bea",
    "Cole",
    "Dina",
]
LAST = [
    "Anderson",
    "Bauer",
    "Christensen",
    "Dietrich",
    "Eriksen",
    "Fischer",
    "Gonzalez",
    "Hansen",
    "Iverson",
    "Jensen",
    "Klein",
    "Lindqvist",
    "Moreno",
    "Nielsen",
    "Olson",
    "Peterson",
    "Quist",
    "Rasmussen",
    "Schmidt",
    "Thorson",
    "Ulrich",
    "Vogel",
    "Weber",
    "Yoder",
    "Zimmerman",
    "Novak",
    "Kowalski",
    "Miller",
    "Brandt",
    "Hoffman",
]
FARM_A = [
    "Prairie",
    "Cedar",
    "Willow",
    "Golden",
    "Maple",
    "Red Barn",
    "Harvest",
    "Meadowbrook",
    "Sunrise",
    "Riverbend",
    "Hillcrest",
    "Clearwater",
    "Oak Ridge",
    "Bluestem",
    "Stony Creek",
]
FARM_B = ["Acres", "Farms", "Ranch", "Grain Co.", "Family Farm", "Ag LLC", "Orchards", "Fields"]
TOWNS = [
    ("Ames", "IA", "50010"),
    ("Grand Island", "NE", "68801"),
    ("Salina", "KS", "67401"),
    ("Fargo", "ND", "58102"),
    ("Mankato", "MN", "56001"),
    ("Brookings", "SD", "57006"),
    ("Champaign", "IL", "61820"),
    ("Lafayette", "IN", "47901"),
    ("Dodge City", "KS", "67801"),
]
OTHER_PROVIDERS = [
    ("johnDeereCredentials", 0.45),
    ("climateFieldViewCredentials", 0.3),
    ("cnhiCredentials", 0.15),
    ("trimbleCredentials", 0.1),
    ("ravenSlingshotCredentials", 0.06),
    ("agLeaderCredentials", 0.08),
    ("staraCredentials", 0.04),
]
COMPANIES = [None, "Acme Agronomy", "Heartland Co-op", "GreenField Advisors", "Northstar Seeds"]
COLOURS = ["#F5F5F5", "#27ae60", "#c0392b", "#2C3E50", "#FFF", "#f0e6d2"]
EXPIRIES = [900, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400, 365 * 86400]
STATES = ("active", "expiring", "expired", "used_up")


class _Gen:
    def __init__(self, cfg: SandboxConfig, now: datetime, rng: random.Random | None = None) -> None:
        self.rng = rng or random.Random(cfg.seed)
        self.cfg = cfg
        self.now = now

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ago(self, low: float, high: float) -> datetime:
        """A moment between low and high seconds ago, with microseconds."""
        return self.now - timedelta(seconds=self.rng.uniform(low, high))

    def farm(self) -> str:
        return f"{self.rng.choice(FARM_A)} {self.rng.choice(FARM_B)}"


def _user(g: _Gen, owner: str, n: int) -> dict[str, Any]:
    first, last = g.rng.choice(FIRST), g.rng.choice(LAST)
    farm = g.farm()
    town, state, zipcode = g.rng.choice(TOWNS)
    domain = farm.lower().replace(" ", "").replace(".", "") + ".example"
    name = f"{first} {last}" if g.rng.random() < 0.7 else f"{last} {farm}"
    providers: dict[str, Any] = {}
    for key, share in OTHER_PROVIDERS:
        if g.rng.random() < share:
            providers[key] = {
                "id": g.uuid(),
                "status": "OK",
                "createdTime": to_db(g.ago(86400, 400 * 86400)),
            }
    return {
        "id": g.uuid(),
        "owner": owner,
        "name": name,
        "email": f"{first.lower()}.{last.lower()}{n}@{domain}",
        "phone": f"+1 555 01{n % 100:02d} {g.rng.randrange(1000, 9999)}",
        "address": json.dumps(
            f"{g.rng.randrange(100, 9999)} County Rd {g.rng.randrange(1, 90)}, "
            f"{town}, {state} {zipcode}"
        ),
        "external_id": f"CRM-{10000 + n}",
        "providers": json.dumps(providers, sort_keys=True),
        "created": to_db(g.ago(86400, 700 * 86400)),
        "_farm": farm,
        "_first": first.lower(),
        "_last": last.lower(),
        "_n": n,
    }


def _credentials(g: _Gen, users: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Sentera credentials for about a third of the demo growers, with their Sentera accounts.
    Returns (credentials with a '_health' marker, account rows)."""
    accounts: list[Any] = [
        (
            FREE_ACCOUNT["username"],
            FREE_ACCOUNT["password"],
            json.dumps([{"id": g.uuid(), "name": "Prairie Farms"}]),
        )
    ]
    creds: list[dict[str, Any]] = []
    case_done = False
    for i, user in enumerate(users):
        if g.rng.random() >= 0.35 and i > 2:
            continue
        farm = user["_farm"]
        username = f"{user['_first']}.{user['_last']}.{user['_n']}@sentera.example"
        password = f"{g.rng.choice(FARM_A).split()[0].lower()}-{g.rng.randrange(1000, 9999)}"
        org = {"id": g.uuid(), "name": farm}
        health = "ok" if g.rng.random() < 0.7 else "changed_password"
        if not case_done and i >= 1:
            health, case_done = "org_case", True
        current = password if health != "changed_password" else password + "-new"
        accounts.append((username, current, json.dumps([org])))
        creds.append(
            {
                "id": g.uuid(),
                "user_id": user["id"],
                "owner": user["owner"],
                "status": sentera_world.OK if health == "ok" else sentera_world.UNAUTHENTICATED,
                "created_time": to_db(g.ago(20 * 86400, 300 * 86400)),
                "username": username,
                "password": password,
                "auth_token": f"{g.rng.getrandbits(160):040x}",
                "organization_id": org["id"],
                "organization_name": farm.lower() if health == "org_case" else farm,
                "_health": health,
            }
        )
    return creds, accounts


def _events(g: _Gen, creds: list[dict[str, Any]], total: int) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if not creds:
        return rows
    for i, cred in enumerate(creds):
        count = total // len(creds) + (1 if i < total % len(creds) else 0)
        health = cred["_health"]
        # syncs spread over the last ten days; broken ones fail since some time in the last day
        failing_for = g.rng.uniform(3600, 30 * 3600)
        failures = 0 if health == "ok" else min(count, max(2, count // 3))
        stamps = sorted(g.ago(failing_for, 10 * 86400) for _ in range(count - failures))
        stamps += sorted(g.ago(60, failing_for) for _ in range(failures))
        for k, when in enumerate(stamps):
            status = 200
            if k >= count - failures:
                status = 401 if health == "changed_password" else 404
            body = None
            if status == 404:
                body = json.dumps(
                    {
                        "errors": [
                            {
                                "message": f'Organization "{cred["organization_name"]}" not found '
                                "(names are case-sensitive)"
                            }
                        ]
                    }
                )
            elif status == 401:
                body = json.dumps({"errors": [{"message": "Unauthorized: invalid credentials"}]})
            ev = sentera_world.event_row(cred, when, status, g.uuid(), body)
            rows.append([ev[c] for c in EVENT_COLUMNS])
    rows.sort(key=lambda r: r[2])
    return rows


def _settings(g: _Gen, kind: str) -> dict[str, Any]:
    if g.rng.random() < 0.35:
        return {}
    out: dict[str, Any] = {"backgroundColor": g.rng.choice(COLOURS)}
    company = g.rng.choice(COMPANIES)
    if company:
        out["companyName"] = company
        slug = company.lower().replace(" ", "-")
        out["companyLogo"] = f"https://cdn.example.com/{slug}/logo.png"
        if g.rng.random() < 0.5:
            out["headerImage"] = f"https://cdn.example.com/{slug}/header.jpg"
    out["showLeafUserName"] = g.rng.random() < 0.5
    if kind != "file-upload":
        out["disconnectEnabled"] = g.rng.random() < 0.3
    return out


def _link(g: _Gen, owner: str, user_id: str, kind: str, state: str) -> list[Any]:
    if state == "expiring":
        expires_in = g.rng.choice(EXPIRIES[1:])
        expires = g.now + timedelta(seconds=g.rng.uniform(300, 3300))
    elif state == "expired":
        expires_in = g.rng.choice(EXPIRIES[:6])
        expires = g.ago(60, 10 * 86400)
    else:
        expires_in = g.rng.choice(EXPIRIES[3:])
        expires = g.now + timedelta(seconds=g.rng.uniform(2 * 3600, expires_in - 600))
    created = expires - timedelta(seconds=expires_in)
    usage = MAX_USAGE if state == "used_up" else g.rng.randrange(0, MAX_USAGE)
    last = None
    if usage:
        end = min(expires, g.now)
        last = to_db(created + (end - created) * g.rng.uniform(0.2, 1.0))
    return _link_row(g, owner, user_id, kind, created, expires, usage, last)


def _link_row(
    g: _Gen,
    owner: str,
    user_id: str,
    kind: str,
    created: datetime,
    expires: datetime,
    usage: int,
    last: str | None,
) -> list[Any]:
    allowed = provider = None
    if kind == "provider":
        allowed = json.dumps(g.rng.sample(PROVIDERS, g.rng.randrange(1, 4)))
    elif kind == "authentication":
        provider = g.rng.choice(PROVIDERS)
    row = {
        "id": g.uuid(),
        "owner": owner,
        "kind": kind,
        "user_id": user_id,
        "created_at": to_db(created),
        "expires_at": to_db(expires),
        "last_accessed_at": last,
        "max_usage": MAX_USAGE,
        "usage_count": usage,
        "settings": json.dumps(_settings(g, kind), sort_keys=True),
        "allowed_providers": allowed,
        "provider": provider,
    }
    return [row[c] for c in LINK_COLUMNS]


def _links(g: _Gen, owner: str, users: list[dict[str, Any]], count: int) -> list[list[Any]]:
    if not users:
        return []
    # kinds cycle fastest, states next: every kind meets every state within 12 links
    return [
        _link(g, owner, g.rng.choice(users)["id"], KINDS[i % 3], STATES[(i // 3) % 4])
        for i in range(count)
    ]


def generate(store: Store, cfg: SandboxConfig, now: datetime) -> None:
    g = _Gen(cfg, now)
    store.bulk_insert(
        "owners",
        ("email", "password"),
        [(DEMO_OWNER, OWNER_PASSWORD), (OTHER_OWNER, OWNER_PASSWORD)],
    )
    demo_users = [_user(g, DEMO_OWNER, n) for n in range(cfg.users)]
    other_users = [_user(g, OTHER_OWNER, 90000 + n) for n in range(min(5, cfg.users))]
    everyone = demo_users + other_users
    store.insert_users(everyone)
    creds, accounts = _credentials(g, demo_users)
    other_creds, other_accounts = _credentials(g, other_users[:2])
    creds += other_creds
    accounts += other_accounts[1:]
    store.bulk_insert("sentera_accounts", ("username", "password", "organizations"), accounts)
    store.bulk_insert(
        "sentera_credentials",
        CREDENTIAL_COLUMNS,
        ([c[k] for k in CREDENTIAL_COLUMNS] for c in creds),
    )
    store.bulk_insert("sentera_events", EVENT_COLUMNS, _events(g, creds, cfg.events))
    links = _links(g, DEMO_OWNER, demo_users, cfg.links)
    links += _links(g, OTHER_OWNER, other_users, min(3, cfg.links))
    store.insert_demo_links(links)
    provider_demo.generate(store, cfg.seed, now)


# --- keeping a kept demo alive ----------------------------------------------------------------
# A demo database outlives the day it was seeded on: by the next start its links have expired.
EXPIRING_WITHIN = timedelta(hours=1)  # the Links screen's "expires soon" band


def link_state(row: dict[str, Any], now: datetime) -> str:
    """One of STATES for a link row, as the Links screen would show it at `now`."""
    if row["expires_at"] <= to_db(now):
        return "expired"
    if row["usage_count"] >= row["max_usage"]:
        return "used_up"
    if row["expires_at"] <= to_db(now + EXPIRING_WITHIN):
        return "expiring"
    return "active"


def refresh_demo(
    store: Store, cfg: SandboxConfig, now: datetime, rng: random.Random | None = None
) -> list[str]:
    """Top up the demo owner's links so every kind has one in every state relative to `now`
    (fresh active, expiring within the hour, used up, expired): one new link per missing
    kind and state, made as the seeding makes them. Returns the new links' ids."""
    if cfg.links <= 0:
        return []
    users = store.user_ids(DEMO_OWNER)
    if not users:
        return []
    present = {(row["kind"], link_state(row, now)) for row in store.owner_links(DEMO_OWNER)}
    missing = [(k, s) for s in STATES for k in KINDS if (k, s) not in present]
    if not missing:
        return []
    g = _Gen(cfg, now, rng or random.Random())
    rows = [_link(g, DEMO_OWNER, g.rng.choice(users), kind, state) for kind, state in missing]
    store.insert_demo_links(rows)
    return [row[LINK_COLUMNS.index("id")] for row in rows]


def support_link(store: Store, cfg: SandboxConfig, now: datetime, rng: random.Random) -> str | None:
    """A link made just now for a demo grower, as if by another support engineer; the oldest
    expired links are tidied away past twice the demo's size. Returns its id."""
    users = store.user_ids(DEMO_OWNER)
    if not users:
        return None
    g = _Gen(cfg, now, rng)
    expires = now + timedelta(seconds=rng.choice(EXPIRIES))
    row = _link_row(g, DEMO_OWNER, rng.choice(users), rng.choice(KINDS), now, expires, 0, None)
    store.insert_demo_links([row])
    store.prune_expired_links(DEMO_OWNER, keep=max(2 * cfg.links, 24), now=to_db(now))
    return str(row[LINK_COLUMNS.index("id")])
