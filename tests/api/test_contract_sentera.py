"""Contract: Sentera credentials and their events, against the sandbox (ASGI and loopback)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from leaf_tui.api import Conflict, Invalid, LeafUser, NotFound, SenteraCredential

from .conftest import GROWER, SANDBOX_NOW, Env


async def connected_users(env: Env) -> list[LeafUser]:
    """Asked of the credential endpoint: Leaf's user object does not carry Sentera."""
    found = []
    for user in await env.client.users.list_all():
        with contextlib.suppress(NotFound):
            await env.client.sentera.get(user.id)
            found.append(user)
    return found


async def unconnected_user(env: Env) -> LeafUser:
    return await env.client.users.create(name="Newly Onboarded", external_id="crm-sentera-1")


async def test_get_has_every_documented_field(env: Env) -> None:
    users = await connected_users(env)
    assert users, "the demo data has growers connected to Sentera"
    for user in users:
        credential = await env.client.sentera.get(user.id)
        assert credential.id and credential.username
        assert credential.status in ("OK", "UNAUTHENTICATED")
        assert credential.created_time is not None and credential.created_time <= SANDBOX_NOW
        assert credential.auth_token and credential.organization_id
        assert credential.organization_name
        assert credential.healthy is (credential.status == "OK")
        assert credential.auth_token not in repr(credential)
        assert "senteraCredentials" not in user.credentials
    statuses = {(await env.client.sentera.get(u.id)).status for u in users}
    assert statuses == {"OK", "UNAUTHENTICATED"}, "demo has healthy and broken connections"


async def test_created_time_has_six_fractional_digits_and_parses_them(env: Env) -> None:
    user = (await connected_users(env))[0]
    headers = {"Authorization": f"Bearer {env.client.token}"}
    raw = await env.raw.get(
        f"/services/usermanagement/api/users/{user.id}/sentera-credentials", headers=headers
    )
    stamp = raw.json()["createdTime"]
    fraction = stamp.split(".")[1]
    assert len(fraction) == 7 and fraction.endswith("Z")  # 6 digits + Z
    credential = await env.client.sentera.get(user.id)
    assert credential.created_time is not None
    assert credential.created_time.microsecond == int(fraction[:6])


async def test_no_credential_is_not_found(env: Env) -> None:
    user = await unconnected_user(env)
    with pytest.raises(NotFound) as caught:
        await env.client.sentera.get(user.id)
    assert str(caught.value).startswith(f"Sentera credentials of Leaf user {user.id} not found")
    with pytest.raises(NotFound):
        await env.client.sentera.events(user.id)
    with pytest.raises(NotFound):
        await env.client.sentera.delete(user.id)


async def test_unknown_user_is_not_found(env: Env) -> None:
    with pytest.raises(NotFound, match="Leaf user 00000000"):
        await env.client.sentera.get("00000000-0000-4000-8000-000000000000")


async def test_create_with_the_demo_grower(env: Env) -> None:
    user = await unconnected_user(env)
    username, password, organization = GROWER
    created = await env.client.sentera.create(user.id, username, password, organization)
    assert isinstance(created, SenteraCredential)
    assert created.status == "OK" and created.healthy
    assert (created.username, created.organization_name) == (username, organization)
    assert created.organization_id and created.auth_token
    assert created.created_time == SANDBOX_NOW
    assert "password" not in created.extra  # never returned
    assert password not in repr(created)
    assert await env.client.sentera.get(user.id) == created
    assert "sentera" not in (await env.client.users.get(user.id)).providers  # not in Leaf's user
    events = await env.client.sentera.events(user.id)
    assert [e.status_code for e in events] == [200]


async def test_second_create_is_a_conflict(env: Env) -> None:
    user = await unconnected_user(env)
    await env.client.sentera.create(user.id, *GROWER)
    with pytest.raises(Conflict) as caught:
        await env.client.sentera.create(user.id, *GROWER)
    assert caught.value.status == 409
    assert "already has Sentera credentials" in str(caught.value)


async def test_wrong_password_is_invalid_and_says_the_login_failed(env: Env) -> None:
    user = await unconnected_user(env)
    with pytest.raises(Invalid) as caught:
        await env.client.sentera.create(user.id, GROWER[0], "wrong-password", GROWER[2])
    assert "Sentera login failed" in str(caught.value)
    assert "wrong-password" not in str(caught.value)
    assert [f.field for f in caught.value.field_errors] == ["password"]
    with pytest.raises(NotFound):
        await env.client.sentera.get(user.id)


