"""HS512 JWTs with the standard library: what POST /api/authenticate hands out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

_HEADER = {"alg": "HS512"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], secret: bytes) -> str:
    head = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing = f"{head}.{body}".encode("ascii")
    return f"{head}.{body}.{_b64(hmac.new(secret, signing, hashlib.sha512).digest())}"


class InvalidToken(Exception):
    """The token is malformed, badly signed or expired; the message says which."""


def decode(token: str, secret: bytes, now: datetime) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed token")
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidToken("malformed token") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS512" or not isinstance(claims, dict):
        raise InvalidToken("malformed token")
    expected = hmac.new(secret, f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha512).digest()
    if not hmac.compare_digest(expected, signature):
        raise InvalidToken("bad token signature")
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise InvalidToken("token has no expiry")
    if exp <= now.timestamp():
        raise InvalidToken("token expired")
    if not isinstance(claims.get("sub"), str):
        raise InvalidToken("token has no subject")
    return claims
