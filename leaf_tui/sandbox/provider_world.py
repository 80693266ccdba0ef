"""The fake providers on the other side of Leaf: what Leaf's background sync of a credential
sees (the provider's status code, headers and body, kept as an event) and the credential status
Leaf derives from it. A credential's `problem` says what its provider currently does to it:

  ''                  healthy: syncs answer 200 (status OK)
  revoked             the grower revoked access: the token endpoint answers 400 invalid_grant
                      (UNAUTHENTICATED)
  missing_permission  a scope is missing: 403 insufficient_scope (MISSING_PERMISSION)
  org_not_granted     an organization has not granted the app access: the provider's 403 for
                      that organization (MISSING_PERMISSION)
  stage_vs_production app keys registered for STAGE used against PRODUCTION: 401
                      invalid_client (UNAUTHENTICATED)
  outage              the provider's API is down: 503/502/500 (TEMPORARILY_UNAVAILABLE)
  rate_limited        429 with Retry-After (TEMPORARILY_UNAVAILABLE)

Outages and rate limits pass by themselves (the activity simulator heals them); the others
last until the grower re-authorises (a new credential) or a test heals them."""

from __future__ import annotations

import json
import random
import secrets
import uuid
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from . import provider_store
from .providers import BY_NAME, USER_FIELDS, Provider
from .store import Store
from .timefmt import db_to_iso, to_db

OK = "OK"
UNAUTHENTICATED = "UNAUTHENTICATED"
MISSING_PERMISSION = "MISSING_PERMISSION"
TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"
PROBLEMS = (
    "revoked",
    "missing_permission",
    "org_not_granted",
    "stage_vs_production",
    "outage",
    "rate_limited",
)
TRANSIENT = ("outage", "rate_limited")
STATUS_OF = {
    "": OK,
    "revoked": UNAUTHENTICATED,
    "missing_permission": MISSING_PERMISSION,
    "org_not_granted": MISSING_PERMISSION,
    "stage_vs_production": UNAUTHENTICATED,
    "outage": TEMPORARILY_UNAVAILABLE,
    "rate_limited": TEMPORARILY_UNAVAILABLE,
}
SERVERS = {
    "JohnDeere": "Deere API Gateway",
    "ClimateFieldView": "Climate Platform API",
    "CNHI": "AFS Connect API",
    "Trimble": "Trimble Agriculture Cloud",
    "Raven": "Raven API",
    "RavenSlingshot": "Slingshot API",
    "AgLeader": "AgLeader SMS Cloud",
    "Stara": "Stara Telemetria",
    "Agvance": "SSI Agvance API",
    "Lindsay": "FieldNET API",
    "Valley": "Valley 365 API",
    "Panorama": "Panorama API",
}


def unusable(provider: Provider, problem: str) -> str | None:
    """Why this problem cannot happen to this provider's credentials, or None."""
    if problem not in PROBLEMS:
        return f"unknown problem {problem!r}; use one of {', '.join(PROBLEMS)}"
    if problem == "revoked" and provider.family != "oauth":
        return f"{provider.label} credentials hold no OAuth refresh token to revoke"
    if problem == "org_not_granted" and not provider.organizations:
        return f"{provider.label} has no organizations that grant access"
    if problem == "stage_vs_production" and not provider.environments:
        return f"{provider.label} credentials have no clientEnvironment"
    return None


def token(rng: random.Random | None = None, n: int = 24) -> str:
    return rng.randbytes(n).hex() if rng is not None else secrets.token_hex(n)


def new_fields(
    provider: Provider, body: dict[str, Any], rng: random.Random | None = None
) -> dict[str, Any]:
    """The stored fields of a credential made from a POST body: Leaf adds what it got from the
    provider (an access token, the scopes granted, a session)."""
    fields = {k: body[k] for k in provider.body if body.get(k) is not None}
    if provider.access_token:
        fields["accessToken"] = token(rng)
    if provider.scopes:
        fields["tokenMetadata"] = {"scopes": list(provider.scopes)}
    if provider.session_id:
        fields["sessionId"] = token(rng, 16)
    return fields


