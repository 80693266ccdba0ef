"""Polling the magic links: a list answer byte-for-byte the same as the previous one of that kind
is not decoded again (the Links screen polls all three kinds every few seconds)."""

from __future__ import annotations

from typing import Any

import pytest

from leaf_tui.api import LinkKind
from leaf_tui.api import magic_links as links_module
from leaf_tui.api.models import LinkRequest

from .conftest import Env


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[LinkKind]:
    """Records each list conversion's kind (the real one still runs)."""
    made: list[LinkKind] = []
    real = links_module._links

    def counting(kind: LinkKind) -> Any:
        convert = real(kind)

        def recorded(data: Any) -> Any:
            made.append(kind)
            return convert(data)

        return recorded

    monkeypatch.setattr(links_module, "_links", counting)
    return made


async def test_an_unchanged_list_is_not_decoded_again(
    env: Env, conversions: list[LinkKind]
) -> None:
    first = await env.client.links.list_all()
    second = await env.client.links.list_all()
    assert second == first and type(second) is list
    assert sorted(conversions, key=str) == sorted(LinkKind, key=str)  # once per kind
    # the very same immutable links, in a list of the caller's own
    assert all(a is b for a, b in zip(first, second, strict=True))


async def test_a_changed_list_is_decoded(env: Env, conversions: list[LinkKind]) -> None:
    before = await env.client.links.list(LinkKind.PROVIDER)
    user = await env.client.users.create(name="Cache Grower", external_id="crm-links-cache")
    request = LinkRequest(kind=LinkKind.PROVIDER, allowed_providers=("JohnDeere",))
    created = await env.client.links.create_for_user(user.id, request)
    after = await env.client.links.list(LinkKind.PROVIDER)
    assert conversions == [LinkKind.PROVIDER, LinkKind.PROVIDER]
    assert len(after) == len(before) + 1
    assert any(link.leaf_user_id == user.id for link in after)
    assert created.link
