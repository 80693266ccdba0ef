"""POST {base}/api/authenticate: trade an API owner's username and password for a JWT."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from leaf_tui.api.errors import AuthError
from leaf_tui.api.http import Http, ShapeError, expect_object
from leaf_tui.api.models import Token

AUTHENTICATE = "/api/authenticate"


def jwt_claims(token: str | None) -> dict[str, Any]:
    """The JWT's payload, decoded without verification (we only read `sub` and `exp`).
    Anything unreadable gives {}."""
    if not token:
        return {}
    parts = token.split(".")
    if len(parts) < 2:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def jwt_expiry(token: str | None) -> datetime | None:
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _token(data: Any) -> Token:
    obj = expect_object(data)
    id_token = obj.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise ShapeError('a JSON object with "id_token"')
    subject = jwt_claims(id_token).get("sub")
    return Token(
        id_token=id_token,
        subject=subject if isinstance(subject, str) else None,
        expires_at=jwt_expiry(id_token),
    )


class AuthService:
    def __init__(self, http: Http) -> None:
        self._http = http

    async def authenticate(self, username: str, password: str, remember_me: bool = True) -> Token:
        """Log in; on success the client uses the new token for every later call."""
        body = {"username": username, "password": password, "rememberMe": remember_me}
        try:
            response = await self._http.send("POST", AUTHENTICATE, body=body, auth=False)
        except AuthError as exc:
            raise AuthError(
                f"Login failed for {username}: check the username and password "
                "(Leaf API owner account, not a grower's)",
                status=exc.status,
                detail=exc.detail,
                method=exc.method,
                path=exc.path,
            ) from None
        token = await self._http.decode(response, _token, method="POST", path=AUTHENTICATE)
        self._http.token = token.id_token
        return token
