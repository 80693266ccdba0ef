"""Leaf users under /services/usermanagement/api/users: list (paged, filtered), get, create,
replace (credential objects left out are unlinked) and delete."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import provider_world
from .auth import current_owner, sandbox_of
from .paging import paged_response, requested_page
from .problems import ApiError, FieldError, bad_request, not_found
from .shapes import user_json
from .store import USER_SORT
from .timefmt import to_db
from .validation import Fields, json_object

USER_CREDENTIAL_KEYS = (
    "johnDeereCredentials",
    "climateFieldViewCredentials",
    "cnhiCredentials",
    "trimbleCredentials",
    "ravenCredentials",
    "ravenSlingshotCredentials",
    "agLeaderCredentials",
    "staraCredentials",
    "lindsayCredentials",
    "valleyCredentials",
)
"""The credential objects Leaf's user object documents (user_management_endpoints.md)."""


def _parse_sort(values: list[str]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for raw in values or ["name,asc"]:
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not parts:
            continue
        field, direction = parts[0], (parts[1].lower() if len(parts) > 1 else "asc")
        if field not in USER_SORT or direction not in ("asc", "desc") or len(parts) > 2:
            raise bad_request(
                f"Cannot sort by {raw!r}: use one of {', '.join(USER_SORT)} with ,asc or ,desc",
                FieldError("sort", "unknown sort property or direction", "users"),
            )
        out.append((field, direction == "asc"))
    return out


def _filter(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value if value not in (None, "") else None


async def list_users(request: Request) -> Response:
    owner = current_owner(request)
    page = requested_page(request)
    sort = _parse_sort(request.query_params.getlist("sort"))
    store = sandbox_of(request).store
    rows, total = store.list_users(
        owner,
        name=_filter(request, "name"),
        email=_filter(request, "email"),
        external_id=_filter(request, "externalId"),
        sort=sort,
        offset=page.offset,
        limit=page.size,
    )
    others = provider_world.user_fields(store, owner, [r["id"] for r in rows])
    body = [user_json(r, others.get(r["id"])) for r in rows]
    return paged_response(request, body, total, page)


def owned_user(request: Request, owner: str, user_id: str) -> dict[str, Any]:
    row = sandbox_of(request).store.get_user(owner, user_id)
    if row is None:
        raise not_found(f"Leaf user {user_id}")
    return row


async def get_user(request: Request) -> Response:
    owner = current_owner(request)
    row = owned_user(request, owner, request.path_params["user_id"])
    store = sandbox_of(request).store
    others = provider_world.user_fields(store, owner, [row["id"]])
    return JSONResponse(user_json(row, others.get(row["id"])))


def _read_user_fields(body: Fields) -> dict[str, Any]:
    address = body.data.get("address")
    if address is not None and not isinstance(address, str | dict):
        body.error("address", "must be a string or an object")
        address = None
    elif isinstance(address, str):
        address = body.string("address", max_len=500, blank_ok=True)
    elif isinstance(address, dict) and len(json.dumps(address)) > 2000:
        body.error("address", "is too large")
        address = None
    return {
        "name": body.string("name", max_len=255, blank_ok=True),
        "email": body.string("email", max_len=254, blank_ok=True),
        "phone": body.string("phone", max_len=50, blank_ok=True),
        "address": json.dumps(address) if address is not None else None,
        "external_id": body.string("externalId", max_len=255, blank_ok=True),
    }


def _provider_objects(body: Fields) -> dict[str, Any]:
    """The credential objects a user object carries (kept as sent); null means unlinked. Other
    keys, senteraCredentials among them, are unknown fields: ignored, as Leaf does."""
    out: dict[str, Any] = {}
    for key, value in body.data.items():
        if key not in USER_CREDENTIAL_KEYS:
            continue
        if value is None:
            continue
        if not isinstance(value, dict | list) or len(json.dumps(value)) > 10_000:
            body.error(key, "must be a credentials object or null")
            continue
        out[key] = value
    return out


def new_user_row(owner: str, fields: dict[str, Any], now: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "owner": owner, "providers": "{}", "created": now, **fields}


async def create_user(request: Request) -> Response:
    owner = current_owner(request)
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "leafUser")
    if body.data.get("id") is not None:
        raise ApiError(
            400,
            "A new Leaf user cannot already have an id",
            [FieldError("id", "must be null when creating", "leafUser")],
        )
    fields = _read_user_fields(body)
    providers = _provider_objects(body)
    if not body.errors and not any(fields[k] for k in ("name", "email", "external_id")):
        body.error("name", "give at least one of name, email or externalId")
    body.check("Invalid Leaf user")
    row = new_user_row(owner, fields, to_db(sandbox.clock.now()))
    row["providers"] = json.dumps(providers)
    sandbox.store.insert_user(row)
    location = f"{request.url.path.rstrip('/')}/{row['id']}"
    return JSONResponse(user_json(row), status_code=201, headers={"Location": location})


async def replace_user(request: Request) -> Response:
    owner = current_owner(request)
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "leafUser")
    user_id = body.string("id", max_len=100, required=True)
    fields = _read_user_fields(body)
    providers = _provider_objects(body)
    body.check("Invalid Leaf user")
    assert user_id is not None
    row = owned_user(request, owner, user_id)
    row.update(fields)
    # a full replace: the credential objects left out are unlinked (Sentera, Agvance and
    # Panorama are not in the user object, so a PUT never touches them)
    row["providers"] = json.dumps(providers)
    sandbox.store.update_user(row)
    provider_world.unlink_omitted(sandbox.store, owner, user_id, body.data)
    others = provider_world.user_fields(sandbox.store, owner, [user_id])
    return JSONResponse(user_json(row, others.get(user_id)))


async def patch_user(request: Request) -> Response:
    """PATCH /users/{id} (listed on docs.withleaf.io, its body undocumented; sandbox decides):
    the body holds the fields to change. A credential object given links it, null unlinks it;
    everything left out stays as it is."""
    sandbox = sandbox_of(request)
    if not sandbox.behaviour.patch:
        raise ApiError(405, f"PATCH is not supported on {request.url.path}")
    owner = current_owner(request)
    user_id = request.path_params["user_id"]
    row = owned_user(request, owner, user_id)  # another owner's user is a 404, body or not
    body = Fields(await json_object(request), "leafUser")
    given = body.data.get("id")
    if given is not None and given != user_id:
        body.error("id", "must be the id in the path (or left out)")
    fields = {k: v for k, v in _read_user_fields(body).items() if _json_name(k) in body.data}
    linked = _provider_objects(body)
    unlinked = [k for k in USER_CREDENTIAL_KEYS if k in body.data and body.data[k] is None]
    body.check("Invalid Leaf user")
    row.update(fields)
    providers = {**json.loads(row["providers"]), **linked}
    for key in unlinked:
        providers.pop(key, None)
    row["providers"] = json.dumps(providers)
    sandbox.store.update_user(row)
    provider_world.unlink_fields(sandbox.store, owner, user_id, unlinked)
    others = provider_world.user_fields(sandbox.store, owner, [user_id])
    return JSONResponse(user_json(row, others.get(user_id)))


def _json_name(field: str) -> str:
    return "externalId" if field == "external_id" else field


async def delete_user(request: Request) -> Response:
    owner = current_owner(request)
    if not sandbox_of(request).store.delete_user(owner, request.path_params["user_id"]):
        raise not_found(f"Leaf user {request.path_params['user_id']}")
    return Response(status_code=204)
