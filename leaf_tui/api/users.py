"""Leaf users: {base}/services/usermanagement/api/users, paged by X-Total-Count and Link."""

from __future__ import annotations

import asyncio
import builtins
import math
from collections.abc import Callable
from typing import Any

import httpx

from leaf_tui.api.concurrency import gather_or_fail
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import LeafUser, UserPage

USERS = "/services/usermanagement/api/users"
MAX_PAGE_SIZE = 100
_MAX_PAGES = 10_000  # a guard against a server that always says "next"

ProgressCallback = Callable[[int, int | None], None]


def _users(data: Any) -> tuple[LeafUser, ...]:
    return tuple(LeafUser.from_json(item) for item in expect_list(data))


def _user(data: Any) -> LeafUser:
    return LeafUser.from_json(expect_object(data))


def _total(response: httpx.Response) -> int | None:
    raw = response.headers.get("x-total-count", "").strip()
    return int(raw) if raw.isdigit() else None


def _has_next(
    response: httpx.Response, page: int, size: int, count: int, total: int | None
) -> bool:
    """rel="next" decides when a Link header is present; else the total; else a full page."""
    if response.headers.get("link"):
        return "next" in response.links
    if total is not None:
        return (page + 1) * size < total
    return count >= size


def user_label(user_id: str) -> str:
    return f"Leaf user {user_id}"


class UsersService:
    def __init__(self, http: Http) -> None:
        self._http = http

    async def list(
        self,
        page: int = 0,
        size: int = 20,
        sort: str | None = "name,asc",
        name: str | None = None,
        email: str | None = None,
        external_id: str | None = None,
    ) -> UserPage:
        """One page (0-based; size 1..100). Filters are the server's (exact email/externalId in
        the sandbox); the TUI's fuzzy search uses UserIndex instead."""
        page = max(0, page)
        size = max(1, min(MAX_PAGE_SIZE, size))
        params: dict[str, str | int] = {"page": page, "size": size}
        if sort:
            params["sort"] = sort
        for key, value in (("name", name), ("email", email), ("externalId", external_id)):
            if value is not None and value != "":
                params[key] = value
        items, response = await self._http.get_json(USERS, _users, params=params, what="Leaf users")
        total = _total(response)
        return UserPage(
            items=items,
            total=total,
            page=page,
            size=size,
            has_next=_has_next(response, page, size, len(items), total),
        )

    async def list_all(
        self,
        page_size: int = 100,
        concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
    ) -> builtins.list[LeafUser]:
        """Every user, sorted by name. Page 0 tells the total; the other pages are then fetched
        concurrently (at most `concurrency` at once). Users are de-duplicated by id, since
        pages can shift while users are added or removed meanwhile."""
        size = max(1, min(MAX_PAGE_SIZE, page_size))
        first = await self.list(page=0, size=size)
        pages: dict[int, UserPage] = {0: first}
        total = first.total
        loaded = len(first.items)

        def progress() -> None:
            if on_progress is not None:
                on_progress(loaded, total)

        progress()
        if total is not None and first.has_next:
            gate = asyncio.Semaphore(max(1, concurrency))

            async def fetch(number: int) -> None:
                nonlocal loaded
                async with gate:
                    result = await self.list(page=number, size=size)
                pages[number] = result
                loaded += len(result.items)
                progress()

            count = math.ceil(total / size)
            await gather_or_fail(fetch(n) for n in range(1, count))
        # follow "next" past what the total promised (or when there was no total)
        last = max(pages)
        while pages[last].has_next and pages[last].items and last < _MAX_PAGES:
            last += 1
            pages[last] = await self.list(page=last, size=size)
            loaded += len(pages[last].items)
            progress()

        seen: dict[str, LeafUser] = {}
        for number in sorted(pages):
            for user in pages[number].items:
                seen.setdefault(user.id, user)
        return list(seen.values())

    async def get(self, user_id: str) -> LeafUser:
        user, _ = await self._http.get_json(
            f"{USERS}/{seg(user_id)}", _user, what=user_label(user_id)
        )
        return user

    async def create(
        self,
        name: str | None = None,
        email: str | None = None,
        external_id: str | None = None,
        phone: str | None = None,
        address: Any = None,
    ) -> LeafUser:
        body: dict[str, Any] = {}
        for key, value in (
            ("name", name),
            ("email", email),
            ("externalId", external_id),
            ("phone", phone),
            ("address", address),
        ):
            if value is not None:
                body[key] = value
        response = await self._http.send("POST", USERS, body=body, what="the new Leaf user")
        return await self._http.decode(response, _user, method="POST", path=USERS)

    async def replace(self, user: LeafUser) -> LeafUser:
        """PUT the whole user (id in the body). Credential objects we hold are sent back, so
        nothing is unlinked by accident."""
        response = await self._http.send(
            "PUT", USERS, body=user.to_json(), what=user_label(user.id)
        )
        return await self._http.decode(response, _user, method="PUT", path=USERS)

    async def delete(self, user_id: str) -> None:
        await self._http.send("DELETE", f"{USERS}/{seg(user_id)}", what=user_label(user_id))
