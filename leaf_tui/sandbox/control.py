"""The control API under /_sandbox/ (no auth) for tests and demos: health, the clock, the
fake Sentera world, link visits, simulated activity, fault settings and counts."""

from __future__ import annotations

import json
import random

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import activity, sentera_world
from .auth import sandbox_of
from .behaviour import Behaviour
from .faults import FaultSettings
from .landing import visit
from .problems import ApiError, bad_request, not_found
from .shapes import event_json, link_json
from .timefmt import iso, parse_iso
from .validation import Fields, json_object


def _clock_json(request: Request) -> dict[str, object]:
    clock = sandbox_of(request).clock
    return {"now": iso(clock.now(), 6), "offsetSeconds": clock.offset_seconds}


async def health(request: Request) -> Response:
    sandbox = sandbox_of(request)
    return JSONResponse(
        {"status": "ok", "now": iso(sandbox.clock.now(), 6), "owners": sandbox.store.owners()}
    )


async def clock(request: Request) -> Response:
    if request.method == "POST":
        body = await json_object(request)
        sandbox = sandbox_of(request)
        if "advance" in body:
            seconds = body["advance"]
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, int | float)
                or not (abs(seconds) <= 100 * 365 * 86400)
            ):
                raise bad_request("advance must be a number of seconds (up to a century)")
            sandbox.clock.advance(float(seconds))
        elif "set" in body:
            when = parse_iso(body["set"]) if isinstance(body["set"], str) else None
            if when is None:
                raise bad_request(
                    "set must be an ISO-8601 time with a zone, e.g. 2026-03-02T09:00:00Z"
                )
            sandbox.clock.set(when)
        else:
            raise bad_request('give {"advance": seconds} or {"set": "ISO time"}')
    return JSONResponse(_clock_json(request))


async def sentera_accounts(request: Request) -> Response:
    accounts = sandbox_of(request).store.sentera_accounts()
    return JSONResponse(
        [
            {
                "username": a["username"],
                "password": a["password"],
                "organizations": [o["name"] for o in a["organizations"]],
            }
            for a in accounts
        ]
    )


async def sentera_password(request: Request) -> Response:
    body = Fields(await json_object(request), "password")
    username = body.string("username", required=True)
    password = body.string("password", required=True, max_len=256)
    body.check()
    assert username is not None and password is not None
    store = sandbox_of(request).store
    if not store.set_sentera_password(username, password):
        raise not_found(f"Sentera account {username}")
    affected = sum(1 for c in store.credentials() if c["username"] == username)
    return JSONResponse({"username": username, "credentials": affected})


def _credential(request: Request) -> dict[str, object]:
    user_id = request.path_params["user_id"]
    row = sandbox_of(request).store.credential_for_user(user_id)
    if row is None:
        raise not_found(f"Sentera credentials for Leaf user {user_id}")
    return row


async def sentera_event(request: Request) -> Response:
    body = Fields(await json_object(request), "event")
    raw = body.data.get("statusCode")
    code = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    if not 100 <= code <= 599:
        body.error("statusCode", "must be an HTTP status code (100-599)")
    text = body.string("body", max_len=100_000, blank_ok=True)
    headers = body.data.get("headers")  # as Sentera sent them: {"Name": ["value", ...]}
    if headers is not None and not (
        isinstance(headers, dict)
        and all(
            isinstance(values, list) and all(isinstance(v, str) for v in values)
            for values in headers.values()
        )
    ):
        body.error("headers", 'must be an object of lists of strings: {"Name": ["value"]}')
    body.check()
    sandbox = sandbox_of(request)
    row = _credential(request)
    event = sentera_world.record(
        sandbox.store,
        row,
        sandbox.clock.now(),
        code,
        text,
        headers=None if headers is None else json.dumps(headers, separators=(",", ":")),
    )
    status = sandbox.store.credential_for_user(request.path_params["user_id"])
    return JSONResponse(
        {"event": event_json(event), "status": status and status["status"]}, status_code=201
    )


async def sentera_sync(request: Request) -> Response:
    sandbox = sandbox_of(request)
    row = _credential(request)
    event = sentera_world.sync(sandbox.store, row, sandbox.clock.now())
    status = sandbox.store.credential_for_user(request.path_params["user_id"])
    return JSONResponse({"event": event_json(event), "status": status and status["status"]})


async def link_visit(request: Request) -> Response:
    sandbox = sandbox_of(request)
    link_id = request.path_params["link_id"]
    outcome, row = visit(sandbox, link_id)
    if row is None:
        raise not_found(f"Magic link {link_id}")
    if outcome == "expired":
        raise ApiError(410, f"Magic link {link_id} has expired")
    if outcome == "used_up":
        raise ApiError(410, f"Magic link {link_id} has been used up")
    base = str(request.base_url).rstrip("/")
    return JSONResponse(link_json(row, base))


# Steps of simulated life on demand, so a test can make the same amount of activity per step
# of its own, however fast or loaded the machine is (the background simulator runs by the clock).
ACTIVITY_MAX_TICKS = 1000


async def activity_ticks(request: Request) -> Response:
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "activity")
    ticks = body.integer("ticks", low=1, high=ACTIVITY_MAX_TICKS)
    if ticks is None and "ticks" not in body.data:
        body.error("ticks", "must not be null")
    body.check()
    assert ticks is not None
    rng = random.Random(body.data.get("seed"))
    happened = [activity.tick(sandbox, rng) for _ in range(ticks)]
    return JSONResponse({"ticks": ticks, "happened": happened})


async def faults(request: Request) -> Response:
    sandbox = sandbox_of(request)
    if request.method == "POST":
        body = await json_object(request)
        try:
            if body.pop("reset", False) is True:
                sandbox.faults = FaultSettings()
            sandbox.faults = FaultSettings.from_dict(body, sandbox.faults)
        except ValueError as exc:
            raise bad_request(str(exc)) from None
    return JSONResponse(sandbox.faults.to_json())


async def behaviour(request: Request) -> Response:
    """GET the switches, POST some of them changed (`{"reset": true}` first restores all)."""
    sandbox = sandbox_of(request)
    if request.method == "POST":
        body = await json_object(request)
        current = Behaviour() if body.pop("reset", False) is True else sandbox.behaviour
        try:
            sandbox.behaviour = current.updated(body)
        except ValueError as exc:
            raise bad_request(str(exc)) from None
    return JSONResponse(sandbox.behaviour.to_json())


async def counts(request: Request) -> Response:
    return JSONResponse(sandbox_of(request).store.counts())
