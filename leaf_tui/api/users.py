"""Leaf users: {base}/services/usermanagement/api/users, paged by X-Total-Count and Link."""

from __future__ import annotations

import builtins
import dataclasses
from typing import Any

from leaf_tui.api.errors import LeafError
from leaf_tui.api.http import Http, expect_list, expect_object, seg
from leaf_tui.api.models import LeafUser, UserPage
from leaf_tui.api.paging import PAGE_SIZE, Page, ProgressCallback, more_after, page_of, read_all

USERS = "/services/usermanagement/api/users"
MAX_PAGE_SIZE = PAGE_SIZE


def _users(data: Any) -> tuple[LeafUser, ...]:
    return tuple(LeafUser.from_json(item) for item in expect_list(data))


def _user(data: Any) -> LeafUser:
    return LeafUser.from_json(expect_object(data))


_JSON_NAMES = {"external_id": "externalId"}


def user_label(user_id: str) -> str:
    return f"Leaf user {user_id}"


class UsersService:
    def __init__(self, http: Http) -> None:
        self._http = http
        self._patch: bool | None = None  # whether the server has PATCH /users/{id}

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
        answer = page_of(items, response, size)
        return UserPage(
            items=items,
            total=answer.total,
            page=page,
            size=size,
            has_next=more_after(answer, page, size),
        )

    async def list_all(
        self,
        page_size: int = 100,
        concurrency: int = 4,
        on_progress: ProgressCallback | None = None,
    ) -> builtins.list[LeafUser]:
        """Every user, sorted by name, read page by page (paging.read_all: side by side by
        X-Total-Count, at most `concurrency` at once; a server that ignores paging answers
        everything at once, and is asked once)."""
        size = max(1, min(MAX_PAGE_SIZE, page_size))

        async def fetch(number: int, size: int) -> Page[LeafUser]:
            page = await self.list(page=number, size=size)
            unpaged = len(page.items) > size
            return Page(page.items, page.total, page.has_next, unpaged)

        return await read_all(
            fetch,
            key=lambda user: user.id,
            size=size,
            concurrency=concurrency,
            on_progress=on_progress,
        )

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

    async def update(self, user: LeafUser, **changes: Any) -> LeafUser:
        """Change some fields (LeafUser field names: name, email, phone, address,
        external_id) without dropping the user's provider credentials. PATCH with only the
        changes where the server has it (a 404 or 405 says it has not); else PUT of the user as
        read now, with every other field and its credentials (as references) as they are."""
        body = {_JSON_NAMES.get(k, k): v for k, v in changes.items()}
        path = f"{USERS}/{seg(user.id)}"
        if self._patch is not False:
            try:
                response = await self._http.send("PATCH", path, body=body, what=user_label(user.id))
            except LeafError as exc:
                if exc.status not in (404, 405):
                    raise
            else:
                self._patch = True
                return await self._http.decode(response, _user, method="PATCH", path=path)
        current = await self.get(user.id)
        saved = await self.replace(dataclasses.replace(current, **changes))
        self._patch = False  # the user exists: the 404 or 405 was about PATCH
        return saved

    async def replace(self, user: LeafUser) -> LeafUser:
        """PUT the whole user (id in the body). The credential objects it holds are sent back
        as references, so nothing is unlinked by accident and no token is echoed."""
        response = await self._http.send(
            "PUT", USERS, body=user.to_json(), what=user_label(user.id)
        )
        return await self._http.decode(response, _user, method="PUT", path=USERS)

    async def delete(self, user_id: str) -> None:
        await self._http.send("DELETE", f"{USERS}/{seg(user_id)}", what=user_label(user_id))
