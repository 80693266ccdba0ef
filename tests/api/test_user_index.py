"""UserIndex against the sandbox: load, instant search and resolving links' users."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from leaf_tui.api import LeafClient, LeafError, LeafUser, LinkKind, NotFound, UserIndex

GHOST = "00000000-0000-4000-8000-000000000000"


async def test_load_reports_progress_and_indexes_everyone(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    assert not index.loaded and index.search("") == []
    progress: list[tuple[int, int | None]] = []
    await index.load(on_progress=lambda n, t: progress.append((n, t)))
    assert index.loaded and len(index) == 40
    assert progress[-1] == (40, 40)
    everyone = index.search("")
    assert len(everyone) == 40
    names = [u.display_name.casefold() for u in everyone]
    assert names == sorted(names)
    assert len(index.search("", limit=5)) == 5


async def test_search_over_name_email_external_id_and_id(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    await index.load()
    user = next(u for u in index.search("") if u.email and u.external_id and u.name)
    assert user.name and user.email and user.external_id
    assert user in index.search(user.name.upper())
    assert user in index.search(user.email[2:9])
    assert user in index.search(user.external_id)
    assert index.search(user.id[:13]) == [user]
    assert index.search(user.id) == [user]
    assert index.search("zz-no-such-grower-zz") == []


async def test_exact_and_prefix_matches_come_first(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    await index.load()
    exact = await leaf_client.users.create(name="Olsen", email="o@x.example")
    prefix = await leaf_client.users.create(name="Olsenberg Farm")
    inside = await leaf_client.users.create(name="Aaron Olsenton")
    for user in (exact, prefix, inside):
        index.upsert(user)
    found = index.search("olsen")
    assert found[:3] == [exact, prefix, inside]


async def test_upsert_and_remove(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    await index.load()
    user = await leaf_client.users.create(name="Quincy Newcomer")
    assert index.search("quincy newcomer") == []
    index.upsert(user)
    assert index.get(user.id) == user and index.search("quincy newcomer") == [user]
    await leaf_client.users.delete(user.id)
    index.remove(user.id)
    assert index.get(user.id) is None and index.search("quincy newcomer") == []


async def test_resolve_fetches_unknown_users_once_and_remembers_missing(
    leaf_client: LeafClient,
) -> None:
    links = await leaf_client.links.list_all()
    ids = list(dict.fromkeys(link.leaf_user_id for link in links if link.leaf_user_id))
    index = UserIndex(leaf_client)  # not loaded: every id must be fetched
    found = await index.resolve([*ids, GHOST], concurrency=4)
    assert set(found) == set(ids)
    assert all(found[i].id == i for i in ids)
    assert GHOST not in found and index.get(GHOST) is None
    # cached: a second resolve asks nothing, even with a dead token
    leaf_client.token = "expired"
    again = await index.resolve([*ids, GHOST])
    assert again == found


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each users request ("get" or "list"); the real ones still run."""
    from leaf_tui.api.users import UsersService

    made: list[str] = []
    for name in ("get", "list"):
        real = getattr(UsersService, name)

        def spy(self: UsersService, *args: Any, _real: Any = real, _name: str = name, **kw: Any):
            made.append(_name)
            return _real(self, *args, **kw)

        monkeypatch.setattr(UsersService, name, spy)
    return made


async def test_resolving_many_pages_the_list_instead(
    leaf_client: LeafClient, requests: list[str]
) -> None:
    users = await leaf_client.users.list_all()
    ids = [user.id for user in users[:20]]  # 20 unknown users; 40 in all are one page
    requests.clear()
    index = UserIndex(leaf_client)
    found = await index.resolve([*ids, GHOST])
    assert set(found) == set(ids) and index.loaded and len(index) == len(users)
    # the total (one user), one page of everyone, then only the id no page had
    assert requests == ["list", "list", "get"]
    assert index.get(GHOST) is None


async def test_resolving_a_few_asks_for_each(leaf_client: LeafClient, requests: list[str]) -> None:
    users = (await leaf_client.users.list(size=3)).items
    requests.clear()
    index = UserIndex(leaf_client)
    found = await index.resolve([user.id for user in users])
    assert list(found.values()) == list(users)
    assert requests == ["get"] * 3 and not index.loaded


async def test_resolve_waits_for_a_load_under_way(
    leaf_client: LeafClient, requests: list[str]
) -> None:
    users = await leaf_client.users.list_all()
    requests.clear()
    index = UserIndex(leaf_client)
    load = asyncio.ensure_future(index.load())
    await asyncio.sleep(0)  # the load holds its lock
    found = await index.resolve([user.id for user in users])
    await load
    assert len(found) == len(users)
    assert "get" not in requests  # every name came from the load's pages


