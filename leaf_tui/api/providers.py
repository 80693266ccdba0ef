"""Every provider's credential of one Leaf user, as Leaf documents them (no Textual here):
{base}/services/usermanagement/api/users/{id}/<segment>-credentials[/events].

The registry says, per provider, its path segment, family, documented fields, which of them
are secrets, whether the user object carries it and whether magic links may offer it. Leaf
returns secrets in clear (also inside user objects): `ProviderCredential` keeps them out of
its repr and `masked()` is the only form that goes to a screen, a --json output or a log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from leaf_tui.api.concurrency import gather_or_fail
from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import SECRET_KEYS, SenteraEvent, parse_timestamp
from leaf_tui.api.users import USERS

ProviderEvent = SenteraEvent
"""Every provider's events have Sentera's shape (id, createdDate, statusCode, headers, body)."""

MASK = "••••••••"
_EARLIEST = datetime.min.replace(tzinfo=UTC)

SECRET_FIELDS = SECRET_KEYS
"""Masked in full wherever they are shown (the contract note's list, kept in models)."""

APP_ID_FIELDS = frozenset({"clientKey", "clientId"})
"""App identifiers: only their last four characters are shown."""

STATUSES = ("OK", "UNAUTHENTICATED", "MISSING_PERMISSION", "TEMPORARILY_UNAVAILABLE")
"""The only values Leaf ever published; any other string is shown as it is."""


class Family(Enum):
    OAUTH = "OAuth"
    KEY = "key-based"
    PASSWORD = "username/password"


@dataclass(frozen=True)
class Provider:
    name: str
    """Leaf's spelling (the magic-link value where there is one), e.g. "JohnDeere"."""
    display: str
    segment: str
    """The path segment before "-credentials", e.g. "john-deere"."""
    family: Family
    fields: tuple[str, ...]
    """The POST body's fields, in the documented order."""
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    in_user_object: bool = True
    magic_link: bool = False

    @property
    def user_field(self) -> str:
        """The key of this provider's credential in the user object."""
        return _USER_FIELD.get(self.name, self.name[0].lower() + self.name[1:]) + "Credentials"

    @property
    def path_name(self) -> str:
        return f"{self.segment}-credentials"

    def is_secret(self, name: str) -> bool:
        return name in SECRET_FIELDS


_USER_FIELD = {"CNHI": "cnhi"}
"""Where lower-casing the first letter is not the user object's spelling."""

_ENV = {"clientEnvironment": ("PRODUCTION", "STAGE")}


def _p(name: str, display: str, segment: str, family: Family, fields: str, **more: Any) -> Provider:
    return Provider(name, display, segment, family, tuple(fields.split()), **more)


REGISTRY: tuple[Provider, ...] = (
    _p(
        "JohnDeere",
        "John Deere",
        "john-deere",
        Family.OAUTH,
        "clientKey clientSecret refreshToken clientEnvironment",
        choices=_ENV,
        magic_link=True,
    ),
    _p(
        "ClimateFieldView",
        "Climate FieldView",
        "climate-field-view",
        Family.OAUTH,
        "clientId clientSecret apiKey refreshToken",
        magic_link=True,
    ),
    _p(
        "CNHI",
        "CNHI",
        "cnhi",
        Family.OAUTH,
        "clientId clientSecret subscriptionKey refreshToken clientEnvironment",
        choices=_ENV,
        magic_link=True,
    ),
    _p(
        "Trimble",
        "Trimble",
        "trimble",
        Family.OAUTH,
        "clientId clientSecret refreshToken",
        magic_link=True,
    ),
    _p("Raven", "Raven", "raven", Family.OAUTH, "clientId clientSecret refreshToken"),
    _p(
        "RavenSlingshot",
        "Raven Slingshot",
        "raven-slingshot",
        Family.KEY,
        "apiKey accessKey sharedSecret",
        magic_link=True,
    ),
    _p(
        "AgLeader",
        "AgLeader",
        "ag-leader",
        Family.OAUTH,
        "accessToken refreshToken publicKey privateKey",
        magic_link=True,
    ),
    _p(
        "Stara",
        "Stara",
        "stara",
        Family.OAUTH,
        "apiKey accessToken accessTokenClient refreshToken",
        magic_link=True,
    ),
    _p(
        "Sentera",
        "Sentera",
        "sentera",
        Family.PASSWORD,
        "username password organizationName",
        in_user_object=False,
    ),
    _p(
        "Agvance",
        "Agvance",
        "agvance",
        Family.PASSWORD,
        "apiKey clientEnvironment databaseId username password",
        choices=_ENV,
        in_user_object=False,
    ),
    _p(
        "Lindsay",
        "Lindsay",
        "lindsay",
        Family.OAUTH,
        "clientId clientSecret refreshToken clientEnvironment",
        choices=_ENV,
    ),
    _p("Valley", "Valley", "valley", Family.KEY, "apid initializationVector key username password"),
    _p(
        "Panorama",
        "Precision Planting Panorama",
        "panorama",
        Family.PASSWORD,
        "clientId username password organizationCode refreshToken clientEnvironment",
        choices=_ENV,
        in_user_object=False,
    ),
)

BY_NAME: Mapping[str, Provider] = {p.name: p for p in REGISTRY}
BY_USER_FIELD: Mapping[str, Provider] = {p.user_field: p for p in REGISTRY}


def provider(name: str) -> Provider:
    """The provider by Leaf's name, its segment or its user-object key (case-insensitive)."""
    folded = name.casefold()
    for p in REGISTRY:
        if folded in (p.name.casefold(), p.segment, p.user_field.casefold()):
            return p
    raise KeyError(name)


def mask_value(name: str, value: Any) -> Any:
    """`value` as it may be shown: a secret as MASK, an app id as MASK + its last 4."""
    if value in (None, ""):
        return value
    if name in SECRET_FIELDS:
        return MASK
    if name in APP_ID_FIELDS:
        text = str(value)
        return MASK + text[-4:] if len(text) > 8 else MASK
    return value


def mask_credential(data: Any) -> Any:
    """A copy of a credential object (or anything holding some) with every secret masked."""
    if isinstance(data, Mapping):
        return {
            k: mask_credential(v) if isinstance(v, Mapping | list) else mask_value(str(k), v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [mask_credential(v) for v in data]
    return data


def secret_values(data: Any) -> tuple[str, ...]:
    """The secrets' values in a credential object: scrubbed from event bodies and headers."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            for k, v in item.items():
                if isinstance(v, Mapping | list):
                    stack.append(v)
                elif k in SECRET_FIELDS and isinstance(v, str) and v:
                    found.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return tuple(found)


@dataclass(frozen=True)
class ProviderCredential:
    provider: Provider
    id: str
    status: str | None
    created_time: datetime | None
    raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    """As Leaf returned it, secrets in clear: never show it, use `masked()`."""

    @classmethod
    def from_json(cls, provider: Provider, data: Mapping[str, Any]) -> ProviderCredential:
        status = data.get("status")
        return cls(
            provider=provider,
            id=str(data.get("id") or ""),
            status=status if isinstance(status, str) else None,
            created_time=parse_timestamp(data.get("createdTime")),
            raw=dict(data),
        )

    @property
    def healthy(self) -> bool:
        return self.status == "OK"

    def masked(self) -> dict[str, Any]:
        return dict(mask_credential(self.raw))

    @property
    def secrets(self) -> tuple[str, ...]:
        return secret_values(self.raw)


def credentials_of(user_credentials: Mapping[str, Any]) -> list[ProviderCredential]:
    """The credentials a user object carries (its `*Credentials` keys), in registry order;
    an unknown key becomes a provider named after it, so nothing is silently dropped."""
    found: list[ProviderCredential] = []
    for p in REGISTRY:
        data = user_credentials.get(p.user_field)
        if isinstance(data, Mapping) and data:
            found.append(ProviderCredential.from_json(p, data))
    for key, data in user_credentials.items():
        if key not in BY_USER_FIELD and isinstance(data, Mapping) and data:
            name = key.removesuffix("Credentials")
            unknown = Provider(name, name, name, Family.OAUTH, ())
            found.append(ProviderCredential.from_json(unknown, data))
    return found


def _path(p: Provider, user_id: str) -> str:
    return f"{USERS}/{seg(user_id)}/{p.path_name}"


def _what(p: Provider, user_id: str) -> str:
    return f"{p.display} credentials of Leaf user {user_id}"


class CredentialsService:
    """GET/POST/DELETE and events of any provider's credential."""

    def __init__(self, http: Http) -> None:
        self._http = http

    async def get(self, p: Provider, user_id: str) -> ProviderCredential:
        """NotFound when the user has none (or does not exist)."""

        def convert(data: Any) -> ProviderCredential:
            return ProviderCredential.from_json(p, expect_object(data))

        credential, _ = await self._http.get_json(
            _path(p, user_id), convert, what=_what(p, user_id)
        )
        return credential

    async def create(
        self, p: Provider, user_id: str, body: Mapping[str, Any]
    ) -> ProviderCredential:
        """POST, never retried blindly. Only the documented fields are sent."""
        sent = {k: v for k, v in body.items() if k in p.fields and v not in (None, "")}
        path = _path(p, user_id)
        response = await self._http.send("POST", path, body=sent, what=_what(p, user_id))

        def convert(data: Any) -> ProviderCredential:
            return ProviderCredential.from_json(p, expect_object(data))

        return await self._http.decode(response, convert, method="POST", path=path)

    async def delete(self, p: Provider, user_id: str) -> None:
        await self._http.send("DELETE", _path(p, user_id), what=_what(p, user_id))

    async def events(
        self, p: Provider, user_id: str, *, page: int | None = None, size: int | None = None
    ) -> list[ProviderEvent]:
        """The log of Leaf's exchanges with the provider, oldest first; one page when asked."""
        path = f"{_path(p, user_id)}/events"
        params: dict[str, str | int] = {}
        if page is not None:
            params["page"] = page
        if size is not None:
            params["size"] = size

        def convert(data: Any) -> list[ProviderEvent]:
            events = [ProviderEvent.from_json(item) for item in expect_list(data)]
            events.sort(key=lambda e: (e.created_date or _EARLIEST, e.id))
            return events

        response = await self._http.send(
            "GET", path, params=params or None, what=f"{p.display} events of {user_id}"
        )
        return await self._http.decode(response, convert, method="GET", path=path)


@dataclass(frozen=True)
class GrowerCredentials:
    """A grower's credentials: from the user object, plus a GET for each provider the user
    object does not carry; `unchecked` names the providers whose GET failed (and why)."""

    credentials: tuple[ProviderCredential, ...]
    unchecked: Mapping[str, str] = field(default_factory=dict)


async def grower_credentials(
    service: CredentialsService, user_credentials: Mapping[str, Any], user_id: str
) -> GrowerCredentials:
    """Every credential of one grower: Sentera, Agvance and Panorama cost a GET each (the user
    object does not carry them); a NotFound means not connected."""
    found = {c.provider.name: c for c in credentials_of(user_credentials)}
    unchecked: dict[str, str] = {}

    async def one(p: Provider) -> None:
        try:
            found[p.name] = await service.get(p, user_id)
        except NotFound:
            pass
        except LeafError as exc:
            unchecked[p.name] = type(exc).__name__

    await gather_or_fail(one(p) for p in REGISTRY if not p.in_user_object)
    ordered = [c for p in REGISTRY if (c := found.get(p.name)) is not None]
    ordered += [c for name, c in found.items() if name not in BY_NAME]
    return GrowerCredentials(tuple(ordered), unchecked)
