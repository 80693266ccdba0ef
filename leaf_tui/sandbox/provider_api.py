"""GET/POST/DELETE /users/{id}/<segment>-credentials and GET .../events for every provider of
providers.py (Sentera keeps sentera.py). The events list pages like Leaf's other lists."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import provider_store, provider_world
from .auth import current_owner, sandbox_of
from .paging import paged_response, requested_page
from .problems import ApiError, FieldError, bad_request, not_found
from .providers import BY_SEGMENT, ENVIRONMENTS, PROVIDERS, Provider
from .shapes import events_json
from .state import EVENT_RETENTION
from .timefmt import to_db
from .users import owned_user
from .validation import Fields, json_object

MAX_PAGE_SIZE = 100
Endpoint = Callable[[Request], Awaitable[Response]]
SECRET_MAX = 4096


def _target(request: Request) -> tuple[Provider, str, str]:
    provider = BY_SEGMENT[request.scope["sandbox.provider"]]
    owner = current_owner(request)
    user_id: str = request.path_params["user_id"]
    owned_user(request, owner, user_id)
    return provider, owner, user_id


def _missing(provider: Provider, user_id: str) -> ApiError:
    return not_found(f"{provider.label} credentials for Leaf user {user_id}")


async def get_credential(request: Request) -> Response:
    provider, owner, user_id = _target(request)
    row = provider_store.credential(sandbox_of(request).store, owner, user_id, provider.name)
    if row is None:
        raise _missing(provider, user_id)
    return JSONResponse(provider_world.credential_json(provider, row))


def read_body(provider: Provider, data: dict[str, object]) -> dict[str, object]:
    """The documented body fields, checked: a 400 naming every bad field."""
    object_name = provider.name[0].lower() + provider.name[1:] + "Credentials"
    body = Fields(dict(data), object_name)
    out: dict[str, object] = {}
    for key in provider.body:
        required = key not in provider.optional
        value = body.string(key, max_len=SECRET_MAX, required=required)
        if key == "clientEnvironment" and value is not None and value not in ENVIRONMENTS:
            body.error(key, "must be STAGE or PRODUCTION")
        out[key] = value
    body.check(f"Invalid {provider.label} credentials")
    return out


async def create_credential(request: Request) -> Response:
    provider, owner, user_id = _target(request)
    sandbox = sandbox_of(request)
    fields = provider_world.new_fields(provider, read_body(provider, await json_object(request)))
    now = sandbox.clock.now()
    row = provider_world.new_row(provider, owner, user_id, fields, now)
    if not provider_store.insert(sandbox.store, row):
        raise ApiError(
            409,
            f"Leaf user {user_id} already has {provider.label} credentials; delete them first "
            "to connect again",
        )
    # Leaf tries the new credential at once: its first event
    provider_world.sync(sandbox.store, provider, row, now, random.Random())
    return JSONResponse(provider_world.credential_json(provider, row), status_code=201)


async def delete_credential(request: Request) -> Response:
    provider, owner, user_id = _target(request)
    if not provider_store.delete(sandbox_of(request).store, owner, user_id, provider.name):
        raise _missing(provider, user_id)
    return Response(status_code=204)


def _newest_first(request: Request) -> bool:
    values = request.query_params.getlist("sort") or ["createdDate,desc"]
    parts = [p.strip() for p in values[-1].split(",") if p.strip()]
    direction = parts[1].lower() if len(parts) > 1 else "asc"
    if not parts or parts[0] != "createdDate" or direction not in ("asc", "desc"):
        raise bad_request(
            f"Cannot sort events by {values[-1]!r}: use createdDate,desc or createdDate,asc",
            FieldError("sort", "unknown sort property or direction", "events"),
        )
    return direction == "desc"


async def list_events(request: Request) -> Response:
    provider, owner, user_id = _target(request)
    asked = requested_page(request)
    newest_first = _newest_first(request)
    sandbox = sandbox_of(request)
    row = provider_store.credential(sandbox.store, owner, user_id, provider.name)
    if row is None:
        raise _missing(provider, user_id)
    since = to_db(sandbox.clock.now() - EVENT_RETENTION)
    rows, total = provider_store.events_page(
        sandbox.store,
        row["id"],
        since,
        newest_first=newest_first,
        page=asked.page,
        size=asked.size or 1_000_000_000,
    )
    return paged_response(request, events_json(rows), total, asked)


def _for(provider: Provider, handler: Endpoint) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        request.scope["sandbox.provider"] = provider.segment
        return await handler(request)

    endpoint.__name__ = f"{handler.__name__}_{provider.segment.replace('-', '_')}"
    return endpoint


def routes(prefix: str) -> list[Route]:
    """One route per provider and method (an explicit path each, as Leaf lists them)."""
    out: list[Route] = []
    for provider in PROVIDERS:
        path = f"{prefix}/users/{{user_id}}/{provider.segment}-credentials"
        out += [
            Route(path, _for(provider, get_credential), methods=["GET"]),
            Route(path, _for(provider, create_credential), methods=["POST"]),
            Route(path, _for(provider, delete_credential), methods=["DELETE"]),
            Route(f"{path}/events", _for(provider, list_events), methods=["GET"]),
        ]
    return out
