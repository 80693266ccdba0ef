"""Rows to the JSON shapes Leaf answers with (field names, order, timestamp precision)."""

from __future__ import annotations

import json
from typing import Any

from .providers import USER_FIELDS
from .timefmt import db_to_iso

WIDGETS = {"provider": "PROVIDER", "authentication": "AUTHENTICATION", "file-upload": "FILEUPLOAD"}
DEFAULT_SETTINGS: dict[str, Any] = {
    "backgroundColor": "#F5F5F5",
    "headerImage": None,
    "companyLogo": None,
    "companyName": None,
    "showLeafUserName": False,
    "disconnectEnabled": False,
}


def _ts(value: str | None, digits: int) -> str | None:
    return db_to_iso(value, digits) if value else None


def credential_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "status": row["status"],
        "createdTime": _ts(row["created_time"], 6),
        "username": row["username"],
        "authToken": row["auth_token"],
        "organizationId": row["organization_id"],
        "organizationName": row["organization_name"],
    }


def user_json(row: dict[str, Any], provider_fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """Only the fields Leaf documents: no Sentera (nor Agvance or Panorama) credential, which
    is known only by asking its own endpoint. provider_fields: the user's credentials by
    user-object field (provider_world)."""
    address = row["address"]
    out: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "address": json.loads(address) if address is not None else None,
        "externalId": row["external_id"],
    }
    # only the `*Credentials` fields Leaf documents; a real credential wins over an object
    # sent with the user
    sent = json.loads(row["providers"])
    out.update({k: v for k, v in sent.items() if k in USER_FIELDS})
    out.update(provider_fields or {})
    return out


def event_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "createdDate": _ts(row["created_date"], 6),
        "statusCode": row["status_code"],
        "headers": row["headers"],
        "body": row["body"],
    }


def events_json(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """event_json for Store.event_tuples rows, without building a row dict per event."""
    return [
        {
            "id": event_id,
            "createdDate": _ts(created, 6),
            "statusCode": status,
            "headers": headers,
            "body": body,
        }
        for event_id, created, status, headers, body in rows
    ]


def link_url(base: str, link_id: str) -> str:
    return f"{base.rstrip('/')}/magic-link/{link_id}"


def link_json(row: dict[str, Any], base: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row["id"],
        "link": link_url(base, row["id"]),
        "createdAt": _ts(row["created_at"], 3),
        "expiresAt": _ts(row["expires_at"], 3),
        "lastAccessedAt": _ts(row["last_accessed_at"], 3),
        "leafUserId": row["user_id"],
        "maxUsage": row["max_usage"],
        "usageCount": row["usage_count"],
        "widget": WIDGETS[row["kind"]],
        "settings": {**DEFAULT_SETTINGS, **json.loads(row["settings"])},
    }
    if row["kind"] == "provider":
        out["allowedProviders"] = json.loads(row["allowed_providers"] or "[]")
    elif row["kind"] == "authentication":
        out["provider"] = row["provider"]
    return out


def created_link_json(row: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "leafUserId": row["user_id"],
        "link": link_url(base, row["id"]),
        "expiresAt": _ts(row["expires_at"], 9),
    }
