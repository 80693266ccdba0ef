"""The fake Sentera on the other side of Leaf: logins, organizations, and what a sync returns.
Credentials POSTed to Leaf are checked against it; syncs notice changed passwords."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from .problems import ApiError, FieldError
from .store import Store
from .timefmt import to_db

OK = "OK"
UNAUTHENTICATED = "UNAUTHENTICATED"


def login(store: Store, username: str, password: str, organization: str) -> dict[str, Any]:
    """The organization {id, name} this login reaches, or a 400 that says what failed."""
    account = store.sentera_account(username)
    if account is None or account["password"] != password:
        raise ApiError(
            400,
            f'Sentera login failed for "{username}": Sentera did not accept the username or '
            "password. Check them with the grower (did they change their Sentera password?).",
            [FieldError("password", "Sentera login failed", "senteraCredentials")],
        )
    orgs: list[dict[str, Any]] = account["organizations"]
    for org in orgs:
        if org["name"] == organization:
            return org
    near = [o["name"] for o in orgs if o["name"].casefold() == organization.casefold()]
    if near:
        detail = (
            f'Organization "{organization}" not found in Sentera; did you mean "{near[0]}"? '
            "Names are case-sensitive."
        )
    else:
        known = ", ".join(f'"{o["name"]}"' for o in orgs) or "none"
        detail = (
            f'Organization "{organization}" not found in Sentera for "{username}" '
            f"(their organizations: {known})."
        )
    raise ApiError(400, detail, [FieldError("organizationName", "not found", "senteraCredentials")])


def _headers(when: datetime, status: int) -> str:
    return json.dumps(
        {
            "Content-Type": ["application/json; charset=utf-8"],
            "Date": [format_datetime(when, usegmt=True)],
            "Server": ["Sentera API"],
            "X-Status": [str(status)],
        },
        separators=(",", ":"),
    )


def _body(status: int, org_name: str, detail: str | None = None) -> str:
    if status == 200:
        return json.dumps(
            {"data": {"organization": {"name": org_name, "fields": {"synced": True}}}}
        )
    if status == 401:
        return json.dumps({"errors": [{"message": detail or "Unauthorized: invalid credentials"}]})
    if status == 404:
        return json.dumps(
            {"errors": [{"message": detail or f'Organization "{org_name}" not found'}]}
        )
    return json.dumps({"errors": [{"message": detail or f"Sentera answered {status}"}]})


def event_row(
    credential: dict[str, Any],
    when: datetime,
    status: int,
    event_id: str,
    body: str | None = None,
    headers: str | None = None,
) -> dict[str, Any]:
    return {
        "id": event_id,
        "credential_id": credential["id"],
        "created_date": to_db(when),
        "status_code": status,
        "headers": headers if headers is not None else _headers(when, status),
        "body": body if body is not None else _body(status, credential["organization_name"]),
    }


def record(
    store: Store,
    credential: dict[str, Any],
    when: datetime,
    status: int,
    body: str | None = None,
    *,
    headers: str | None = None,
) -> dict[str, Any]:
    """Record one exchange; a 401 turns the credential UNAUTHENTICATED, a 200 back to OK.
    `headers` (JSON text) replaces the ones the sandbox would make up."""
    row = event_row(credential, when, status, str(uuid.uuid4()), body, headers)
    store.insert_event(row)
    if status == 401:
        store.set_credential_status(credential["id"], UNAUTHENTICATED)
    elif status == 200:
        store.set_credential_status(credential["id"], OK)
    return row


def sync(store: Store, credential: dict[str, Any], when: datetime) -> dict[str, Any]:
    """What Leaf's periodic sync would see right now."""
    account = store.sentera_account(credential["username"])
    if account is None or account["password"] != credential["password"]:
        return record(
            store,
            credential,
            when,
            401,
            _body(401, "", "Unauthorized: the password for this account has changed"),
        )
    names = [o["name"] for o in account["organizations"]]
    if credential["organization_name"] not in names:
        msg = (
            f'Organization "{credential["organization_name"]}" not found (names are case-sensitive)'
        )
        row = record(store, credential, when, 404, _body(404, "", msg))
        store.set_credential_status(credential["id"], UNAUTHENTICATED)
        return row
    return record(store, credential, when, 200)