def user_fields(store: Store, owner: str, user_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each user's `*Credentials` fields as the user object carries them: the credential as
    its GET answers it, for the providers Leaf documents in the user object."""
    out: dict[str, dict[str, Any]] = {}
    for user_id, rows in provider_store.by_user(store, owner, user_ids).items():
        for row in rows:
            provider = BY_NAME.get(row["provider"])
            if provider is not None and provider.user_field:
                out.setdefault(user_id, {})[provider.user_field] = credential_json(provider, row)
    return out


def unlink_omitted(store: Store, owner: str, user_id: str, sent: dict[str, Any]) -> list[str]:
    """PUT /users replaces the whole user: a user-object credential the body leaves out (or
    sends as null) is unlinked, as Leaf documents. Agvance and Panorama are not in the user
    object, so a PUT never touches them. The providers unlinked."""
    omitted = [f for f in USER_FIELDS if not sent.get(f)]
    return unlink_fields(store, owner, user_id, omitted)


def unlink_fields(store: Store, owner: str, user_id: str, user_fields: list[str]) -> list[str]:
    """Delete the user's credentials behind these user-object fields; the providers unlinked."""
    gone: list[str] = []
    for row in provider_store.by_user(store, owner, [user_id]).get(user_id, []):
        provider = BY_NAME.get(row["provider"])
        if provider is not None and provider.user_field in user_fields:
            provider_store.delete(store, owner, user_id, provider.name)
            gone.append(provider.name)
    return gone


def credential_json(provider: Provider, row: dict[str, Any]) -> dict[str, Any]:
    """The credential as Leaf's GET answers it: secrets in clear, as Leaf does."""
    fields = row["fields"]
    out: dict[str, Any] = {"id": row["id"]}
    for key in provider.body:
        if key not in provider.hidden:
            out[key] = fields.get(key)
    if provider.access_token:
        out["accessToken"] = fields.get("accessToken")
    if provider.session_id:
        out["sessionId"] = fields.get("sessionId")
    if provider.scopes:
        out["tokenMetadata"] = fields.get("tokenMetadata", {"scopes": []})
    out["status"] = row["status"]
    out["createdTime"] = db_to_iso(row["created_time"], 6)
    return out


def new_row(
    provider: Provider,
    owner: str,
    user_id: str,
    fields: dict[str, Any],
    when: datetime,
    credential_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": credential_id or str(uuid.uuid4()),
        "owner": owner,
        "user_id": user_id,
        "provider": provider.name,
        "status": OK,
        "created_time": to_db(when),
        "fields": fields,
        "problem": "",
    }


# --- what the provider answers ---------------------------------------------------------------
def _headers(provider: Provider, when: datetime, status: int, extra: dict[str, str]) -> str:
    # written out by hand: a 10,000-grower demo makes tens of thousands of these
    date = format_datetime(when, usegmt=True)
    server = json.dumps(SERVERS.get(provider.name, provider.label))
    more = "".join(f",{json.dumps(k)}:[{json.dumps(v)}]" for k, v in extra.items())
    return (
        f'{{"Content-Type":["application/json;charset=UTF-8"],"Date":["{date}"],'
        f'"Server":[{server}]{more}}}'
    )


def _org_id(row: dict[str, Any]) -> str:
    return str(int(row["id"].replace("-", "")[:8], 16) % 900000 + 100000)


def answer(
    provider: Provider, row: dict[str, Any], problem: str, rng: random.Random
) -> tuple[int, dict[str, str], str]:
    """(status code, extra headers, body) of the provider's answer to Leaf's sync."""
    if problem == "revoked":
        return (
            400,
            {"Cache-Control": "no-store"},
            json.dumps(
                {
                    "error": "invalid_grant",
                    "error_description": "The refresh token is invalid or has been revoked "
                    "by the user.",
                }
            ),
        )
    if problem == "missing_permission":
        scope = provider.scopes[-2] if len(provider.scopes) > 1 else "read"
        return (
            403,
            {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            json.dumps(
                {
                    "error": "insufficient_scope",
                    "message": f"The access token lacks the scope {scope} needed for this call.",
                }
            ),
        )
    if problem == "org_not_granted":
        org = _org_id(row)
        return (
            403,
            {},
            json.dumps(
                {
                    "@type": "Errors",
                    "errors": [
                        {
                            "@type": "Error",
                            "message": f"Organization {org} has not granted access to this "
                            "application. Ask the organization to connect it on the "
                            "provider's connections page.",
                            "organizationId": org,
                        }
                    ],
                }
            ),
        )
    if problem == "stage_vs_production":
        return (
            401,
            {"WWW-Authenticate": 'Bearer error="invalid_client"'},
            json.dumps(
                {
                    "error": "invalid_client",
                    "error_description": "Client authentication failed: this client is "
                    "registered for STAGE (sandbox), not PRODUCTION.",
                }
            ),
        )
    if problem == "outage":
        code = rng.choice((503, 503, 502, 500))
        text = {503: "Service Unavailable", 502: "Bad Gateway", 500: "Internal Server Error"}
        return code, {}, json.dumps({"status": code, "error": text[code]})
    if problem == "rate_limited":
        return (
            429,
            {"Retry-After": str(rng.choice((30, 60, 120, 300)))},
            json.dumps({"error": "too_many_requests", "message": "Rate limit exceeded"}),
        )
    fields, operations = rng.randrange(0, 40), rng.randrange(0, 9)
    return 200, {}, f'{{"synced": {{"fields": {fields}, "operations": {operations}}}}}'


def event_row(
    provider: Provider,
    row: dict[str, Any],
    when: datetime,
    problem: str,
    rng: random.Random,
    event_id: str | None = None,
) -> dict[str, Any]:
    status, extra, body = answer(provider, row, problem, rng)
    return {
        "id": event_id or str(uuid.uuid4()),
        "credential_id": row["id"],
        "created_date": to_db(when),
        "status_code": status,
        "headers": _headers(provider, when, status, extra),
        "body": body,
    }


def sync(
    store: Store, provider: Provider, row: dict[str, Any], when: datetime, rng: random.Random
) -> dict[str, Any]:
    """Leaf syncs the credential now: one event, and the status Leaf derives from it."""
    event = event_row(provider, row, when, row["problem"], rng)
    provider_store.insert_event(store, event)
    status = STATUS_OF.get(row["problem"], row["status"])
    if status != row["status"]:
        provider_store.update(store, row["id"], status=status)
    return event


def status_for_code(code: int, current: str) -> str:
    """The status Leaf would give after an event recorded by hand with this code."""
    if 200 <= code < 300:
        return OK
    if code in (400, 401):
        return UNAUTHENTICATED
    if code == 403:
        return MISSING_PERMISSION
    if code == 429 or code >= 500:
        return TEMPORARILY_UNAVAILABLE
    return current
