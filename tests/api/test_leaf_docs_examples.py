"""The curl examples of Leaf's two documents (leaf-docs/sentera-credentials.txt and
magic-link-endpoints.txt), replayed as written against the sandbox with only the base URL, the
token, ids and the documented placeholders filled in; and the documented answers read by our
models. If Leaf's docs work with curl, they must work here."""

from __future__ import annotations

import json
import shlex
from typing import Any

import httpx
import pytest

from leaf_tui.api import (
    CreatedLink,
    LinkKind,
    MagicLink,
    SenteraCredential,
    parse_timestamp,
)

from .conftest import GROWER, Env

SENTERA_CURLS = [
    """curl -X POST \\
    -H 'Authorization: Bearer YOUR_TOKEN' \\
    -H 'Content-Type: application/json' \\
    -d '{
      "username": "grower-username",
      "password": "grower-password",
      "organizationName": "grower-org-name"
    }' \\
    'https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/sentera-credentials'""",
    (
        'curl "https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/'
        'sentera-credentials" \\\n  -H "Authorization: Bearer YOUR_TOKEN"'
    ),
    """curl -X GET \\
    -H 'Authorization: Bearer YOUR_TOKEN' \\
    'https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/sentera-credentials/events'""",
]

SETTINGS = (
    '"settings": { "backgroundColor": "codeColor", "headerImage": "URL", "companyLogo": "URL", '
    '"companyName": "companyName", "showLeafUserName": "boolean", "disconnectEnabled": "boolean" }'
)
# disconnectEnabled applies to provider and authentication links only: the sandbox rejects true
FILE_SETTINGS = SETTINGS.replace('"disconnectEnabled": "boolean"', '"disconnectEnabled": "false"')
W = "https://api.withleaf.io/services/widgets/api/magic-link"


def _link_curls(kind: str, body: str, with_user_body: str) -> list[str]:
    auth = "-H 'Authorization: Bearer YOUR_TOKEN'"
    return [
        f"curl -X POST {auth} -d '{body}' '{W}/users/{{leafUserId}}/{kind}'",
        f"curl -X POST {auth} -d '{with_user_body}' '{W}/{kind}'",
        f"curl -X GET {auth} '{W}/{kind}'",
        f"curl -X GET {auth} '{W}/{kind}/{{magicLinkId}}'",
        f"curl -X DELETE {auth} '{W}/{kind}/{{magicLinkId}}'",
    ]


LINK_CURLS = {
    "provider": _link_curls(
        "provider",
        '{ "expiresIn": int, "allowedProviders": ["providerName"], ' + SETTINGS + " }",
        '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
        '"expiresIn": int, "allowedProviders": ["providerName"], ' + SETTINGS + " }",
    ),
    "authentication": _link_curls(
        "authentication",
        '{ "expiresIn": int, "provider": "providerName", ' + SETTINGS + " }",
        '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
        '"expiresIn": int, "provider": "provider_name", ' + SETTINGS + " }",
    ),
    "file-upload": _link_curls(
        "file-upload",
        '{ "expiresIn": int, ' + FILE_SETTINGS + " }",
        '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
        '"expiresIn": int, ' + FILE_SETTINGS + " }",
    ),
}

# the documents' placeholders, filled with values a reader would put there
PLACEHOLDERS = {
    '"expiresIn": int': '"expiresIn": 3600',
    '"providerName"': '"JohnDeere"',
    '"provider_name"': '"Trimble"',
    '"codeColor"': '"#27ae60"',
    '"URL"': '"https://cdn.example.com/brand.png"',
    '"boolean"': '"true"',
    '"companyName": "companyName"': '"companyName": "Heartland Co-op"',
    '"grower-username"': f'"{GROWER[0]}"',
    '"grower-password"': f'"{GROWER[1]}"',
    '"grower-org-name"': f'"{GROWER[2]}"',
    '"user_name"': '"Docs Grower"',
    '"user_email"': '"docs.grower@example.com"',
    '"external_id"': '"docs-external-1"',
}


