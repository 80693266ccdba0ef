"""The Sandbox object behind one app: config, clock, store and the token secret."""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta

from . import demo
from .behaviour import Behaviour
from .clock import SandboxClock
from .config import SandboxConfig
from .faults import FaultSettings
from .store import Store, cannot_use

EVENT_RETENTION = timedelta(days=30)


class Sandbox:
    def __init__(self, cfg: SandboxConfig) -> None:
        self.cfg = cfg
        self.clock = SandboxClock(cfg.now)
        self.store = Store(cfg.db_path)
        self.faults = FaultSettings.from_dict(cfg.faults)
        self.behaviour = Behaviour()
        try:
            secret = self.store.meta("jwt_secret")
            if secret is None:
                secret = os.urandom(64).hex()
                self.store.set_meta("jwt_secret", secret)
            self.secret = bytes.fromhex(secret)
            if self.store.meta("seeded") is None:
                demo.generate(self.store, cfg, self.clock.now())
                self.store.set_meta("seeded", str(cfg.seed))
            elif cfg.refresh_demo:
                self.refresh_demo()
        except (sqlite3.DatabaseError, ValueError) as exc:  # damaged inside, or a bad secret
            self.store.close()
            raise cannot_use(cfg.db_path, exc) from None

    def refresh_demo(self) -> list[str]:
        """Top up links in every state relative to the sandbox's now; the new links' ids."""
        return demo.refresh_demo(self.store, self.cfg, self.clock.now())

    def close(self) -> None:
        self.store.close()
