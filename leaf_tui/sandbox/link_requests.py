"""Validation of magic-link create bodies: expiresIn, providers per kind, and settings."""

from __future__ import annotations

from typing import Any

from .validation import Fields, is_hex_colour, type_name

PROVIDERS = (
    "JohnDeere",
    "ClimateFieldView",
    "CNHI",
    "AgLeader",
    "Trimble",
    "RavenSlingshot",
    "Stara",
)
KINDS = ("provider", "authentication", "file-upload")
ALL = "All"
"""Every provider: what Leaf's own Postman collection sends, and what a link created without
allowedProviders answers with (sandbox decides)."""
# Leaf's "one year": 31,536,000 s in today's text, 366 days in earlier text; accept the larger
EXPIRES_MIN, EXPIRES_MAX, EXPIRES_DEFAULT = 900, 31_622_400, 900
MAX_USAGE = 3


def _provider_error(value: object) -> str:
    if isinstance(value, str):
        near = [p for p in PROVIDERS if p.casefold() == value.casefold()]
        if near:
            return f'unknown provider "{value}"; did you mean "{near[0]}"? (case-sensitive)'
        return f'unknown provider "{value[:60]}"; use one of {", ".join(PROVIDERS)} or {ALL}'
    return f"must be a provider name (string), not {type_name(value)}"


def _providers(body: Fields, kind: str) -> tuple[list[str] | None, str | None]:
    """A field of another kind of link is ignored, as Leaf's JSON binding ignores it."""
    data = body.data
    if kind == "provider":
        raw = data.get("allowedProviders")
        # Leaf's default is every provider; its own collection sends ["All"]
        if raw is None or raw == []:
            return [ALL], None
        if not isinstance(raw, list):
            body.error("allowedProviders", f"must be an array of providers, not {type_name(raw)}")
            return None, None
        if len(raw) > 50:
            body.error("allowedProviders", "has too many entries")
            return None, None
        good: list[str] = []
        for value in raw:
            if value in PROVIDERS or value == ALL:
                if value not in good:
                    good.append(value)
            else:
                body.error("allowedProviders", _provider_error(value))
        return ([ALL] if ALL in good else good), None
    if kind == "authentication":
        raw = data.get("provider")
        if raw is None:
            body.error("provider", "must not be null: give exactly one provider")
            return None, None
        if raw not in PROVIDERS:
            body.error("provider", _provider_error(raw))
            return None, None
        return None, str(raw)
    return None, None


def _settings(body: Fields, kind: str) -> dict[str, Any]:
    raw = body.data.get("settings")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        body.error("settings", f"must be an object, not {type_name(raw)}")
        return {}
    sub = Fields(raw, body.object_name)
    out: dict[str, Any] = {}
    colour = sub.string("backgroundColor", max_len=7)
    if colour and not is_hex_colour(colour):
        sub.error("backgroundColor", 'must be a hex colour like "#27ae60" or "#FFF"')
    elif colour:
        out["backgroundColor"] = colour
    for key in ("headerImage", "companyLogo"):
        # stored as sent, as Leaf does: the wizard checks URLs at the field, as a hint
        text = sub.string(key, max_len=2048)
        if text:
            out[key] = text
    name = sub.string("companyName", max_len=100)
    if name:
        out["companyName"] = name
    show = sub.boolean("showLeafUserName")
    if show is not None:
        out["showLeafUserName"] = show
    # Leaf's customization table spells it "disconnectedEnabled": accept both
    disconnect = sub.boolean("disconnectEnabled", aliases=("disconnectedEnabled",))
    if disconnect is not None:
        # Leaf's own file-upload example sends it; it only has an effect on the other kinds
        out["disconnectEnabled"] = disconnect and kind != "file-upload"
    for err in sub.errors:
        body.error(f"settings.{err.field}", err.message)
    return out


def read_link_request(body: Fields, kind: str) -> dict[str, Any]:
    """The validated parts of a create body (call body.check() afterwards)."""
    expires_in = body.integer("expiresIn", low=EXPIRES_MIN, high=EXPIRES_MAX)
    allowed, provider = _providers(body, kind)
    settings = _settings(body, kind)
    return {
        "expires_in": expires_in if expires_in is not None else EXPIRES_DEFAULT,
        "allowed_providers": allowed,
        "provider": provider,
        "settings": settings,
    }
