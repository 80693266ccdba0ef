"""The tests' sandboxes start from a copy of demo data seeded once per test process.

Seeding the demo (40 users, 60 links, 65 provider histories) takes ~65 ms of CPU, and ~760
tests start a sandbox; copying instead took the default run's CPU from 7m04 to 6m42 (2 cores,
quiet). The demo is a function of the seed, the counts and the clock, so with the tests' frozen
clock a copy (SQLite's backup, ~1 ms) holds exactly what seeding again would. Each copy is its
own in-memory database, named so that the sandbox's Store can open it (SQLite's memdb VFS); it
is freed when the sandbox closes it. A config with a real clock, a file or a demo to refresh
seeds as before, as does every sandbox where SQLite has no memdb VFS (before 3.36).
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from leaf_tui.sandbox.config import SandboxConfig
from leaf_tui.sandbox.state import Sandbox

_templates: dict[tuple[object, ...], sqlite3.Connection] = {}
_numbers = itertools.count()


def _memdb(kind: str) -> str:
    return f"file:/leaf-{kind}-{next(_numbers)}?vfs=memdb"


def _template(cfg: SandboxConfig, key: tuple[object, ...]) -> sqlite3.Connection:
    """The seeded database for `key`, kept open (an in-memory database lives while it is)."""
    template = _templates.get(key)
    if template is None:
        name = _memdb("template")
        template = sqlite3.connect(name, uri=True, check_same_thread=False)
        Sandbox(replace(cfg, db_path=name)).close()  # seeds it
        _templates[key] = template
    return template


@functools.cache
def memdb_works() -> bool:
    """SQLite's memdb VFS is built in since 3.36; an older library seeds each sandbox anew."""
    try:
        sqlite3.connect(_memdb("probe"), uri=True).close()
    except sqlite3.OperationalError:
        return False
    return True


@contextmanager
def seeded_copy(cfg: SandboxConfig) -> Iterator[SandboxConfig]:
    """`cfg` on a fresh copy of its seeded demo data, with a token secret of its own; start
    the sandbox inside the block (the copy is held open until the sandbox has opened it)."""
    if cfg.db_path != ":memory:" or cfg.now is None or cfg.refresh_demo or not memdb_works():
        yield cfg
        return
    key = (cfg.seed, cfg.users, cfg.links, cfg.events, cfg.now())
    name = _memdb("sandbox")
    copy = sqlite3.connect(name, uri=True, isolation_level=None)
    try:
        _template(cfg, key).backup(copy)
        copy.execute("DELETE FROM meta WHERE key = 'jwt_secret'")  # the Sandbox makes its own
        yield replace(cfg, db_path=name)
    finally:
        copy.close()
