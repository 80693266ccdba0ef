"""Magic links under /services/widgets/api/magic-link: list, get, create (for a user, or with
user creation by externalId) and delete, for all three kinds."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import current_owner, sandbox_of
from .link_requests import KINDS, MAX_USAGE, read_link_request
from .paging import paged_response, requested_page
from .problems import not_found
from .shapes import created_link_json, link_json
from .timefmt import to_db
from .users import new_user_row, owned_user
from .validation import Fields, json_object


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _kind(request: Request) -> str:
    kind: str = request.path_params["kind"]
    if kind not in KINDS:
        raise not_found(f"Magic link kind {kind!r} (use provider, authentication or file-upload)")
    return kind


async def list_links(request: Request) -> Response:
    owner = current_owner(request)
    kind = _kind(request)
    base = base_url(request)
    page = requested_page(request)
    rows, total = sandbox_of(request).store.links(owner, kind, page.offset, page.size)
    return paged_response(request, [link_json(r, base) for r in rows], total, page)


async def get_link(request: Request) -> Response:
    owner = current_owner(request)
    kind = _kind(request)
    row = sandbox_of(request).store.link(request.path_params["link_id"], owner, kind)
    if row is None:
        raise not_found(f"Magic link {request.path_params['link_id']}")
    return JSONResponse(link_json(row, base_url(request)))


async def delete_link(request: Request) -> Response:
    owner = current_owner(request)
    kind = _kind(request)
    if not sandbox_of(request).store.delete_link(owner, kind, request.path_params["link_id"]):
        raise not_found(f"Magic link {request.path_params['link_id']}")
    return Response(status_code=204)


def _insert(
    request: Request, owner: str, kind: str, user_id: str, spec: dict[str, Any]
) -> Response:
    sandbox = sandbox_of(request)
    now = sandbox.clock.now()
    row = {
        "id": str(uuid.uuid4()),
        "owner": owner,
        "kind": kind,
        "user_id": user_id,
        "created_at": to_db(now),
        "expires_at": to_db(now + timedelta(seconds=spec["expires_in"])),
        "last_accessed_at": None,
        "max_usage": MAX_USAGE,
        "usage_count": 0,
        "settings": json.dumps(spec["settings"]),
        "allowed_providers": json.dumps(spec["allowed_providers"])
        if spec["allowed_providers"] is not None
        else None,
        "provider": spec["provider"],
    }
    sandbox.store.insert_link(row)
    return JSONResponse(created_link_json(row, base_url(request)), status_code=201)


async def create_for_user(request: Request) -> Response:
    owner = current_owner(request)
    kind = _kind(request)
    user = owned_user(request, owner, request.path_params["user_id"])
    body = Fields(await json_object(request, required=False), "magicLink")
    spec = read_link_request(body, kind)
    body.check("Invalid magic link request")
    return _insert(request, owner, kind, user["id"], spec)


async def create_with_user(request: Request) -> Response:
    owner = current_owner(request)
    kind = _kind(request)
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "magicLink")
    external_id = body.string("externalId", max_len=255, required=True)
    name = body.string("name", max_len=255)
    email = body.string("email", max_len=254)
    spec = read_link_request(body, kind)
    body.check("Invalid magic link request")
    assert external_id is not None
    user = sandbox.store.user_by_external_id(owner, external_id)
    if user is None:
        fields = {
            "name": name or external_id,
            "email": email or external_id,
            "phone": None,
            "address": None,
            "external_id": external_id,
        }
        user = new_user_row(owner, fields, to_db(sandbox.clock.now()))
        sandbox.store.insert_user(user)
    return _insert(request, owner, kind, user["id"], spec)
