"""Polling the events log: an answer byte-for-byte the same as the previous one for that user is
not decoded again (the log polls every few seconds; the body can be megabytes)."""

from __future__ import annotations

from typing import Any

import pytest

from leaf_tui.api import LeafUser, NotFound
from leaf_tui.api import sentera as sentera_module

from .conftest import GROWER, Env


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of the events parser (the real one still runs)."""
    calls: list[int] = []
    real = sentera_module._events

    def counting(data: Any, known: Any) -> list[sentera_module.SenteraEvent]:
        events = real(data, known)
        calls.append(len(events))
        return events

    monkeypatch.setattr(sentera_module, "_events", counting)
    return calls


async def connected_user(env: Env) -> LeafUser:
    user = await env.client.users.create(name="Cache Grower", external_id="crm-cache-1")
    await env.client.sentera.create(user.id, *GROWER)
    for code in (200, 401):
        await env.control("POST", "clock", json={"advance": 5})
        await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": code})
    return user


async def test_identical_polls_parse_once(env: Env, parses: list[int]) -> None:
    user = await connected_user(env)
    first = await env.client.sentera.events(user.id)
    second = await env.client.sentera.events(user.id)
    assert [e.status_code for e in first] == [200, 200, 401]
    assert second == first
    assert type(second) is list
    assert parses == [3], "the second, identical answer was not parsed"
    # the very same immutable events, in a list of the caller's own
    assert all(a is b for a, b in zip(first, second, strict=True))
    second.clear()
    assert await env.client.sentera.events(user.id) == first


async def test_a_new_event_is_parsed(env: Env, parses: list[int]) -> None:
    user = await connected_user(env)
    before = await env.client.sentera.events(user.id)
    await env.control("POST", "clock", json={"advance": 5})
    await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": 500})
    after = await env.client.sentera.events(user.id)
    assert [e.status_code for e in after] == [200, 200, 401, 500]
    assert after[:3] == before
    assert parses == [3, 4]
    # the events seen before are the very same objects, not equal copies
    assert all(a is b for a, b in zip(before, after[:3], strict=True))


async def test_a_changed_answer_converts_only_new_events(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await connected_user(env)
    await env.client.sentera.events(user.id)
    converted: list[str] = []
    real = sentera_module.SenteraEvent.from_json

    def counting(data: Any) -> sentera_module.SenteraEvent:
        converted.append(str(data.get("id")))
        return real(data)

    monkeypatch.setattr(sentera_module.SenteraEvent, "from_json", counting)
    await env.control("POST", "clock", json={"advance": 5})
    await env.control("POST", f"sentera/{user.id}/events", json={"statusCode": 500})
    after = await env.client.sentera.events(user.id)
    assert converted == [after[-1].id]
    assert after[-1].status_code == 500


async def test_each_user_has_their_own_answer(env: Env, parses: list[int]) -> None:
    one = await connected_user(env)
    other = await env.client.users.create(name="Other Grower", external_id="crm-cache-2")
    await env.client.sentera.create(other.id, *GROWER)
    first = await env.client.sentera.events(one.id)
    theirs = await env.client.sentera.events(other.id)
    assert {e.id for e in first}.isdisjoint({e.id for e in theirs})
    assert await env.client.sentera.events(one.id) == first
    assert await env.client.sentera.events(other.id) == theirs
    assert parses == [3, 1]


async def test_deleted_credential_is_not_answered_from_the_cache(env: Env) -> None:
    user = await connected_user(env)
    assert await env.client.sentera.events(user.id)
    await env.client.sentera.delete(user.id)
    with pytest.raises(NotFound):
        await env.client.sentera.events(user.id)
