"""Leaf users under /services/usermanagement/api/users: list (paged, filtered), get, create,
replace (credential objects left out are unlinked) and delete."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import provider_world
from .auth import current_owner, sandbox_of
from .problems import ApiError, FieldError, bad_request, not_found
from .shapes import user_json
from .store import USER_SORT
from .timefmt import to_db
from .validation import Fields, json_object, query_int

MAX_PAGE_SIZE = 100
SENTERA_KEY = "senteraCredentials"
_CORE = ("id", "name", "email", "phone", "address", "externalId")


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


def _link_header(request: Request, page: int, size: int, total: int) -> str:
    base = str(request.url.replace(query=""))
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "size")]
    last = max((total - 1) // size, 0)

    def url(p: int) -> str:
        return f"{base}?{urlencode([('page', p), ('size', size), *keep])}"

    rels = []
    if page < last:
        rels.append(f'<{url(page + 1)}>; rel="next"')
    if page > 0:
        rels.append(f'<{url(min(page - 1, last))}>; rel="prev"')
    rels.append(f'<{url(last)}>; rel="last"')
    rels.append(f'<{url(0)}>; rel="first"')
    return ",".join(rels)


def _filter(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value if value not in (None, "") else None


async def list_users(request: Request) -> Response:
    owner = current_owner(request)
    page = query_int(request, "page", 0, low=0, high=1_000_000_000)
    size = query_int(request, "size", 20, low=1, high=MAX_PAGE_SIZE)
    sort = _parse_sort(request.query_params.getlist("sort"))
    store = sandbox_of(request).store
    rows, total = store.list_users(
        owner,
        name=_filter(request, "name"),
        email=_filter(request, "email"),
        external_id=_filter(request, "externalId"),
        sort=sort,
        page=page,
        size=size,
    )
    creds = store.credentials_by_user(owner, [r["id"] for r in rows])
    others = provider_world.user_fields(store, owner, [r["id"] for r in rows])
    body = [user_json(r, creds.get(r["id"]), others.get(r["id"])) for r in rows]
    headers = {"X-Total-Count": str(total), "Link": _link_header(request, page, size, total)}
    return JSONResponse(body, headers=headers)


def owned_user(request: Request, owner: str, user_id: str) -> dict[str, Any]:
    row = sandbox_of(request).store.get_user(owner, user_id)
    if row is None:
        raise not_found(f"Leaf user {user_id}")
    return row


async def get_user(request: Request) -> Response:
    owner = current_owner(request)
    row = owned_user(request, owner, request.path_params["user_id"])
    store = sandbox_of(request).store
    cred = store.credential(owner, row["id"])
    others = provider_world.user_fields(store, owner, [row["id"]])
    return JSONResponse(user_json(row, cred, others.get(row["id"])))


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
    """Other providers' credential objects (kept as sent); null means unlinked."""
    out: dict[str, Any] = {}
    for key, value in body.data.items():
        if key == SENTERA_KEY or key in _CORE or not key.endswith("Credentials"):
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
    return JSONResponse(user_json(row, None), status_code=201, headers={"Location": location})


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
    row["providers"] = json.dumps(providers)
    sandbox.store.update_user(row)
    if not body.data.get(SENTERA_KEY):
        # the Sentera object was left out: unlink it, as Leaf does on PUT
        sandbox.store.delete_credential(owner, user_id)
    provider_world.unlink_omitted(sandbox.store, owner, user_id, body.data)
    others = provider_world.user_fields(sandbox.store, owner, [user_id])
    return JSONResponse(
        user_json(row, sandbox.store.credential(owner, user_id), others.get(user_id))
    )


async def delete_user(request: Request) -> Response:
    owner = current_owner(request)
    if not sandbox_of(request).store.delete_user(owner, request.path_params["user_id"]):
        raise not_found(f"Leaf user {request.path_params['user_id']}")
    return Response(status_code=204)
