"""create_app(cfg): the Starlette app that answers like Leaf, plus the landing page and the
control API. app.state.sandbox is the Sandbox (store, clock)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from . import (
    activity,
    auth,
    control,
    landing,
    links,
    provider_api,
    provider_control,
    sentera,
    users,
)
from .config import SandboxConfig
from .faults import FaultMiddleware
from .problems import ApiError, problem, problem_for
from .state import Sandbox

__all__ = ["SandboxConfig", "create_app"]

log = logging.getLogger(__name__)
UM = "/services/usermanagement/api"
ML = "/services/widgets/api/magic-link"
API_PREFIXES = ("/api/", "/services/")

ROUTES = [
    Route("/api/authenticate", auth.authenticate, methods=["POST"]),
    Route(f"{UM}/users", users.list_users, methods=["GET"]),
    Route(f"{UM}/users", users.create_user, methods=["POST"]),
    Route(f"{UM}/users", users.replace_user, methods=["PUT"]),
    Route(f"{UM}/users/{{user_id}}", users.get_user, methods=["GET"]),
    Route(f"{UM}/users/{{user_id}}", users.delete_user, methods=["DELETE"]),
    Route(f"{UM}/users/{{user_id}}", users.patch_user, methods=["PATCH"]),
    Route(f"{UM}/users/{{user_id}}/sentera-credentials", sentera.get_credential, methods=["GET"]),
    Route(
        f"{UM}/users/{{user_id}}/sentera-credentials", sentera.create_credential, methods=["POST"]
    ),
    Route(
        f"{UM}/users/{{user_id}}/sentera-credentials", sentera.delete_credential, methods=["DELETE"]
    ),
    Route(
        f"{UM}/users/{{user_id}}/sentera-credentials/events", sentera.list_events, methods=["GET"]
    ),
    # every other provider's credentials (providers.py)
    *provider_api.routes(UM),
    Route(f"{ML}/users/{{user_id}}/{{kind}}", links.create_for_user, methods=["POST"]),
    Route(f"{ML}/{{kind}}", links.list_links, methods=["GET"]),
    Route(f"{ML}/{{kind}}", links.create_with_user, methods=["POST"]),
    Route(f"{ML}/{{kind}}/{{link_id}}", links.get_link, methods=["GET"]),
    Route(f"{ML}/{{kind}}/{{link_id}}", links.delete_link, methods=["DELETE"]),
    Route("/magic-link/{link_id}", landing.landing, methods=["GET"]),
    Route("/_sandbox/health", control.health, methods=["GET"]),
    Route("/_sandbox/clock", control.clock, methods=["GET", "POST"]),
    Route("/_sandbox/sentera/accounts", control.sentera_accounts, methods=["GET"]),
    Route("/_sandbox/sentera/password", control.sentera_password, methods=["POST"]),
    Route("/_sandbox/sentera/{user_id}/events", control.sentera_event, methods=["POST"]),
    Route("/_sandbox/sentera/{user_id}/sync", control.sentera_sync, methods=["POST"]),
    Route("/_sandbox/providers", provider_control.overview, methods=["GET"]),
    Route(
        "/_sandbox/providers/{provider}/{user_id}/break",
        provider_control.break_credential,
        methods=["POST"],
    ),
    Route(
        "/_sandbox/providers/{provider}/{user_id}/heal",
        provider_control.heal_credential,
        methods=["POST"],
    ),
    Route(
        "/_sandbox/providers/{provider}/{user_id}/sync",
        provider_control.sync_credential,
        methods=["POST"],
    ),
    Route(
        "/_sandbox/providers/{provider}/{user_id}/events",
        provider_control.record_event,
        methods=["POST"],
    ),
    Route("/_sandbox/links/{link_id}/visit", control.link_visit, methods=["POST"]),
    Route("/_sandbox/activity", control.activity_ticks, methods=["POST"]),
    Route("/_sandbox/faults", control.faults, methods=["GET", "POST"]),
    Route("/_sandbox/counts", control.counts, methods=["GET"]),
    Route("/_sandbox/behaviour", control.behaviour, methods=["GET", "POST"]),
]


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return problem_for(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = {
        404: f"No endpoint at {request.url.path}",
        405: f"{request.method} is not supported on {request.url.path}",
    }.get(exc.status_code, str(exc.detail))
    headers = dict(exc.headers) if exc.headers else None
    return problem(request.url.path, exc.status_code, detail, headers=headers)


async def _hung_up(request: Request, exc: Exception) -> Response:
    """The client went away before its request was read whole: a normal event (a window closed,
    a timeout on its side), not a sandbox bug. Nobody reads the answer."""
    log.info("client hung up during %s %s", request.method, request.url.path)
    return Response(status_code=499)  # nginx's "client closed request"


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("sandbox bug on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request.url.path, 500, f"Sandbox internal error: {type(exc).__name__}")


class SandboxApp(Starlette):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # the server's own send: fault injection needs it to drop a connection
        scope["sandbox.raw_send"] = send
        path = scope.get("path", "")
        if scope["type"] == "http" and path.endswith("/") and path.startswith(API_PREFIXES):
            # Leaf answers GET /users/ as GET /users, directly (Starlette would redirect)
            scope = {**scope, "path": path.rstrip("/") or "/"}
        await super().__call__(scope, receive, send)


def create_app(cfg: SandboxConfig | None = None) -> Starlette:
    cfg = cfg or SandboxConfig()
    sandbox = Sandbox(cfg)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if cfg.activity:
            async with activity.running(sandbox, cfg.activity_interval):
                yield
        else:
            yield

    app = SandboxApp(
        routes=ROUTES,
        lifespan=lifespan,
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            ClientDisconnect: _hung_up,
            Exception: _crash,
        },
    )
    app.state.sandbox = sandbox
    app.add_middleware(FaultMiddleware, get_settings=lambda: sandbox.faults)
    return app
