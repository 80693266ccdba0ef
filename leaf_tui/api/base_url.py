"""Is a text usable as an API base URL? Checked where a URL comes in (a flag, LEAF_API_URL, the
settings file) and again where a client is built, so a bad one is one clear line, never a
traceback from deep inside httpx or the socket layer."""

from __future__ import annotations

MAX_PORT = 65535


class BadBaseURL(ValueError):
    """The text is not an http(s) base URL httpx can use; the message says what is wrong."""


def check_base_url(text: str) -> str:
    """The URL without surrounding space or trailing slashes, or BadBaseURL saying why not.

    httpx accepts some URLs it cannot use (`http://127.0.0.1:99999` only fails in the socket
    layer, with OverflowError), so the port range is checked here too."""
    import httpx  # here: the settings are read at start-up, before the HTTP stack is wanted

    url = text.strip().rstrip("/")
    shown = repr(text)
    if not url:
        raise BadBaseURL("the base URL is empty: expected http(s)://host[:port]")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise BadBaseURL(f"bad base URL {shown}: it contains a space or a control character")
    try:
        parsed = httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise BadBaseURL(f"bad base URL {shown}: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        raise BadBaseURL(f"bad base URL {shown}: expected http:// or https://")
    if not parsed.host:
        raise BadBaseURL(f"bad base URL {shown}: no host name")
    if port is not None and not 0 < port <= MAX_PORT:
        raise BadBaseURL(f"bad base URL {shown}: port {port} is out of range (1-{MAX_PORT})")
    if parsed.query or parsed.fragment:
        raise BadBaseURL(f"bad base URL {shown}: a base URL has no '?query' or '#fragment'")
    return url