def parse_curl(command: str, env: Env, ids: dict[str, str]) -> httpx.Request:
    """curl's -X, -H, -d and URL, with the placeholders filled in."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl"
    method, headers, data, url = "GET", {}, None, None
    i = 1
    while i < len(words):
        word = words[i]
        if word == "-X":
            method, i = words[i + 1], i + 2
        elif word == "-H":
            name, _, value = words[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 2
        elif word == "-d":
            data, i = words[i + 1], i + 2
        else:
            url, i = word, i + 1
    assert url is not None
    if data is not None:
        if method == "GET":
            method = "POST"
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")  # curl -d
        for placeholder, value in PLACEHOLDERS.items():
            data = data.replace(placeholder, value)
        json.loads(data)  # the filled-in example is JSON
    url = url.replace("https://api.withleaf.io", env.base_url)
    for key, value in ids.items():
        url = url.replace("{" + key + "}", value)
    headers = {k: v.replace("YOUR_TOKEN", env.client.token or "") for k, v in headers.items()}
    return env.raw.build_request(
        method, url, headers=headers, content=data.encode() if data else None
    )


async def replay(env: Env, command: str, ids: dict[str, str]) -> httpx.Response:
    return await env.raw.send(parse_curl(command, env, ids))


async def test_sentera_document_replayed(env: Env) -> None:
    user = await env.client.users.create(name="Docs Grower")
    ids = {"leafUserId": user.id}
    created = await replay(env, SENTERA_CURLS[0], ids)
    assert created.status_code == 201, created.text
    credential = SenteraCredential.from_json(created.json())
    assert credential.username == GROWER[0] and credential.organization_name == GROWER[2]
    assert credential.organization_id  # "Leaf ... resolves the organizationId"
    confirm = await replay(env, SENTERA_CURLS[1], ids)
    assert confirm.status_code == 200
    assert SenteraCredential.from_json(confirm.json()) == credential
    events = await replay(env, SENTERA_CURLS[2], ids)
    assert events.status_code == 200 and isinstance(events.json(), list)
    assert await env.client.sentera.get(user.id) == credential


@pytest.mark.parametrize("kind", ["provider", "authentication", "file-upload"])
async def test_magic_link_document_replayed(env: Env, kind: str) -> None:
    user = await env.client.users.create(name="Docs Grower")
    create_for_user, create_with_user, list_all, get_one, delete = LINK_CURLS[kind]
    made = await replay(env, create_for_user, {"leafUserId": user.id})
    assert made.status_code == 201, made.text
    created = CreatedLink.from_json(made.json())
    assert created.leaf_user_id == user.id
    ids = {"magicLinkId": created.id}
    listed = await replay(env, list_all, ids)
    assert listed.status_code == 200
    # the first page as Leaf pages it; the whole list, as the client reads it, has the link
    assert len(listed.json()) == min(20, int(listed.headers["x-total-count"]))
    assert created.id in {item.id for item in await env.client.links.list(LinkKind.from_path(kind))}
    one = await replay(env, get_one, ids)
    link = MagicLink.from_json(one.json())
    assert link.kind is LinkKind.from_path(kind)
    assert link.settings.background_color == "#27ae60"
    assert link.settings.company_name == "Heartland Co-op"
    assert link.settings.company_logo == "https://cdn.example.com/brand.png"
    assert link.settings.show_leaf_user_name is True
    assert link.expires_at is not None and created.expires_at == link.expires_at
    with_user = await replay(env, create_with_user, {})
    assert with_user.status_code == 201, with_user.text
    new_user = await env.client.users.get(with_user.json()["leafUserId"])
    assert (new_user.name, new_user.email, new_user.external_id) == (
        "Docs Grower",
        "docs.grower@example.com",
        "docs-external-1",
    )
    deleted = await replay(env, delete, ids)
    assert deleted.status_code in (200, 204)
    assert (await replay(env, get_one, ids)).status_code == 404


# --- the documented answers, read by our models ---------------------------------------------------

DOC_LINK: dict[str, Any] = {
    "id": "magicLinkId",
    "link": "https://magic-link.withleaf.io/magicLinkId",
    "createdAt": "2023-11-02T19:17:16.494Z",
    "expiresAt": "2024-10-26T14:23:56.584Z",
    "lastAccessedAt": "2023-11-02T19:17:18.906Z",
    "leafUserId": "UUID",
    "maxUsage": 3,
    "usageCount": 0,
    "widget": "PROVIDER",
    "settings": {
        "backgroundColor": "codeColor",
        "headerImage": "URL",
        "companyLogo": "URL",
        "companyName": "companyName",
        "showLeafUserName": "boolean",
        "disconnectEnabled": "boolean",
    },
    "allowedProviders": ["Other"],
}


def test_documented_link_answer_reads() -> None:
    link = MagicLink.from_json(DOC_LINK)
    assert link.kind is LinkKind.PROVIDER and link.allowed_providers == ("Other",)
    assert link.created_at == parse_timestamp("2023-11-02T19:17:16.494000Z")
    assert (link.max_usage, link.usage_count) == (3, 0)
    # "boolean" is a placeholder, not a value: unknown, not a crash
    assert link.settings.show_leaf_user_name is None


def test_documented_create_answer_with_nine_digits_reads() -> None:
    created = CreatedLink.from_json(
        {
            "id": "magicLinkId",
            "leafUserId": "UUID",
            "link": "https://magic-link.withleaf.io/magicLinkId",
            "expiresAt": "2010-10-10T10:10:10.000000000Z",
        }
    )
    assert created.expires_at is not None
    assert created.expires_at.isoformat() == "2010-10-10T10:10:10+00:00"


def test_documented_credential_answer_reads() -> None:
    credential = SenteraCredential.from_json(
        {
            "id": "uuid",
            "status": "str",
            "createdTime": "2026-03-01T10:11:12.123456Z",
            "username": "str",
            "authToken": "str",
            "organizationId": "str",
            "organizationName": "str",
        }
    )
    assert credential.created_time is not None and credential.created_time.microsecond == 123456
    assert not credential.healthy  # anything but "OK"
