"""Plain http:// carries the password and the bearer token in clear text: fine to this machine
(the sandbox, a tunnel), refused to any other host unless the person says so explicitly, with
`--allow-http` or `allow_http = true` in the profile."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from leaf_tui.domain.config import ConfigError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 (and ::ffff:127.x), localhost and *.localhost (RFC 6761)."""
    host = host.strip("[]").rstrip(".").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def check_cleartext(base_url: str, *, allowed: bool, profile: str | None = None) -> None:
    """Raise ConfigError (saying why and how to allow it) for http:// to a host that is not
    this machine, unless `allowed`."""
    parts = urlsplit(base_url)
    if parts.scheme.lower() != "http" or allowed:
        return
    try:
        host = parts.hostname or ""
    except ValueError:
        return  # a malformed URL is reported by the URL checks, not here
    if is_loopback(host):
        return
    where = f"profile {profile!r}: " if profile else ""
    raise ConfigError(
        f"{where}{base_url} is plain http to another machine: the password and the token would "
        "cross the network in clear text. Use https://, or, on a network you trust, allow it "
        "explicitly with --allow-http (login then keeps `allow_http = true` in the profile)"
    )
