"""POST /api/authenticate and the bearer check every Leaf call goes through."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import tokens
from .problems import ApiError
from .validation import Fields, json_object

if TYPE_CHECKING:
    from .state import Sandbox

REMEMBER_ME = timedelta(days=30)
SESSION = timedelta(hours=24)


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox  # type: ignore[no-any-return]


def _unauthorized(reason: str) -> ApiError:
    return ApiError(
        401,
        f"Full authentication is required to access this resource ({reason})",
        headers={"WWW-Authenticate": 'Bearer realm="leaf"'},
    )


def current_owner(request: Request) -> str:
    """The API owner the bearer token names, or a 401."""
    sandbox = sandbox_of(request)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise _unauthorized("no Authorization header")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header is not 'Bearer <token>'")
    try:
        claims = tokens.decode(token.strip(), sandbox.secret, sandbox.clock.now())
    except tokens.InvalidToken as exc:
        raise _unauthorized(str(exc)) from None
    owner = sandbox.store.owner_email(claims["sub"])
    if owner is None:
        raise _unauthorized("unknown account")
    return owner


async def authenticate(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    body = Fields(await json_object(request), "loginVM")
    username = body.string("username", max_len=254, required=True)
    password = body.string("password", max_len=100, required=True, blank_ok=True)
    remember = body.boolean("rememberMe")
    body.check("Invalid login request")
    assert username is not None and password is not None
    stored = sandbox.store.owner_password(username)
    if stored is None or not hmac.compare_digest(stored.encode(), password.encode()):
        raise ApiError(401, "Bad credentials: the username or password is wrong")
    owner = sandbox.store.owner_email(username)
    now = sandbox.clock.now()
    exp = now + (REMEMBER_ME if remember else SESSION)
    claims = {"sub": owner, "auth": "ROLE_USER", "exp": int(exp.timestamp())}
    token = tokens.encode(claims, sandbox.secret)
    return JSONResponse({"id_token": token})
