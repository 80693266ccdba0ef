# ruff: noqa: E501  (the curl examples are quoted verbatim from the Leaf docs)
"""Every curl example of the two Leaf documents, replayed as written: the same method, headers
and body text (curl's form Content-Type included where the docs give no JSON header), with only
the base URL, the token, the ids and the docs' placeholders filled in."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
import pytest

from .helpers import UM, login, sentera_of

# verbatim from leaf-docs/sentera-credentials.txt
SENTERA = [
    """curl -X POST \\
    -H 'Authorization: Bearer YOUR_TOKEN' \\
    -H 'Content-Type: application/json' \\
    -d '{
      "username": "grower-username",
      "password": "grower-password",
      "organizationName": "grower-org-name"
    }' \\
    'https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/sentera-credentials'""",
    """curl "https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/sentera-credentials" \\
  -H "Authorization: Bearer YOUR_TOKEN\"""",
    """curl -X GET \\
    -H 'Authorization: Bearer YOUR_TOKEN' \\
    'https://api.withleaf.io/services/usermanagement/api/users/{leafUserId}/sentera-credentials/events'""",
]


# verbatim from leaf-docs/magic-link-endpoints.txt (per kind: list, get, create, delete)
def _kind_examples(kind: str, create_body: str) -> list[str]:
    return [
        f"""curl -X GET \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
'https://api.withleaf.io/services/widgets/api/magic-link/{kind}'""",
        f"""curl -X GET \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
'https://api.withleaf.io/services/widgets/api/magic-link/{kind}/{{magicLinkId}}'""",
        f"""curl -X POST \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
-d '{create_body}'
'https://api.withleaf.io/services/widgets/api/magic-link/users/{{leafUserId}}/{kind}'""",
        f"""curl -X DELETE \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
'https://api.withleaf.io/services/widgets/api/magic-link/{kind}/{{magicLinkId}}'""",
    ]


SETTINGS = (
    '"settings": { "backgroundColor": "codeColor", "headerImage": "URL", "companyLogo": '
    '"URL", "companyName": "companyName", "showLeafUserName": "boolean", '
    '"disconnectEnabled": "boolean" }'
)
MAGIC = {
    "provider": _kind_examples(
        "provider", '{ "expiresIn": int, "allowedProviders": ["providerName"], ' + SETTINGS + " }"
    ),
    "authentication": _kind_examples(
        "authentication", '{ "expiresIn": int, "provider": "providerName", ' + SETTINGS + " }"
    ),
    "file-upload": _kind_examples(
        "file-upload",
        '{ "expiresIn": int, "settings": { "backgroundColor": "codeColor", "headerImage": "URL", '
        '"companyLogo": "URL", "companyName": "companyName", "showLeafUserName": "boolean", '
        '"disconnectEnabled": "boolean" } }',
    ),
}
WITH_USER = {
    "provider": '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
    '"expiresIn": int, "allowedProviders": ["providerName"], ' + SETTINGS + " }",
    "authentication": '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
    '"expiresIn": int, "provider": "provider_name", ' + SETTINGS + " }",
    "file-upload": '{ "name": "user_name", "email": "user_email", "externalId": "external_id", '
    '"expiresIn": int, "settings": { "backgroundColor": "codeColor", "headerImage": "URL", '
    '"companyLogo": "URL", "companyName": "companyName", "showLeafUserName": "boolean", '
    '"disconnectEnabled": "boolean" } }',
}
CUSTOMIZATION = """curl -X POST \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
-d '{ "expiresIn": int, "allowedProviders": ["Other"], "settings": { "backgroundColor": "codeColor", "headerImage": "URL", "companyLogo": "URL", "companyName": "companyName", "showLeafUserName": "boolean", "disconnectEnabled": "boolean" } }'
'https://api.withleaf.io/services/widgets/api/magic-link/users/{leafUserId}/provider'"""

# the docs' placeholders, as a reader would fill them in
PLACEHOLDERS = {
    '"grower-username"': '"grower@sentera.example"',
    '"grower-password"': '"harvest-2026"',
    '"grower-org-name"': '"Prairie Farms"',
    '"providerName"': '"JohnDeere"',
    '"provider_name"': '"CNHI"',
    '"codeColor"': '"#27ae60"',
    '"URL"': '"https://cdn.example.com/brand.png"',
    '"companyName": "companyName"': '"companyName": "Acme Agronomy"',
    '"boolean"': '"true"',
    '"user_name"': '"Dana Doe"',
    '"user_email"': '"dana@doe-farms.example"',
    '"external_id"': '"docs-ext-1"',
}


@dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def parse_curl(text: str, token: str, ids: dict[str, str]) -> Curl:
    words = shlex.split(text.replace("\\\n", " ").replace("\n", " "))
    assert words[0] == "curl"
    method, headers, data, url = None, {}, None, ""
    it = iter(words[1:])
    for word in it:
        if word == "-X":
            method = next(it)
        elif word == "-H":
            name, _, value = next(it).partition(":")
            headers[name.strip()] = value.strip().replace("YOUR_TOKEN", token)
        elif word == "-d":
            data = next(it)
        else:
            url = word
    if data is not None:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")  # curl's default
        data = re.sub(r":\s*int\b", ": 900", data)
        for placeholder, value in PLACEHOLDERS.items():
            data = data.replace(placeholder, value)
    url = url.replace("https://api.withleaf.io", "")
    for name, value in ids.items():
        url = url.replace("{" + name + "}", value)
    return Curl(method or ("POST" if data is not None else "GET"), url, headers, data)


