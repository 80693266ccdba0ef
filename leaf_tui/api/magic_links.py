"""Magic links of the three kinds: {base}/services/widgets/api/magic-link/..."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from leaf_tui.api.concurrency import gather_or_fail
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import CreatedLink, LinkKind, LinkRequest, MagicLink

MAGIC_LINK = "/services/widgets/api/magic-link"


def _what(kind: LinkKind, link_id: str) -> str:
    return f"{kind.label.lower()} magic link {link_id}"


def _links(kind: LinkKind) -> Callable[[Any], list[MagicLink]]:
    def convert(data: Any) -> list[MagicLink]:
        return [MagicLink.from_json(item, kind) for item in expect_list(data)]

    return convert


def _link(kind: LinkKind) -> Callable[[Any], MagicLink]:
    def convert(data: Any) -> MagicLink:
        return MagicLink.from_json(expect_object(data), kind)

    return convert


def _created(data: Any) -> CreatedLink:
    return CreatedLink.from_json(expect_object(data))


class LinksService:
    def __init__(self, http: Http) -> None:
        self._http = http
        # kind -> the last list's body and its links. The Links screen polls all of them every
        # few seconds, and the answer is usually the same, byte for byte: converting 2,000
        # links again each time was most of an idle screen's work.
        self._last_lists: dict[LinkKind, tuple[bytes, tuple[MagicLink, ...]]] = {}

    async def list(self, kind: LinkKind) -> list[MagicLink]:
        """The links of one kind. An answer identical to the previous one returns the same
        (immutable) links in a new list, without decoding it again."""
        path = f"{MAGIC_LINK}/{kind.path}"
        response = await self._http.send("GET", path, what=f"{kind.label.lower()} magic links")
        body = response.content
        last = self._last_lists.get(kind)
        if last is not None and last[0] == body:
            return list(last[1])
        links = await self._http.decode(response, _links(kind), method="GET", path=path)
        self._last_lists[kind] = (body, tuple(links))
        return links

    async def list_all(self) -> builtins.list[MagicLink]:
        """All three kinds, fetched concurrently; in kind order, each as Leaf listed it."""
        per_kind = await gather_or_fail(self.list(kind) for kind in LinkKind)
        return [link for links in per_kind for link in links]

    async def get(self, kind: LinkKind, link_id: str) -> MagicLink:
        link, _ = await self._http.get_json(
            f"{MAGIC_LINK}/{kind.path}/{seg(link_id)}", _link(kind), what=_what(kind, link_id)
        )
        return link

    async def create_for_user(self, user_id: str, request: LinkRequest) -> CreatedLink:
        """POST, never retried: on Unreachable(maybe_sent=True) check the list before retrying."""
        path = f"{MAGIC_LINK}/users/{seg(user_id)}/{request.kind.path}"
        response = await self._http.send(
            "POST", path, body=request.to_json(), what=f"Leaf user {user_id}"
        )
        return await self._http.decode(response, _created, method="POST", path=path)

    async def create_with_user(
        self,
        request: LinkRequest,
        external_id: str,
        name: str | None = None,
        email: str | None = None,
    ) -> CreatedLink:
        """Create the link and, unless one with `external_id` exists, the Leaf user
        (name and email default to the externalId on Leaf's side)."""
        body = request.to_json()
        body["externalId"] = external_id
        if name:
            body["name"] = name
        if email:
            body["email"] = email
        path = f"{MAGIC_LINK}/{request.kind.path}"
        response = await self._http.send("POST", path, body=body)
        return await self._http.decode(response, _created, method="POST", path=path)

    async def delete(self, kind: LinkKind, link_id: str) -> None:
        await self._http.send(
            "DELETE", f"{MAGIC_LINK}/{kind.path}/{seg(link_id)}", what=_what(kind, link_id)
        )
