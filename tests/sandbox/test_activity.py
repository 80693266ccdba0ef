"""The activity simulator's steps, driven directly with a seeded random source."""

from __future__ import annotations

import random

import httpx
from starlette.applications import Starlette

from leaf_tui.sandbox import activity, demo
from leaf_tui.sandbox.config import DEMO_OWNER
from leaf_tui.sandbox.timefmt import to_db

from .helpers import ML, UM


class AlwaysVisits(random.Random):
    """Every tick is a visit (the roll is always under the visit share)."""

    def random(self) -> float:
        return 0.0


def test_ticks_visit_links_sync_and_change_passwords(sandbox_app: Starlette) -> None:
    sandbox = sandbox_app.state.sandbox
    before = sandbox.store.counts()["support@sandbox.local"]
    uses_before = sum(r["usage_count"] for r in sandbox.store.all_links())
    rng = random.Random(1)
    outcomes = [activity.tick(sandbox, rng) for _ in range(2000)]
    assert any(o.startswith("visited link") for o in outcomes)
    assert any(o.startswith("synced") for o in outcomes)
    assert any("changed Sentera password" in o for o in outcomes)
    after = sandbox.store.counts()["support@sandbox.local"]
    assert after["events"] > before["events"]
    assert sum(r["usage_count"] for r in sandbox.store.all_links()) > uses_before
    # no link is ever pushed past its limit, and the free test account is never touched
    assert all(r["usage_count"] <= r["max_usage"] for r in sandbox.store.all_links())
    grower = sandbox.store.sentera_account("grower@sentera.example")
    assert grower["password"] == "harvest-2026"


def test_changed_password_leaves_a_401_and_unauthenticated(sandbox_app: Starlette) -> None:
    sandbox = sandbox_app.state.sandbox
    rng = random.Random(3)
    while True:
        outcome = activity.tick(sandbox, rng)
        if "changed Sentera password" in outcome:
            break
    user_id = outcome.split("; ")[1].split()[0]
    cred = sandbox.store.credential_for_user(user_id)
    assert cred["status"] == "UNAUTHENTICATED"
    events = sandbox.store.events(cred["id"], "0")
    assert events[0]["status_code"] == 401


async def test_links_made_through_the_api_are_never_visited(
    sandbox_app: Starlette, asgi_http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    sandbox = sandbox_app.state.sandbox
    users = (await asgi_http.get(f"{UM}/users", headers=auth)).json()
    r = await asgi_http.post(
        f"{ML}/users/{users[0]['id']}/file-upload", json={"expiresIn": 86400}, headers=auth
    )
    assert r.status_code == 201, r.text
    mine = r.json()["id"]
    rng = AlwaysVisits(4)
    outcomes = [activity.tick(sandbox, rng) for _ in range(300)]
    assert sum(o.startswith("visited link") for o in outcomes) > 30
    assert all(mine not in o for o in outcomes)
    row = sandbox.store.link(mine)
    assert row["usage_count"] == 0 and row["last_accessed_at"] is None
    # the demo's own links were opened until none was left to open
    assert sandbox.store.open_demo_link_ids(to_db(sandbox.clock.now())) == []


def test_most_demo_links_outlast_hours_of_activity(sandbox_app: Starlette) -> None:
    """Three hours of ticks at the default pace (one every 2 s) with the clock moving."""
    sandbox = sandbox_app.state.sandbox
    clock = sandbox.clock
    rng = random.Random(11)
    open_at_start = [
        r
        for r in sandbox.store.owner_links(DEMO_OWNER)
        if demo.link_state(r, clock.now()) in ("active", "expiring")
    ]
    visits = 0
    for _ in range(3 * 1800):
        visits += activity.tick(sandbox, rng).startswith("visited link")
        clock.advance(2)
    assert 0 < visits < 3 * 40  # a grower opens a link every few minutes, not every few seconds
    later = {r["id"]: r for r in sandbox.store.owner_links(DEMO_OWNER)}
    used_up = [r for r in open_at_start if later[r["id"]]["usage_count"] >= r["max_usage"]]
    assert len(used_up) < len(open_at_start) // 4, (len(used_up), len(open_at_start))
