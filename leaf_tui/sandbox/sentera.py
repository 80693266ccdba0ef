"""Sentera credentials of one Leaf user: GET/POST/DELETE .../sentera-credentials and .../events."""

from __future__ import annotations

import secrets
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import sentera_world
from .auth import current_owner, sandbox_of
from .paging import paged_response, requested_page
from .problems import ApiError, FieldError, bad_request, not_found
from .shapes import credential_json, events_json
from .state import EVENT_RETENTION
from .timefmt import to_db
from .users import owned_user
from .validation import Fields, json_object


def _user_id(request: Request) -> tuple[str, str]:
    owner = current_owner(request)
    user_id: str = request.path_params["user_id"]
    owned_user(request, owner, user_id)
    return owner, user_id


async def get_credential(request: Request) -> Response:
    owner, user_id = _user_id(request)
    sandbox = sandbox_of(request)
    row = sandbox.store.credential(owner, user_id)
    if row is None:
        # 404 is the sandbox's choice; the control API can answer as other servers might
        answer = sandbox.behaviour.no_credential
        if answer == "empty":
            return Response(status_code=200, media_type="application/json")
        if answer == "null":
            return JSONResponse(None)
        raise not_found(f"Sentera credentials for Leaf user {user_id}")
    return JSONResponse(credential_json(row))


async def create_credential(request: Request) -> Response:
    owner, user_id = _user_id(request)
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "senteraCredentials")
    username = body.string("username", max_len=254, required=True)
    password = body.string("password", max_len=256, required=True, blank_ok=True)
    organization = body.string("organizationName", max_len=255, required=True)
    body.check("Invalid Sentera credentials")
    assert username is not None and password is not None and organization is not None
    if sandbox.store.credential(owner, user_id) is not None:
        raise ApiError(
            409,
            f"Leaf user {user_id} already has Sentera credentials; delete them "
            "first to connect again",
        )
    org = sentera_world.login(sandbox.store, username, password, organization)
    now = sandbox.clock.now()
    row = {
        "id": str(uuid.uuid4()),
        "user_id": user_id,
        "owner": owner,
        "status": sentera_world.OK,
        "created_time": to_db(now),
        "username": username,
        "password": password,
        "auth_token": secrets.token_hex(20),
        "organization_id": org["id"],
        "organization_name": org["name"],
    }
    if not sandbox.store.insert_credential(row):
        raise ApiError(409, f"Leaf user {user_id} already has Sentera credentials")
    sentera_world.record(sandbox.store, row, now, 200)
    return JSONResponse(credential_json(row), status_code=201)


async def delete_credential(request: Request) -> Response:
    owner, user_id = _user_id(request)
    if not sandbox_of(request).store.delete_credential(owner, user_id):
        raise not_found(f"Sentera credentials for Leaf user {user_id}")
    return Response(status_code=204)


async def list_events(request: Request) -> Response:
    owner, user_id = _user_id(request)
    sandbox = sandbox_of(request)
    row = sandbox.store.credential(owner, user_id)
    if row is None:
        raise not_found(f"Sentera credentials for Leaf user {user_id}")
    since = to_db(sandbox.clock.now() - EVENT_RETENTION)
    page = requested_page(request)
    rows, total = sandbox.store.event_tuples(
        row["id"],
        since,
        newest_first=_newest_first(request),
        offset=page.offset,
        limit=page.size,
    )
    return paged_response(request, events_json(rows), total, page)


def _newest_first(request: Request) -> bool:
    """sort=createdDate,desc (sandbox decides: the one sort the events list takes); without
    it, or when told to ignore it, oldest first as stored. Any other sort is a 400."""
    values = request.query_params.getlist("sort")
    if not values or not sandbox_of(request).behaviour.event_sort:
        return False
    newest = False
    for raw in values:
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        direction = parts[1].lower() if len(parts) > 1 else "asc"
        if not parts or parts[0] != "createdDate" or direction not in ("asc", "desc"):
            raise bad_request(
                f"Cannot sort events by {raw!r}: use createdDate,desc or createdDate,asc",
                FieldError("sort", "unknown sort property or direction", "events"),
            )
        newest = direction == "desc"
    return newest
