"""Persistence: one sqlite3 connection per sandbox (WAL for files), guarded by a lock so the
server thread, the activity task and tests can share it. Rows in, rows out; no HTTP here."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS owners (email TEXT PRIMARY KEY, password TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL, owner TEXT NOT NULL,
    name TEXT, email TEXT, phone TEXT, address TEXT, external_id TEXT,
    providers TEXT NOT NULL DEFAULT '{}', created TEXT NOT NULL,
    name_key TEXT NOT NULL, email_key TEXT NOT NULL, ext_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS users_owner ON users(owner, seq);
CREATE INDEX IF NOT EXISTS users_name ON users(owner, name_key, seq);
CREATE INDEX IF NOT EXISTS users_email ON users(owner, email_key, seq);
CREATE INDEX IF NOT EXISTS users_ext ON users(owner, ext_key, seq);
CREATE INDEX IF NOT EXISTS users_id ON users(owner, id, seq);
CREATE INDEX IF NOT EXISTS users_phone ON users(owner, phone, seq);
CREATE TABLE IF NOT EXISTS sentera_accounts (
    username TEXT PRIMARY KEY, password TEXT NOT NULL, organizations TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentera_credentials (
    id TEXT PRIMARY KEY, user_id TEXT UNIQUE NOT NULL, owner TEXT NOT NULL,
    status TEXT NOT NULL, created_time TEXT NOT NULL, username TEXT NOT NULL,
    password TEXT NOT NULL, auth_token TEXT NOT NULL,
    organization_id TEXT NOT NULL, organization_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentera_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL, credential_id TEXT NOT NULL, created_date TEXT NOT NULL,
    status_code INTEGER NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_cred ON sentera_events(credential_id, created_date);
CREATE TABLE IF NOT EXISTS links (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, user_id TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, last_accessed_at TEXT,
    max_usage INTEGER NOT NULL, usage_count INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL, allowed_providers TEXT, provider TEXT,
    demo INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS links_owner ON links(owner, kind, seq);
CREATE TABLE IF NOT EXISTS provider_credentials (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, user_id TEXT NOT NULL, provider TEXT NOT NULL,
    status TEXT NOT NULL, created_time TEXT NOT NULL, fields TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '', UNIQUE (user_id, provider));
CREATE TABLE IF NOT EXISTS provider_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL, credential_id TEXT NOT NULL, created_date TEXT NOT NULL,
    status_code INTEGER NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS provider_events_cred ON provider_events(credential_id, created_date);
"""

USER_COLUMNS = (
    "id",
    "owner",
    "name",
    "email",
    "phone",
    "address",
    "external_id",
    "providers",
    "created",
)
# case-folded copies for sorting and filtering with indexes (no per-row Python calls)
USER_KEYS = {"name_key": "name", "email_key": "email", "ext_key": "external_id"}
USER_DB_COLUMNS = (*USER_COLUMNS, *USER_KEYS)
CREDENTIAL_COLUMNS = (
    "id",
    "user_id",
    "owner",
    "status",
    "created_time",
    "username",
    "password",
    "auth_token",
    "organization_id",
    "organization_name",
)
EVENT_COLUMNS = ("id", "credential_id", "created_date", "status_code", "headers", "body")
LINK_COLUMNS = (
    "id",
    "owner",
    "kind",
    "user_id",
    "created_at",
    "expires_at",
    "last_accessed_at",
    "max_usage",
    "usage_count",
    "settings",
    "allowed_providers",
    "provider",
)
# links the demo made (seeded, topped up, or sent by the simulated support engineer) carry
# demo = 1; links made through the API carry 0, and the activity simulator never visits them
DEMO_LINK_COLUMNS = (*LINK_COLUMNS, "demo")

# sortable user fields (API name -> column); everything else is a 400
USER_SORT = {
    "name": "name_key",
    "email": "email_key",
    "externalId": "ext_key",
    "id": "id",
    "phone": "phone",
}


