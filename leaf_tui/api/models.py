"""Typed, frozen views of Leaf's JSON. Unknown fields are kept in `extra`; missing optional
fields are None; timestamps of any fractional precision parse."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any, ClassVar

PROVIDERS: tuple[str, ...] = (
    "JohnDeere",
    "ClimateFieldView",
    "CNHI",
    "AgLeader",
    "Trimble",
    "RavenSlingshot",
    "Stara",
)
"""The providers a magic link may offer, as Leaf documents them."""

EXPIRES_IN_MIN = 900
EXPIRES_IN_MAX = 31_536_000
"""Leaf's "one year" in today's text; the client never asks for more (the sandbox accepts up
to 31,622,400, the 366 days of earlier text)."""
ALL_PROVIDERS = "All"
"""allowedProviders value for every provider (Leaf's own Postman collection sends ["All"])."""
EXPIRES_IN_DEFAULT = 900
DEFAULT_BACKGROUND = "#F5F5F5"

_TS = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$")


def parse_timestamp(value: object) -> datetime | None:
    """Parse Leaf's ISO-8601 stamps (0-9 fractional digits, Z or offset) to aware UTC."""
    if not isinstance(value, str) or not value:
        return None
    m = _TS.match(value.strip())
    if m is None:
        return None
    day, clock, fraction, zone = m.groups()
    micros = (fraction or "0")[:6].ljust(6, "0")
    zone = "+00:00" if zone in (None, "Z") else zone
    if len(zone) == 5:
        zone = zone[:3] + ":" + zone[3:]
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}.{micros}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def parse_bool(value: object) -> bool | None:
    """Leaf's examples send booleans as strings: accept both."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _text(value: object) -> str | None:
    """Any scalar as text (ids may come as numbers); None stays None."""
    return None if value is None else value if isinstance(value, str) else str(value)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _extra(data: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


class LinkKind(Enum):
    """The three kinds of magic link: the path segment and the `widget` value differ."""

    PROVIDER = ("provider", "PROVIDER", "Provider")
    AUTHENTICATION = ("authentication", "AUTHENTICATION", "Authentication")
    FILE_UPLOAD = ("file-upload", "FILEUPLOAD", "File upload")

    def __init__(self, path: str, widget: str, label: str) -> None:
        self.path = path
        self.widget = widget
        self.label = label

    @classmethod
    def from_widget(cls, widget: object) -> LinkKind | None:
        for kind in cls:
            if kind.widget == widget:
                return kind
        return None

    @classmethod
    def from_path(cls, path: str) -> LinkKind:
        for kind in cls:
            if kind.path == path:
                return kind
        raise ValueError(f"unknown link kind {path!r}: use provider, authentication or file-upload")


@dataclass(frozen=True)
class Token:
    id_token: str = field(repr=False)
    subject: str | None
    expires_at: datetime | None


@dataclass(frozen=True)
class LeafUser:
    id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: Any = None
    external_id: str | None = None
    # provider credential objects by their JSON key, e.g. "senteraCredentials"; they may hold
    # tokens (authToken), so they stay out of the repr
    credentials: Mapping[str, Any] = field(default_factory=dict, repr=False)
    extra: Mapping[str, Any] = field(default_factory=dict)

    KNOWN = {"id", "name", "email", "phone", "address", "externalId"}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LeafUser:
        credentials = {
            k: v for k, v in data.items() if k.endswith("Credentials") and v not in (None, [], {})
        }
        return cls(
            id=str(data.get("id", "")),
            name=_str(data.get("name")),
            email=_str(data.get("email")),
            phone=_str(data.get("phone")),
            address=data.get("address"),
            external_id=_str(data.get("externalId")),
            credentials=credentials,
            extra=_extra(data, cls.KNOWN | {k for k in data if k.endswith("Credentials")}),
        )

    @property
    def providers(self) -> tuple[str, ...]:
        """Connected providers' names, e.g. ("johnDeere", "sentera")."""
        return tuple(k.removesuffix("Credentials") for k in self.credentials)

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.external_id or self.id

    def to_json(self) -> dict[str, Any]:
        """The body for PUT /users: every field we know of, plus what we kept. Credentials go
        as references (`{"johnDeereCredentials": {"id": ...}}`, as Leaf's docs link them),
        never echoing their tokens."""
        body: dict[str, Any] = dict(self.extra)
        body.update((key, credential_reference(value)) for key, value in self.credentials.items())
        body.update(
            id=self.id,
            name=self.name,
            email=self.email,
            phone=self.phone,
            address=self.address,
            externalId=self.external_id,
        )
        return body