async def test_resolve_raises_other_errors_but_keeps_what_it_found(
    leaf_client: LeafClient,
) -> None:
    user = (await leaf_client.users.list()).items[0]
    index = UserIndex(leaf_client)
    await index.resolve([user.id])
    leaf_client.token = "expired"
    with pytest.raises(LeafError) as caught:
        await index.resolve([user.id, GHOST])
    assert not isinstance(caught.value, NotFound)
    assert index.get(user.id) == user


async def test_load_keeps_links_users_resolvable(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    await index.load()
    link = (await leaf_client.links.list(LinkKind.PROVIDER))[0]
    assert link.leaf_user_id is not None
    assert index.get(link.leaf_user_id) is not None
    resolved = await index.resolve([link.leaf_user_id])
    assert resolved[link.leaf_user_id].id == link.leaf_user_id


def brute_force(index: UserIndex, query: str) -> list[str]:
    """The documented order, computed the slow, obvious way."""
    needle = query.casefold()

    def fields(user: LeafUser) -> list[str]:
        return [v.casefold() for v in (user.name, user.email, user.external_id, user.id) if v]

    def rank(user: LeafUser) -> int:
        values = fields(user)
        if needle in values:
            return 0
        return 1 if any(v.startswith(needle) for v in values) else 2

    hits = [u for u in index.search("", limit=100_000) if any(needle in v for v in fields(u))]
    hits.sort(key=lambda u: (rank(u), u.display_name.casefold(), u.id))
    return [u.id for u in hits]


async def test_typing_refines_and_changes_are_seen(leaf_client: LeafClient) -> None:
    index = UserIndex(leaf_client)
    await index.load()
    for query in ("o", "ol", "ols", "olso", "ol", "e", "ex", "@", "crm", ""):
        if query:
            assert [u.id for u in index.search(query, limit=1000)] == brute_force(index, query)
    full = index.search("olso")
    # a user added mid-typing shows up on the next keystroke, and a removed one goes
    newcomer = await leaf_client.users.create(name="Olson Newcomer")
    index.upsert(newcomer)
    assert newcomer in index.search("olson")
    index.remove(newcomer.id)
    assert newcomer not in index.search("olson n")
    # backspacing widens again
    assert index.search("olso") == full


async def test_users_are_held_as_untracked_records_and_made_again_whole(
    leaf_client: LeafClient,
) -> None:
    import gc

    from leaf_tui.api.user_index import record_of, user_of

    index = UserIndex(leaf_client)
    await index.load()
    everyone = await leaf_client.users.list_all()
    for user in everyone:  # credentials, address and unknown keys all come back
        assert user_of(record_of(user)) == user
        assert index.get(user.id) == user
    for _ in range(3):  # a tuple is let go once the tuples inside it are
        gc.collect()
    records = index.search_records("")
    assert len(records) == len(everyone)
    assert not any(gc.is_tracked(record) for record in records)  # nothing for the collector
    # the triage queue's users: every one with a credential not OK, and no other
    wanted = {
        u.id
        for u in everyone
        if any(not isinstance(c, dict) or c.get("status") != "OK" for c in u.credentials.values())
    }
    assert {u.id for u in index.users_to_triage()} == wanted
    assert index.credential_keys() == {key for u in everyone for key in u.credentials}


def test_a_record_does_not_spell_out_its_credentials_secrets() -> None:
    """A record shows up in assert messages, logs and a traceback's locals: as LeafUser's repr,
    it must not show a credential's token (nor the address), and it stays untracked."""
    import gc
    import pprint

    from leaf_tui.api.user_index import record_of, user_of

    token = "tok-4f9c2a7e-SECRET-b81d"
    user = LeafUser.from_json(
        {
            "id": "u-1",
            "name": "Ana Grower",
            "email": "ana@example.com",
            "address": {"city": "Sorriso"},
            "johnDeereCredentials": {"id": "c-1", "status": "OK", "authToken": token},
            "sentinelCredentials": {"clientSecret": token + "-2", "status": "OK"},
        }
    )
    assert token not in repr(user)  # as LeafUser already is
    record = record_of(user)
    for shown in (repr(record), str(record), pprint.pformat(record), f"{record!r}"):
        assert token not in shown and "SECRET" not in shown
    assert "Ana Grower" in repr(record)  # the rest of the record stays readable
    assert user_of(record) == user  # nothing lost
    for _ in range(3):  # a tuple is let go once the tuples inside it are
        gc.collect()
    assert not gc.is_tracked(record)