def _lower(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def fold(value: object) -> str:
    return value.casefold() if isinstance(value, str) else ""


def user_values(row: dict[str, Any]) -> list[Any]:
    """A user row as the users table stores it, case-folded keys included."""
    return [row[c] for c in USER_COLUMNS] + [fold(row[src]) for src in USER_KEYS.values()]


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# sqlite's own companions of a database file (they hold the same rows while in use)
SIDE_FILES = ("-wal", "-shm", "-journal")


def make_private(path: str) -> None:
    """Create the data file 0600 before sqlite opens it, and tighten one left 0644 by an
    older version: it holds the token secret and the fake Sentera passwords. sqlite gives
    its -wal/-shm/-journal files the mode of the database file."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with suppress(PermissionError):  # someone else's file (--db): sqlite decides
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in SIDE_FILES:
        with suppress(FileNotFoundError, PermissionError):
            os.chmod(path + suffix, 0o600)


class DataFileError(Exception):
    """The sandbox's data file cannot be used; the message names it and says how to go on."""


def cannot_use(path: str, exc: BaseException) -> DataFileError:
    """What is wrong with the data file at `path`, and the way out, in one line."""
    shown = repr(path)
    if isinstance(exc, FileNotFoundError):
        folder = os.path.dirname(os.path.abspath(path))
        why = f"its folder {folder!r} does not exist: create it, or choose another path"
    elif isinstance(exc, IsADirectoryError):
        why = "it is a folder: give the path of a file (created if missing)"
    elif isinstance(exc, PermissionError):
        why = "permission denied: fix its permissions, or choose another path"
    elif isinstance(exc, sqlite3.DatabaseError):
        why = (
            f"it is not a sandbox database ({exc}); delete it to start again with fresh demo "
            f"data (rm {shown}), or choose another path"
        )
    else:
        why = f"{exc}; delete it to start again with fresh demo data (rm {shown})"
    return DataFileError(f"the sandbox data file {shown} cannot be used: {why}")


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        """Open (or create) the data. DataFileError when the file cannot be used: a folder, a
        missing folder, no permission, or a file that is not a sandbox database."""
        self._lock = threading.RLock()
        # a "file:" path is an SQLite URI (such as a named in-memory database), not a file
        is_uri = path.startswith("file:")
        try:
            if path not in ("", ":memory:") and not is_uri:
                make_private(path)
            self._conn = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, uri=is_uri
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.create_function("fold", 1, _lower, deterministic=True)
            if path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise cannot_use(path, exc) from None

    def _migrate(self) -> None:
        """Sandbox data is disposable demo data: a file from an older layout starts over."""
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            tables = [
                r[0]
                for r in self._conn.execute(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            for table in tables:
                self._conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        self._conn.executescript(SCHEMA)
        self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _one(self, sql: str, args: Sequence[Any] = ()) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(sql, args).fetchone()
        return dict(row) if row is not None else None

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute(sql, args).fetchall()]

    def _exec(self, sql: str, args: Sequence[Any] = ()) -> int:
        with self.transaction() as conn:
            return conn.execute(sql, args).rowcount

    # --- meta and owners -------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def owner_password(self, email: str) -> str | None:
        row = self._one("SELECT password FROM owners WHERE fold(email) = fold(?)", (email,))
        return row["password"] if row else None

    def owner_email(self, email: str) -> str | None:
        row = self._one("SELECT email FROM owners WHERE fold(email) = fold(?)", (email,))
        return row["email"] if row else None

    def owners(self) -> list[str]:
        return [r["email"] for r in self._all("SELECT email FROM owners ORDER BY email")]

    # --- bulk load (demo) -------------------------------------------------------------------
    def bulk_insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        with self.transaction() as conn:
            conn.executemany(_insert_sql(table, columns), rows)

    # --- users ------------------------------------------------------------------------------
    def insert_users(self, rows: Iterable[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            conn.executemany(_insert_sql("users", USER_DB_COLUMNS), map(user_values, rows))

    def insert_user(self, row: dict[str, Any]) -> None:
        self.insert_users([row])

    def get_user(self, owner: str, user_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM users WHERE owner = ? AND id = ?", (owner, user_id))

    def user_by_external_id(self, owner: str, external_id: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM users WHERE owner = ? AND ext_key = ? ORDER BY seq",
            (owner, fold(external_id)),
        )

    def list_users(
        self,
        owner: str,
        *,
        name: str | None,
        email: str | None,
        external_id: str | None,
        sort: list[tuple[str, bool]],
        offset: int,
        limit: int | None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page and the total. Filters: name a case-insensitive substring, email and
        externalId exact but case-insensitive."""
        where = ["owner = ?"]
        args: list[Any] = [owner]
        # every sort has an (owner, key, seq) index, so a page is an index walk, not a sort;
        # an exact filter names its own index: without statistics sqlite would rather walk
        # the sort's index over every user than sort the one or two that match
        source = "users"
        if name is not None:
            where.append("instr(name_key, ?) > 0")
            args.append(fold(name))
        if email is not None:
            where.append("email_key = ?")
            args.append(fold(email))
            source = "users INDEXED BY users_email"
        if external_id is not None:
            where.append("ext_key = ?")
            args.append(fold(external_id))
            source = "users INDEXED BY users_ext"
        clause = " AND ".join(where)
        order = [f"{USER_SORT[f]} {'ASC' if asc else 'DESC'}" for f, asc in sort]
        # ties go by creation order, in the sort's direction: one index serves asc and desc,
        # and a descending list is the ascending one reversed
        order.append("seq DESC" if sort and not sort[-1][1] else "seq ASC")
        with self._lock:
            total = self._conn.execute(
                f"SELECT count(*) FROM users WHERE {clause}", args
            ).fetchone()[0]
            rows = self._conn.execute(
                f"SELECT * FROM {source} WHERE {clause} "
                f"ORDER BY {', '.join(order)} LIMIT ? OFFSET ?",
                [*args, -1 if limit is None else limit, offset],
            ).fetchall()
        return [dict(r) for r in rows], int(total)

    def update_user(self, row: dict[str, Any]) -> None:
        values = dict(zip(USER_DB_COLUMNS, user_values(row), strict=True))
        cols = [c for c in USER_DB_COLUMNS if c not in ("id", "owner", "created")]
        self._exec(
            f"UPDATE users SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ? AND owner = ?",
            [*(values[c] for c in cols), row["id"], row["owner"]],
        )

    def delete_user(self, owner: str, user_id: str) -> bool:
        with self.transaction() as conn:
            gone = conn.execute("DELETE FROM users WHERE owner = ? AND id = ?", (owner, user_id))
            if not gone.rowcount:
                return False
            self._delete_credential(conn, owner, user_id)
            conn.execute(
                "DELETE FROM provider_events WHERE credential_id IN "
                "(SELECT id FROM provider_credentials WHERE owner = ? AND user_id = ?)",
                (owner, user_id),
            )
            conn.execute(
                "DELETE FROM provider_credentials WHERE owner = ? AND user_id = ?", (owner, user_id)
            )
            conn.execute("DELETE FROM links WHERE owner = ? AND user_id = ?", (owner, user_id))
        return True

    def user_ids(self, owner: str) -> list[str]:
        rows = self._all("SELECT id FROM users WHERE owner = ? ORDER BY seq", (owner,))
        return [r["id"] for r in rows]

    def user_names(self, owner: str, ids: Iterable[str]) -> dict[str, str | None]:
        wanted = list(set(ids))
        out: dict[str, str | None] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._all(
                f"SELECT id, name FROM users WHERE owner = ? AND id IN ({marks})", [owner, *chunk]
            ):
                out[r["id"]] = r["name"]
        return out

    # --- the fake Sentera world -------------------------------------------------------------
    def sentera_account(self, username: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM sentera_accounts WHERE username = ?", (username,))
        if row:
            row["organizations"] = json.loads(row["organizations"])
        return row

    def sentera_accounts(self) -> list[dict[str, Any]]:
        rows = self._all("SELECT * FROM sentera_accounts ORDER BY username")
        for row in rows:
            row["organizations"] = json.loads(row["organizations"])
        return rows

    def set_sentera_password(self, username: str, password: str) -> bool:
        return bool(
            self._exec(
                "UPDATE sentera_accounts SET password = ? WHERE username = ?", (password, username)
            )
        )

    # --- Sentera credentials and events -----------------------------------------------------
    def credential(self, owner: str, user_id: str) -> dict[str, Any] | None:
        return self._one(
            "SELECT * FROM sentera_credentials WHERE owner = ? AND user_id = ?", (owner, user_id)
        )

    def credential_for_user(self, user_id: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM sentera_credentials WHERE user_id = ?", (user_id,))

    def credentials(self) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM sentera_credentials ORDER BY user_id")

    def credentials_by_user(self, owner: str, user_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = list(user_ids)
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._all(
                f"SELECT * FROM sentera_credentials WHERE owner = ? AND user_id IN ({marks})",
                [owner, *chunk],
            ):
                out[r["user_id"]] = r
        return out

    def insert_credential(self, row: dict[str, Any]) -> bool:
        """False when the user already has one (the unique user_id says so)."""
        try:
            self._exec(
                _insert_sql("sentera_credentials", CREDENTIAL_COLUMNS),
                [row[c] for c in CREDENTIAL_COLUMNS],
            )
        except sqlite3.IntegrityError:
            return False
        return True

    @staticmethod
    def _delete_credential(conn: sqlite3.Connection, owner: str, user_id: str) -> bool:
        row = conn.execute(
            "SELECT id FROM sentera_credentials WHERE owner = ? AND user_id = ?", (owner, user_id)
        ).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM sentera_events WHERE credential_id = ?", (row["id"],))
        conn.execute("DELETE FROM sentera_credentials WHERE id = ?", (row["id"],))
        return True

    def delete_credential(self, owner: str, user_id: str) -> bool:
        with self.transaction() as conn:
            return self._delete_credential(conn, owner, user_id)

    def set_credential_status(self, credential_id: str, status: str) -> None:
        self._exec(
            "UPDATE sentera_credentials SET status = ? WHERE id = ?", (status, credential_id)
        )

    def insert_event(self, row: dict[str, Any]) -> None:
        self._exec(_insert_sql("sentera_events", EVENT_COLUMNS), [row[c] for c in EVENT_COLUMNS])

    def events(self, credential_id: str, since: str) -> list[dict[str, Any]]:
        return self._all(
            "SELECT * FROM sentera_events WHERE credential_id = ? AND created_date >= ? "
            "ORDER BY created_date DESC, seq DESC",
            (credential_id, since),
        )

    def event_tuples(
        self,
        credential_id: str,
        since: str,
        *,
        newest_first: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[list[tuple[Any, ...]], int]:
        """(id, created_date, status_code, headers, body) of one page, as plain tuples, and the
        total; oldest first (as stored) unless `newest_first`."""
        order = "DESC" if newest_first else "ASC"
        with self._lock:
            (total,) = self._conn.execute(
                "SELECT count(*) FROM sentera_events WHERE credential_id = ? AND created_date >= ?",
                (credential_id, since),
            ).fetchone()
            cursor = self._conn.execute(
                "SELECT id, created_date, status_code, headers, body FROM sentera_events "
                "WHERE credential_id = ? AND created_date >= ? "
                f"ORDER BY created_date {order}, seq {order} LIMIT ? OFFSET ?",
                (credential_id, since, -1 if limit is None else limit, offset),
            )
            cursor.row_factory = None
            return cursor.fetchall(), int(total)

    # --- magic links ------------------------------------------------------------------------
    def insert_link(self, row: dict[str, Any]) -> None:
        self._exec(_insert_sql("links", LINK_COLUMNS), [row[c] for c in LINK_COLUMNS])

    def insert_demo_links(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows in LINK_COLUMNS order, marked as the demo's own."""
        self.bulk_insert("links", DEMO_LINK_COLUMNS, ([*row, 1] for row in rows))

    def link(
        self, link_id: str, owner: str | None = None, kind: str | None = None
    ) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM links WHERE id = ?", (link_id,))
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        if kind is not None and row["kind"] != kind:
            return None
        return row

    def links(
        self, owner: str, kind: str, offset: int = 0, limit: int | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the owner's links of a kind, in creation order, and their total."""
        with self._lock:
            (total,) = self._conn.execute(
                "SELECT count(*) FROM links WHERE owner = ? AND kind = ?", (owner, kind)
            ).fetchone()
            rows = self._conn.execute(
                "SELECT * FROM links WHERE owner = ? AND kind = ? ORDER BY seq LIMIT ? OFFSET ?",
                (owner, kind, -1 if limit is None else limit, offset),
            ).fetchall()
        return [dict(r) for r in rows], int(total)

    def owner_links(self, owner: str) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM links WHERE owner = ? ORDER BY seq", (owner,))

    def prune_expired_links(self, owner: str, keep: int, now: str, at_most: int = 2) -> int:
        """Delete up to `at_most` of the owner's longest-expired links while they have more
        than `keep` (a few at a time: a big kept demo shrinks gradually, not at once)."""
        with self.transaction() as conn:
            sql = "SELECT count(*) FROM links WHERE owner = ?"
            (count,) = conn.execute(sql, (owner,)).fetchone()
            if count <= keep:
                return 0
            return conn.execute(
                "DELETE FROM links WHERE id IN (SELECT id FROM links WHERE owner = ? "
                "AND expires_at <= ? ORDER BY expires_at, seq LIMIT ?)",
                (owner, now, min(count - keep, at_most)),
            ).rowcount

    def open_demo_link_ids(self, now: str) -> list[str]:
        """The demo's own links a grower could still open: not expired, not used up."""
        rows = self._all(
            "SELECT id FROM links WHERE demo = 1 AND expires_at > ? AND usage_count < max_usage "
            "ORDER BY seq",
            (now,),
        )
        return [r["id"] for r in rows]

    def all_links(self) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM links ORDER BY seq")

    def delete_link(self, owner: str, kind: str, link_id: str) -> bool:
        return bool(
            self._exec(
                "DELETE FROM links WHERE owner = ? AND kind = ? AND id = ?", (owner, kind, link_id)
            )
        )

    def try_visit(self, link_id: str, when: str) -> tuple[str, dict[str, Any] | None]:
        """Count one use atomically: ("ok"|"missing"|"expired"|"used_up", the row after)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM links WHERE id = ?", (link_id,)).fetchone()
            if row is None:
                return "missing", None
            if row["expires_at"] <= when:
                return "expired", dict(row)
            if row["usage_count"] >= row["max_usage"]:
                return "used_up", dict(row)
            conn.execute(
                "UPDATE links SET usage_count = usage_count + 1, last_accessed_at = ? WHERE id = ?",
                (when, link_id),
            )
            after = conn.execute("SELECT * FROM links WHERE id = ?", (link_id,)).fetchone()
        return "ok", dict(after)

    # --- counts (control API) ---------------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {
            o: {"users": 0, "links": 0, "credentials": 0, "events": 0} for o in self.owners()
        }
        queries = {
            "users": "SELECT owner, count(*) FROM users GROUP BY owner",
            "links": "SELECT owner, count(*) FROM links GROUP BY owner",
            "credentials": "SELECT owner, count(*) FROM sentera_credentials GROUP BY owner",
            "events": "SELECT c.owner, count(*) FROM sentera_events e "
            "JOIN sentera_credentials c ON c.id = e.credential_id GROUP BY c.owner",
        }
        with self._lock:
            for name, sql in queries.items():
                for owner, n in self._conn.execute(sql).fetchall():
                    out.setdefault(owner, {"users": 0, "links": 0, "credentials": 0, "events": 0})
                    out[owner][name] = int(n)
        return out

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every data row, in a stable order: the demo determinism test compares two of these."""
        tables = {
            "owners": "SELECT * FROM owners ORDER BY email",
            "users": "SELECT * FROM users ORDER BY seq",
            "sentera_accounts": "SELECT * FROM sentera_accounts ORDER BY username",
            "sentera_credentials": "SELECT * FROM sentera_credentials ORDER BY id",
            "sentera_events": "SELECT * FROM sentera_events ORDER BY seq",
            "links": "SELECT * FROM links ORDER BY seq",
            "provider_credentials": "SELECT * FROM provider_credentials ORDER BY id",
            "provider_events": "SELECT * FROM provider_events ORDER BY seq",
        }
        return {name: self._all(sql) for name, sql in tables.items()}