async def test_organization_in_the_wrong_case_is_invalid_and_says_so(env: Env) -> None:
    user = await unconnected_user(env)
    with pytest.raises(Invalid) as caught:
        await env.client.sentera.create(user.id, GROWER[0], GROWER[1], "prairie farms")
    assert "case-sensitive" in str(caught.value)
    assert '"Prairie Farms"' in str(caught.value)
    assert caught.value.field_errors[0].field == "organizationName"


async def test_missing_fields_are_invalid_with_field_errors(env: Env) -> None:
    user = await unconnected_user(env)
    with pytest.raises(Invalid) as caught:
        await env.client.sentera.create(user.id, "", "", "")
    fields = {f.field for f in caught.value.field_errors}
    assert {"username", "organizationName"} <= fields


async def test_delete_removes_the_credential_and_its_events(env: Env) -> None:
    user = (await connected_users(env))[0]
    assert await env.client.sentera.events(user.id)
    await env.client.sentera.delete(user.id)
    with pytest.raises(NotFound):
        await env.client.sentera.get(user.id)
    with pytest.raises(NotFound):
        await env.client.sentera.events(user.id)
    assert "sentera" not in (await env.client.users.get(user.id)).providers


async def test_events_are_sorted_oldest_first_with_every_field(env: Env) -> None:
    for user in await connected_users(env):
        events = await env.client.sentera.events(user.id)
        keys = [(e.created_date, e.id) for e in events]
        assert keys == sorted(keys)  # type: ignore[type-var]
        for event in events:
            assert event.id and event.created_date is not None
            assert isinstance(event.status_code, int)
            assert event.headers.startswith("{") and isinstance(event.body, str)
            # kept 30 days
            assert event.created_date >= SANDBOX_NOW - timedelta(days=30)


async def test_events_reach_the_client_as_leaf_sends_them(env: Env) -> None:
    user = (await connected_users(env))[0]
    headers = {"Authorization": f"Bearer {env.client.token}"}
    raw = await env.raw.get(
        f"/services/usermanagement/api/users/{user.id}/sentera-credentials/events",
        headers=headers,
    )
    body = raw.json()
    assert isinstance(body, list) and body
    assert set(body[0]) == {"id", "createdDate", "statusCode", "headers", "body"}
    events = await env.client.sentera.events(user.id)
    assert {e.id for e in events} == {e["id"] for e in body}


async def test_changed_password_turns_the_credential_unauthenticated_with_a_401_event(
    env: Env,
) -> None:
    user = await unconnected_user(env)
    await env.client.sentera.create(user.id, *GROWER)
    await env.control(
        "POST", "sentera/password", json={"username": GROWER[0], "password": "new-2026"}
    )
    await env.control("POST", "clock", json={"advance": 60})
    await env.control("POST", f"sentera/{user.id}/sync")
    credential = await env.client.sentera.get(user.id)
    assert credential.status == "UNAUTHENTICATED" and not credential.healthy
    events = await env.client.sentera.events(user.id)
    assert [e.status_code for e in events] == [200, 401]
    assert "password" in events[-1].body
    # the documented fix: delete and recreate with the new password
    await env.client.sentera.delete(user.id)
    fixed = await env.client.sentera.create(user.id, GROWER[0], "new-2026", GROWER[2])
    assert fixed.status == "OK"


async def test_recorded_events_appear_in_order(env: Env) -> None:
    user = await unconnected_user(env)
    await env.client.sentera.create(user.id, *GROWER)
    for code in (200, 500, 401):
        await env.control("POST", "clock", json={"advance": 5})
        await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": code})
    events = await env.client.sentera.events(user.id)
    assert [e.status_code for e in events] == [200, 200, 500, 401]


async def test_owner_isolation_for_sentera(env: Env) -> None:
    user = (await connected_users(env))[0]
    with pytest.raises(NotFound):
        await env.other.sentera.get(user.id)
    with pytest.raises(NotFound):
        await env.other.sentera.events(user.id)
    with pytest.raises(NotFound):
        await env.other.sentera.delete(user.id)
    assert (await env.client.sentera.get(user.id)).id
