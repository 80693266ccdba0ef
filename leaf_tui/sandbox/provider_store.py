"""Rows of every provider's credentials and their events (the provider_* tables of store.py).
One credential per provider per Leaf user; `fields` holds the provider's own fields as JSON and
`problem` what the fake provider currently does to it ('' when healthy)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .store import Store

CREDENTIAL_COLUMNS = (
    "id",
    "owner",
    "user_id",
    "provider",
    "status",
    "created_time",
    "fields",
    "problem",
)
EVENT_COLUMNS = ("id", "credential_id", "created_date", "status_code", "headers", "body")


def _rows(store: Store, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]:
    with store.transaction() as conn:
        return [_decode(dict(r)) for r in conn.execute(sql, args).fetchall()]


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    if "fields" in row and isinstance(row["fields"], str):
        row["fields"] = json.loads(row["fields"])
    return row


def credential(store: Store, owner: str, user_id: str, provider: str) -> dict[str, Any] | None:
    rows = _rows(
        store,
        "SELECT * FROM provider_credentials WHERE owner = ? AND user_id = ? AND provider = ?",
        (owner, user_id, provider),
    )
    return rows[0] if rows else None


def credential_for(store: Store, user_id: str, provider: str) -> dict[str, Any] | None:
    """Any owner's (the control API has no owner)."""
    rows = _rows(
        store,
        "SELECT * FROM provider_credentials WHERE user_id = ? AND provider = ?",
        (user_id, provider),
    )
    return rows[0] if rows else None


def credentials(store: Store) -> list[dict[str, Any]]:
    return _rows(store, "SELECT * FROM provider_credentials ORDER BY created_time, id")


def count(store: Store) -> int:
    with store.transaction() as conn:
        return int(conn.execute("SELECT count(*) FROM provider_credentials").fetchone()[0])


def nth(store: Store, n: int) -> dict[str, Any] | None:
    """The n-th credential in a stable order (the simulator picks one without loading all)."""
    rows = _rows(
        store,
        "SELECT * FROM provider_credentials ORDER BY created_time, id LIMIT 1 OFFSET ?",
        (n,),
    )
    return rows[0] if rows else None


def by_user(store: Store, owner: str, user_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Each user's credentials (users without any are left out)."""
    wanted = list(user_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in _rows(
            store,
            f"SELECT * FROM provider_credentials WHERE owner = ? AND user_id IN ({marks}) "
            "ORDER BY provider",
            [owner, *chunk],
        ):
            out.setdefault(row["user_id"], []).append(row)
    return out


def _values(row: dict[str, Any]) -> list[Any]:
    return [
        json.dumps(row[c], sort_keys=True) if c == "fields" else row[c] for c in CREDENTIAL_COLUMNS
    ]


def insert(store: Store, row: dict[str, Any]) -> bool:
    """False when the user already has a credential for this provider."""
    marks = ", ".join("?" * len(CREDENTIAL_COLUMNS))
    try:
        with store.transaction() as conn:
            conn.execute(
                f"INSERT INTO provider_credentials ({', '.join(CREDENTIAL_COLUMNS)}) "
                f"VALUES ({marks})",
                _values(row),
            )
    except sqlite3.IntegrityError:
        return False
    return True


def bulk_insert(
    store: Store, creds: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]
) -> None:
    store.bulk_insert("provider_credentials", CREDENTIAL_COLUMNS, map(_values, creds))
    store.bulk_insert(
        "provider_events", EVENT_COLUMNS, ([e[c] for c in EVENT_COLUMNS] for e in events)
    )


def replace(store: Store, row: dict[str, Any]) -> None:
    """Put this credential in place of the user's one for the same provider (events go too:
    Leaf cannot show a removed credential's events)."""
    with store.transaction() as conn:
        _delete(conn, row["owner"], row["user_id"], row["provider"])
        marks = ", ".join("?" * len(CREDENTIAL_COLUMNS))
        conn.execute(
            f"INSERT INTO provider_credentials ({', '.join(CREDENTIAL_COLUMNS)}) VALUES ({marks})",
            _values(row),
        )


def _delete(conn: sqlite3.Connection, owner: str, user_id: str, provider: str) -> bool:
    found = conn.execute(
        "SELECT id FROM provider_credentials WHERE owner = ? AND user_id = ? AND provider = ?",
        (owner, user_id, provider),
    ).fetchone()
    if found is None:
        return False
    conn.execute("DELETE FROM provider_events WHERE credential_id = ?", (found["id"],))
    conn.execute("DELETE FROM provider_credentials WHERE id = ?", (found["id"],))
    return True


def delete(store: Store, owner: str, user_id: str, provider: str) -> bool:
    with store.transaction() as conn:
        return _delete(conn, owner, user_id, provider)


def update(
    store: Store,
    credential_id: str,
    *,
    status: str | None = None,
    problem: str | None = None,
    fields: dict[str, Any] | None = None,
) -> None:
    sets: list[str] = []
    args: list[Any] = []
    for column, value in (("status", status), ("problem", problem)):
        if value is not None:
            sets.append(f"{column} = ?")
            args.append(value)
    if fields is not None:
        sets.append("fields = ?")
        args.append(json.dumps(fields, sort_keys=True))
    if sets:
        with store.transaction() as conn:
            conn.execute(
                f"UPDATE provider_credentials SET {', '.join(sets)} WHERE id = ?",
                [*args, credential_id],
            )


def insert_event(store: Store, row: dict[str, Any]) -> None:
    store.bulk_insert("provider_events", EVENT_COLUMNS, [[row[c] for c in EVENT_COLUMNS]])


def events_page(
    store: Store, credential_id: str, since: str, *, newest_first: bool, page: int, size: int
) -> tuple[list[tuple[Any, ...]], int]:
    """(id, created_date, status_code, headers, body) tuples of one page, and the total."""
    order = "DESC" if newest_first else "ASC"
    with store.transaction() as conn:
        (total,) = conn.execute(
            "SELECT count(*) FROM provider_events WHERE credential_id = ? AND created_date >= ?",
            (credential_id, since),
        ).fetchone()
        cursor = conn.execute(
            "SELECT id, created_date, status_code, headers, body FROM provider_events "
            "WHERE credential_id = ? AND created_date >= ? "
            f"ORDER BY created_date {order}, seq {order} LIMIT ? OFFSET ?",
            (credential_id, since, size, page * size),
        )
        cursor.row_factory = None
        return cursor.fetchall(), int(total)