def last_page_url(response: httpx.Response, service_root: str) -> str:
    """rel="last" of a Link like Leaf's (`<api/...?page=1&size=20>;rel="last"`), resolved
    against the service root."""
    found = re.search(r'<([^>]+)>;rel="last"', response.headers["link"])
    assert found, response.headers["link"]
    return urljoin(service_root, found.group(1))


def auth_of(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def replay(http: httpx.AsyncClient, curl: Curl) -> httpx.Response:
    return await http.request(
        curl.method,
        curl.url,
        headers=curl.headers,
        content=curl.data.encode() if curl.data is not None else None,
    )


async def _token_and_user(http: httpx.AsyncClient) -> tuple[str, str]:
    auth = await login(http)
    uid = next(u for u, c in (await sentera_of(http, auth)).items() if c is None)
    return auth["Authorization"].removeprefix("Bearer "), uid


async def test_sentera_examples(asgi_http: httpx.AsyncClient) -> None:
    token, uid = await _token_and_user(asgi_http)
    ids = {"leafUserId": uid}
    create, get, events = (parse_curl(c, token, ids) for c in SENTERA)
    r = await replay(asgi_http, create)
    assert r.status_code == 201, r.text
    assert r.json()["organizationName"] == "Prairie Farms" and r.json()["organizationId"]
    r = await replay(asgi_http, get)  # "Leaf returns the credential object with organizationId"
    assert r.status_code == 200 and r.json()["organizationId"]
    r = await replay(asgi_http, events)
    assert r.status_code == 200 and [e["statusCode"] for e in r.json()] == [200]


@pytest.mark.parametrize("kind", list(MAGIC))
async def test_magic_link_examples(asgi_http: httpx.AsyncClient, kind: str) -> None:
    token, uid = await _token_and_user(asgi_http)
    list_, get, create, delete = MAGIC[kind]
    r = await replay(asgi_http, parse_curl(create, token, {"leafUserId": uid}))
    assert r.status_code == 201, r.text
    link_id = r.json()["id"]
    assert r.json()["expiresAt"] == "2026-03-02T09:15:00.000000000Z"
    ids = {"leafUserId": uid, "magicLinkId": link_id}
    listed = await replay(asgi_http, parse_curl(list_, token, ids))
    # the documented bare array, paged as Leaf pages every list: the first 20, the total, and
    # a relative Link whose rel="last" page holds the newest link
    assert listed.status_code == 200 and isinstance(listed.json(), list)
    assert len(listed.json()) == min(20, int(listed.headers["x-total-count"]))
    assert {"id", "link", "widget", "settings", "maxUsage"} <= set(listed.json()[0])
    last = last_page_url(listed, "/services/widgets/")
    assert link_id in [x["id"] for x in (await asgi_http.get(last, headers=auth_of(token))).json()]
    got = (await replay(asgi_http, parse_curl(get, token, ids))).json()
    assert got["settings"]["companyName"] == "Acme Agronomy"
    assert got["settings"]["showLeafUserName"] is True
    assert got["settings"]["disconnectEnabled"] is (kind != "file-upload")
    assert (await replay(asgi_http, parse_curl(delete, token, ids))).status_code == 204
    assert (await replay(asgi_http, parse_curl(get, token, ids))).status_code == 404


@pytest.mark.parametrize("kind", list(WITH_USER))
async def test_magic_link_with_user_creation_examples(
    asgi_http: httpx.AsyncClient, kind: str
) -> None:
    token, _ = await _token_and_user(asgi_http)
    text = f"""curl -X POST \\
-H 'Authorization: Bearer YOUR_TOKEN' \\
-d '{WITH_USER[kind]}'
'https://api.withleaf.io/services/widgets/api/magic-link/{kind}'"""
    r = await replay(asgi_http, parse_curl(text, token, {}))
    assert r.status_code == 201, r.text
    user = (
        await asgi_http.get(
            f"{UM}/users/{r.json()['leafUserId']}", headers={"Authorization": f"Bearer {token}"}
        )
    ).json()
    assert (user["name"], user["email"], user["externalId"]) == (
        "Dana Doe",
        "dana@doe-farms.example",
        "docs-ext-1",
    )


async def test_customization_example_names_the_bad_provider(asgi_http: httpx.AsyncClient) -> None:
    """The docs' customization example offers provider "Other", which is not one of the seven
    documented providers: the sandbox says so rather than inventing a provider."""
    token, uid = await _token_and_user(asgi_http)
    r = await replay(asgi_http, parse_curl(CUSTOMIZATION, token, {"leafUserId": uid}))
    assert r.status_code == 400
    assert 'unknown provider "Other"' in r.json()["title"] and "JohnDeere" in r.json()["title"]
    fixed = CUSTOMIZATION.replace('["Other"]', '["JohnDeere"]')
    r = await replay(asgi_http, parse_curl(fixed, token, {"leafUserId": uid}))
    assert r.status_code == 201
