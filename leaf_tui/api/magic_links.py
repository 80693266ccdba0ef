"""Magic links of the three kinds: {base}/services/widgets/api/magic-link/..."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import Any

from leaf_tui.api.concurrency import gather_or_fail
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import CreatedLink, LinkKind, LinkRequest, MagicLink
from leaf_tui.api.paging import PAGE_SIZE, Page, page_of, read_all

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
        # (kind, page number) -> that page's last body and its links. The Links screen polls
        # every page of every kind every few seconds, and the answer is usually the same, byte
        # for byte: converting 2,000 links again each time was most of an idle screen's work.
        self._last_pages: dict[tuple[LinkKind, int], tuple[bytes, tuple[MagicLink, ...]]] = {}

    async def _page(self, kind: LinkKind, number: int, size: int) -> Page[MagicLink]:
        path = f"{MAGIC_LINK}/{kind.path}"
        params: dict[str, str | int] = {"page": number, "size": size}
        response = await self._http.send(
            "GET", path, params=params, what=f"{kind.label.lower()} magic links"
        )
        body = response.content
        last = self._last_pages.get((kind, number))
        if last is not None and last[0] == body:
            links: tuple[MagicLink, ...] = last[1]
        else:
            links = tuple(await self._http.decode(response, _links(kind), method="GET", path=path))
            self._last_pages[(kind, number)] = (body, links)
        return page_of(links, response, size)

    async def list(self, kind: LinkKind) -> builtins.list[MagicLink]:
        """Every link of one kind, page by page (Leaf has no filter: all of them). Pages whose
        answer is identical to the previous one's return the same (immutable) links, without
        decoding them again."""

        async def fetch(number: int, size: int) -> Page[MagicLink]:
            return await self._page(kind, number, size)

        links = await read_all(fetch, key=lambda link: link.id)
        # forget pages past the end (the list shrank)
        pages = math.ceil(len(links) / PAGE_SIZE)
        for stale in [k for k in self._last_pages if k[0] is kind and k[1] >= max(pages, 1)]:
            del self._last_pages[stale]
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
