"""The control API for every provider's credentials (no auth, like the rest of /_sandbox/):

  GET  /_sandbox/providers                               providers, problems, statuses
  POST /_sandbox/providers/{provider}/{user_id}/break    {"problem": one of PROBLEMS}
  POST /_sandbox/providers/{provider}/{user_id}/heal
  POST /_sandbox/providers/{provider}/{user_id}/sync     one sync now, as Leaf's background does
  POST /_sandbox/providers/{provider}/{user_id}/events   {"statusCode": int, "body": str,
                                                          "headers": str} recorded as is

{provider} is Leaf's name (JohnDeere), the path segment (john-deere) or the user field."""

from __future__ import annotations

import json
import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import provider_store, provider_world
from .auth import sandbox_of
from .problems import bad_request, not_found
from .providers import PROVIDERS, Provider, lookup
from .shapes import event_json
from .validation import Fields, json_object


def _target(request: Request) -> tuple[Provider, dict[str, Any]]:
    name = request.path_params["provider"]
    provider = lookup(name)
    if provider is None:
        known = ", ".join(p.name for p in PROVIDERS)
        raise not_found(f"Provider {name[:60]!r} (known: {known})")
    user_id = request.path_params["user_id"]
    row = provider_store.credential_for(sandbox_of(request).store, user_id, provider.name)
    if row is None:
        raise not_found(f"{provider.label} credentials for Leaf user {user_id}")
    return provider, row


def _answer(
    request: Request, provider: Provider, row: dict[str, Any], event: dict[str, Any], code: int
) -> Response:
    after = provider_store.credential_for(sandbox_of(request).store, row["user_id"], provider.name)
    assert after is not None
    return JSONResponse(
        {
            "provider": provider.name,
            "userId": row["user_id"],
            "status": after["status"],
            "problem": after["problem"] or None,
            "event": event_json(event),
        },
        status_code=code,
    )


async def overview(request: Request) -> Response:
    return JSONResponse(
        {
            "providers": [
                {
                    "name": p.name,
                    "segment": p.segment,
                    "userField": p.user_field,
                    "magicLink": p.magic_link,
                    "family": p.family,
                    "problems": [
                        x for x in provider_world.PROBLEMS if provider_world.unusable(p, x) is None
                    ],
                }
                for p in PROVIDERS
            ],
            "statuses": sorted(set(provider_world.STATUS_OF.values())),
        }
    )


async def break_credential(request: Request) -> Response:
    provider, row = _target(request)
    body = Fields(await json_object(request), "break")
    problem = body.string("problem", max_len=40, required=True)
    body.check()
    assert problem is not None
    why = provider_world.unusable(provider, problem)
    if why is not None:
        raise bad_request(why)
    sandbox = sandbox_of(request)
    provider_store.update(sandbox.store, row["id"], problem=problem)
    row["problem"] = problem
    event = provider_world.sync(sandbox.store, provider, row, sandbox.clock.now(), random.Random())
    return _answer(request, provider, row, event, 200)


async def heal_credential(request: Request) -> Response:
    provider, row = _target(request)
    sandbox = sandbox_of(request)
    provider_store.update(sandbox.store, row["id"], problem="")
    row["problem"] = ""
    event = provider_world.sync(sandbox.store, provider, row, sandbox.clock.now(), random.Random())
    return _answer(request, provider, row, event, 200)


async def sync_credential(request: Request) -> Response:
    provider, row = _target(request)
    sandbox = sandbox_of(request)
    event = provider_world.sync(sandbox.store, provider, row, sandbox.clock.now(), random.Random())
    return _answer(request, provider, row, event, 200)


async def record_event(request: Request) -> Response:
    provider, row = _target(request)
    body = Fields(await json_object(request), "event")
    raw = body.data.get("statusCode")
    code = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    if not 100 <= code <= 599:
        body.error("statusCode", "must be an HTTP status code (100-599)")
    text = body.string("body", max_len=100_000, blank_ok=True)
    headers = body.string("headers", max_len=100_000, blank_ok=True)
    body.check()
    sandbox = sandbox_of(request)
    now = sandbox.clock.now()
    event = provider_world.event_row(provider, row, now, "", random.Random())
    event["status_code"] = code
    event["body"] = text if text is not None else json.dumps({"status": code})
    if headers is not None:
        event["headers"] = headers
    provider_store.insert_event(sandbox.store, event)
    status = provider_world.status_for_code(code, row["status"])
    provider_store.update(sandbox.store, row["id"], status=status)
    return _answer(request, provider, row, event, 201)
