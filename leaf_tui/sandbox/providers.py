"""Every provider whose credential Leaf keeps under /users/{id}/<segment>-credentials, as Leaf's
docs list them: the body fields, what the answer echoes and adds, the user-object field and
whether magic links cover it. Sentera has its own modules (a fake Sentera checks its logins)."""

from __future__ import annotations

from dataclasses import dataclass

OAUTH = "oauth"
KEY = "key"
PASSWORD = "password"
ENVIRONMENTS = ("STAGE", "PRODUCTION")


@dataclass(frozen=True)
class Provider:
    name: str  # Leaf's spelling in magic links and integrations: "JohnDeere"
    segment: str  # the path segment before "-credentials"
    label: str  # for messages: "John Deere"
    family: str  # OAUTH, KEY or PASSWORD: how a grower's connection is made
    body: tuple[str, ...]  # POST body fields, in the docs' order
    optional: tuple[str, ...] = ()  # body fields that may be left out
    hidden: tuple[str, ...] = ()  # body fields the answer never returns (passwords)
    access_token: bool = False  # the answer carries an accessToken Leaf got for it
    scopes: tuple[str, ...] = ()  # tokenMetadata.scopes (only providers the docs show it for)
    session_id: bool = False  # Agvance: a sessionId Leaf got by logging in
    user_field: str | None = None  # the key in the Leaf user object, if Leaf documents one
    magic_link: bool = False  # allowed in magic links' provider/allowedProviders
    organizations: bool = False  # the provider has organizations that grant access (403s)

    @property
    def environments(self) -> bool:
        return "clientEnvironment" in self.body


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "JohnDeere",
        "john-deere",
        "John Deere",
        OAUTH,
        ("clientKey", "clientSecret", "refreshToken", "clientEnvironment"),
        access_token=True,
        scopes=("ag1", "ag2", "ag3", "eq1", "files", "offline_access"),
        user_field="johnDeereCredentials",
        magic_link=True,
        organizations=True,
    ),
    Provider(
        "ClimateFieldView",
        "climate-field-view",
        "Climate FieldView",
        OAUTH,
        ("clientId", "clientSecret", "apiKey", "refreshToken"),
        access_token=True,
        scopes=("platform", "fields:read", "asPlanted:read", "asHarvested:read", "imagery:read"),
        user_field="climateFieldViewCredentials",
        magic_link=True,
    ),
    Provider(
        "CNHI",
        "cnhi",
        "CNHI",
        OAUTH,
        ("clientId", "clientSecret", "subscriptionKey", "refreshToken", "clientEnvironment"),
        user_field="cnhiCredentials",
        magic_link=True,
        organizations=True,
    ),
    Provider(
        "Trimble",
        "trimble",
        "Trimble",
        OAUTH,
        ("clientId", "clientSecret", "refreshToken"),
        access_token=True,
        scopes=("openid", "ag-data", "offline_access"),
        user_field="trimbleCredentials",
        magic_link=True,
        organizations=True,
    ),
    Provider(
        "Raven",
        "raven",
        "Raven",
        OAUTH,
        ("clientId", "clientSecret", "refreshToken"),
        access_token=True,
        scopes=("grower.read", "field.read", "offline_access"),
        user_field="ravenCredentials",
    ),
    Provider(
        "RavenSlingshot",
        "raven-slingshot",
        "Raven Slingshot",
        KEY,
        ("apiKey", "accessKey", "sharedSecret"),
        user_field="ravenSlingshotCredentials",
        magic_link=True,
    ),
    Provider(
        "AgLeader",
        "ag-leader",
        "AgLeader",
        OAUTH,
        ("accessToken", "refreshToken", "publicKey", "privateKey"),
        optional=("accessToken",),
        user_field="agLeaderCredentials",
        magic_link=True,
    ),
    Provider(
        "Stara",
        "stara",
        "Stara",
        OAUTH,
        ("apiKey", "accessToken", "accessTokenClient", "refreshToken"),
        user_field="staraCredentials",
        magic_link=True,
    ),
    Provider(
        "Agvance",
        "agvance",
        "Agvance",
        PASSWORD,
        ("apiKey", "clientEnvironment", "databaseId", "username", "password"),
        session_id=True,
    ),
    Provider(
        "Lindsay",
        "lindsay",
        "Lindsay",
        OAUTH,
        ("clientId", "clientSecret", "refreshToken", "clientEnvironment"),
        access_token=True,
        scopes=("fieldnet.read", "offline_access"),
        user_field="lindsayCredentials",
    ),
    Provider(
        "Valley",
        "valley",
        "Valley",
        PASSWORD,
        ("apid", "initializationVector", "key", "username", "password"),
        hidden=("password",),
        user_field="valleyCredentials",
    ),
    Provider(
        "Panorama",
        "panorama",
        "Precision Planting Panorama",
        PASSWORD,
        (
            "clientId",
            "username",
            "password",
            "organizationCode",
            "refreshToken",
            "clientEnvironment",
        ),
        hidden=("password",),
        access_token=True,
        organizations=True,
    ),
)
# Sentera is listed with the others in the user object's rules (it has no field there) but its
# endpoints are sentera.py's
SENTERA = "Sentera"
BY_SEGMENT = {p.segment: p for p in PROVIDERS}
BY_NAME = {p.name: p for p in PROVIDERS}
# the `*Credentials` fields Leaf documents in its user object, and only those
USER_FIELDS = tuple(p.user_field for p in PROVIDERS if p.user_field)


def lookup(name: str) -> Provider | None:
    """A provider by Leaf's name ("JohnDeere"), path segment ("john-deere") or user field,
    case-insensitively."""
    folded = name.casefold()
    for p in PROVIDERS:
        if folded in (p.name.casefold(), p.segment, (p.user_field or "").casefold()):
            return p
    return None