SECRET_KEYS = frozenset(
    {
        "clientSecret",
        "accessToken",
        "refreshToken",
        "apiKey",
        "subscriptionKey",
        "privateKey",
        "accessKey",
        "sharedSecret",
        "accessTokenClient",
        "password",
        "authToken",
        "sessionId",
        "key",
        "initializationVector",
        "tokenSecretKey",
    }
)
"""Credential fields that hold secrets (leaf-provider-credentials.md, 0.3)."""


def credential_reference(value: Any) -> Any:
    """A credential object as a reference: its id alone; without an id, the object minus its
    secrets."""
    if isinstance(value, Mapping):
        if value.get("id"):
            return {"id": value["id"]}
        return {k: v for k, v in value.items() if k not in SECRET_KEYS}
    return value


@dataclass(frozen=True)
class UserPage:
    items: tuple[LeafUser, ...]
    total: int | None
    page: int
    size: int
    has_next: bool


@dataclass(frozen=True)
class SenteraCredential:
    id: str
    status: str | None
    created_time: datetime | None
    username: str | None
    auth_token: str | None = field(repr=False)
    organization_id: str | None
    organization_name: str | None
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

    KNOWN = {
        "id",
        "status",
        "createdTime",
        "username",
        "authToken",
        "organizationId",
        "organizationName",
        "password",
    }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SenteraCredential:
        return cls(
            id=str(data.get("id", "")),
            status=_str(data.get("status")),
            created_time=parse_timestamp(data.get("createdTime")),
            username=_str(data.get("username")),
            auth_token=_str(data.get("authToken")),
            organization_id=_text(data.get("organizationId")),
            organization_name=_str(data.get("organizationName")),
            extra=_extra(data, cls.KNOWN),
        )

    @property
    def healthy(self) -> bool:
        """Anything but "OK" counts as unhealthy."""
        return self.status == "OK"


@dataclass(frozen=True)
class SenteraEvent:
    id: str
    created_date: datetime | None
    status_code: int | None
    headers: str
    body: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SenteraEvent:
        return cls(
            id=str(data.get("id", "")),
            created_date=parse_timestamp(data.get("createdDate")),
            status_code=_int(data.get("statusCode")),
            headers=_text(data.get("headers")) or "",
            body=_text(data.get("body")) or "",
        )


SHARED_SETTINGS_LIMIT = 1024
_SHARED_SETTINGS: dict[tuple[str | bool | None, ...], LinkSettings] = {}
"""Link settings read so far, by their values. Thousands of links carry a few distinct settings
(the presets they were made from), and each object of ours is one more that every full
collection of the cyclic collector walks (2,000 seeded links: ~300 instead of 2,000). Emptied
when full. Large answers are decoded in a thread (api/http.py): each use is one dict operation,
and two threads reading the same settings at once at worst make one extra object."""


@dataclass(frozen=True)
class LinkSettings:
    background_color: str | None = None
    header_image: str | None = None
    company_logo: str | None = None
    company_name: str | None = None
    show_leaf_user_name: bool | None = None
    disconnect_enabled: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    # The one list of what a landing page is customised with: field name -> JSON key. The
    # wizard's draft, its presets and the CLI's flags use the same field names.
    TEXT_KEYS: ClassVar[dict[str, str]] = {
        "background_color": "backgroundColor",
        "header_image": "headerImage",
        "company_logo": "companyLogo",
        "company_name": "companyName",
    }
    FLAG_KEYS: ClassVar[dict[str, str]] = {
        "show_leaf_user_name": "showLeafUserName",
        "disconnect_enabled": "disconnectEnabled",
    }
    KNOWN = set(TEXT_KEYS.values()) | set(FLAG_KEYS.values())

    @classmethod
    def from_json(cls, data: object) -> LinkSettings:
        """The settings read; one shared object for settings read before with the same values
        and no unknown keys (links made from one preset), none of which is ever changed."""
        if not isinstance(data, Mapping):
            data = {}
        values: dict[str, Any] = {name: _str(data.get(key)) for name, key in cls.TEXT_KEYS.items()}
        values |= {name: parse_bool(data.get(key)) for name, key in cls.FLAG_KEYS.items()}
        extra = _extra(data, cls.KNOWN)
        if extra:
            return cls(**values, extra=extra)
        key = tuple(values.values())
        shared = _SHARED_SETTINGS.get(key)
        if shared is None:
            if len(_SHARED_SETTINGS) >= SHARED_SETTINGS_LIMIT:
                _SHARED_SETTINGS.clear()
            shared = _SHARED_SETTINGS[key] = cls(**values)
        return shared

    def to_json(self) -> dict[str, Any]:
        """Only the fields that are set, so Leaf's defaults apply to the rest."""
        body: dict[str, Any] = {}
        for name, key in (self.TEXT_KEYS | self.FLAG_KEYS).items():
            value = getattr(self, name)
            if value is not None and value != "":
                body[key] = value
        return body


