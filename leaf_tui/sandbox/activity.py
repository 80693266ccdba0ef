"""The activity simulator: now and then a grower opens a link, Leaf syncs a Sentera account
(200 while healthy, 401 once the password changed), a grower changes their Sentera password,
or another support engineer sends a grower a link. Runs as an asyncio task in the app's
lifespan; off in tests.

It opens only the demo's own links, and seldom: a link someone made through the API is theirs
to open (its landing page counts a use), and a demo link should last a long session."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

from . import demo, provider_activity, sentera_world
from .demo import FREE_ACCOUNT
from .timefmt import to_db

if TYPE_CHECKING:
    from .state import Sandbox

log = logging.getLogger(__name__)
# share of ticks where a grower opens one of the demo's links (a tick every ~2 s: ~9 an hour,
# spread over the demo's ~30 open links, so most of them outlast a session of hours)
VISIT_SHARE = 0.005
# share of ticks where another support engineer makes a link (a tick every ~2 s: ~9 an hour)
NEW_LINK_SHARE = 0.005
# with refresh_demo, how often a long-running demo tops up links in every state
TOP_UP_EVERY = timedelta(minutes=10)


def tick(sandbox: Sandbox, rng: random.Random) -> str:
    """One step of simulated life; returns what happened (for logs and tests): links and
    Sentera first, then maybe a step of the other providers' connections."""
    happened = _links_and_sentera(sandbox, rng)
    other = provider_activity.tick(sandbox.store, sandbox.clock.now(), rng)
    return f"{happened}; {other}" if other else happened


def _links_and_sentera(sandbox: Sandbox, rng: random.Random) -> str:
    store, now = sandbox.store, sandbox.clock.now()
    roll = rng.random()
    if roll < VISIT_SHARE:
        open_ids = store.open_demo_link_ids(to_db(now))
        if open_ids:
            link_id = rng.choice(open_ids)
            store.try_visit(link_id, to_db(now))
            return f"visited link {link_id}"
    elif roll < VISIT_SHARE + NEW_LINK_SHARE:
        new_id = demo.support_link(store, sandbox.cfg, now, rng)
        if new_id is not None:
            return f"created link {new_id}"
    creds = store.credentials()
    if not creds:
        return "idle"
    if roll > 0.97:
        healthy = [
            c
            for c in creds
            if c["status"] == sentera_world.OK and c["username"] != FREE_ACCOUNT["username"]
        ]
        if healthy:
            cred = rng.choice(healthy)
            store.set_sentera_password(cred["username"], secrets.token_hex(6))
            sentera_world.sync(store, cred, now)
            return f"grower changed Sentera password; {cred['user_id']} now unauthenticated"
    cred = rng.choice(creds)
    event = sentera_world.sync(store, cred, now)
    return f"synced {cred['user_id']}: {event['status_code']}"


async def run(sandbox: Sandbox, interval: float, rng: random.Random | None = None) -> None:
    rng = rng or random.Random()
    topped_up = sandbox.clock.now()
    while True:
        await asyncio.sleep(rng.expovariate(1 / max(interval, 0.001)))
        try:
            log.debug("activity: %s", tick(sandbox, rng))
            now = sandbox.clock.now()
            if sandbox.cfg.refresh_demo and now - topped_up >= TOP_UP_EVERY:
                topped_up = now
                log.debug("activity: topped up links %s", sandbox.refresh_demo())
        except Exception:  # the simulator must never take the server down
            log.exception("activity tick failed")


@contextlib.asynccontextmanager
async def running(sandbox: Sandbox, interval: float) -> AsyncIterator[None]:
    task = asyncio.create_task(run(sandbox, interval))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
