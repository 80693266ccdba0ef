"""The sandbox's settings: where its data lives, how much demo data, and which clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DEMO_OWNER = "support@sandbox.local"
OTHER_OWNER = "other@sandbox.local"
OWNER_PASSWORD = "sandbox"


@dataclass
class SandboxConfig:
    db_path: str = ":memory:"
    seed: int = 7
    users: int = 40
    links: int = 60
    events: int = 200
    activity: bool = False
    now: Callable[[], datetime] | None = None
    # a kept demo (a file seeded on an earlier day): on start, and now and then while the
    # activity simulator runs, add links so every kind has one in every state relative to now
    refresh_demo: bool = False
    # activity simulator: mean seconds between ticks (each tick does a few things)
    activity_interval: float = 2.0
    # fault injection settings (see faults.py); empty means none
    faults: dict[str, Any] = field(default_factory=dict)