@dataclass(frozen=True)
class MagicLink:
    id: str
    link: str
    kind: LinkKind | None
    widget: str | None
    leaf_user_id: str | None
    created_at: datetime | None
    expires_at: datetime | None
    last_accessed_at: datetime | None
    max_usage: int | None
    usage_count: int | None
    settings: LinkSettings
    allowed_providers: tuple[str, ...] = ()
    provider: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    KNOWN = {
        "id",
        "link",
        "createdAt",
        "expiresAt",
        "lastAccessedAt",
        "leafUserId",
        "maxUsage",
        "usageCount",
        "widget",
        "settings",
        "allowedProviders",
        "provider",
    }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], kind: LinkKind | None = None) -> MagicLink:
        allowed = data.get("allowedProviders")
        return cls(
            id=str(data.get("id", "")),
            link=str(data.get("link", "")),
            kind=LinkKind.from_widget(data.get("widget")) or kind,
            widget=_str(data.get("widget")),
            leaf_user_id=_str(data.get("leafUserId")),
            created_at=parse_timestamp(data.get("createdAt")),
            expires_at=parse_timestamp(data.get("expiresAt")),
            last_accessed_at=parse_timestamp(data.get("lastAccessedAt")),
            max_usage=_int(data.get("maxUsage")),
            usage_count=_int(data.get("usageCount")),
            settings=LinkSettings.from_json(data.get("settings")),
            allowed_providers=tuple(str(p) for p in allowed) if isinstance(allowed, list) else (),
            provider=_str(data.get("provider")),
            extra=_extra(data, cls.KNOWN),
        )

    @property
    def providers(self) -> tuple[str, ...]:
        """The providers offered; ("All",) for a provider link that offers every one (Leaf's
        default when created without allowedProviders, or created with ["All"])."""
        if ALL_PROVIDERS in self.allowed_providers or (
            self.kind is LinkKind.PROVIDER and not self.allowed_providers
        ):
            return (ALL_PROVIDERS,)
        if self.allowed_providers:
            return self.allowed_providers
        return (self.provider,) if self.provider else ()

    def seconds_left(self, now: datetime) -> float | None:
        return None if self.expires_at is None else (self.expires_at - now).total_seconds()

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def is_used_up(self) -> bool:
        return (
            self.max_usage is not None
            and self.usage_count is not None
            and self.usage_count >= self.max_usage
        )


@dataclass(frozen=True)
class CreatedLink:
    id: str
    leaf_user_id: str | None
    link: str
    expires_at: datetime | None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CreatedLink:
        return cls(
            id=str(data.get("id", "")),
            leaf_user_id=_str(data.get("leafUserId")),
            link=str(data.get("link", "")),
            expires_at=parse_timestamp(data.get("expiresAt")),
            extra=_extra(data, {"id", "leafUserId", "link", "expiresAt"}),
        )


@dataclass(frozen=True)
class LinkRequest:
    """What a create call sends, apart from the user."""

    kind: LinkKind
    expires_in: int | None = None
    allowed_providers: tuple[str, ...] = ()
    provider: str | None = None
    settings: LinkSettings = field(default_factory=LinkSettings)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.expires_in is not None:
            body["expiresIn"] = self.expires_in
        if self.kind is LinkKind.PROVIDER:
            body["allowedProviders"] = list(self.allowed_providers)
        elif self.kind is LinkKind.AUTHENTICATION and self.provider is not None:
            body["provider"] = self.provider
        settings = self.settings.to_json()
        if self.kind is LinkKind.FILE_UPLOAD:
            settings.pop("disconnectEnabled", None)
        if settings:
            body["settings"] = settings
        return body
