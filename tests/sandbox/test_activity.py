"""The activity simulator's steps, driven directly with a seeded random source."""

from __future__ import annotations

import random

from starlette.applications import Starlette

from leaf_tui.sandbox import activity


def test_ticks_visit_links_sync_and_change_passwords(sandbox_app: Starlette) -> None:
    sandbox = sandbox_app.state.sandbox
    before = sandbox.store.counts()["support@sandbox.local"]
    uses_before = sum(r["usage_count"] for r in sandbox.store.all_links())
    rng = random.Random(1)
    outcomes = [activity.tick(sandbox, rng) for _ in range(400)]
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
