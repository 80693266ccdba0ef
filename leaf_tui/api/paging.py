"""Reading a whole list the way Leaf pages every list: by page number (from 0) and size (at most
100), the total from X-Total-Count. The Link header is only a signal (Leaf's is relative and
without spaces: never followed as a URL). A server that ignores paging is read too: more rows
than asked for means the answer is the whole list; a page that repeats the one before means
`page` is ignored."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from leaf_tui.api.concurrency import gather_or_fail

T = TypeVar("T")

PAGE_SIZE = 100
"""Leaf's maximum page size: the fewest requests for a whole list."""
MAX_PAGES = 10_000
"""A guard against a server that always has another page."""

ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int | None  # X-Total-Count, when the server sent one
    has_next: bool | None  # the Link header's rel="next", when the server sent a Link
    unpaged: bool  # more rows than asked for: the whole list


def total_of(response: httpx.Response) -> int | None:
    raw = response.headers.get("x-total-count", "").strip()
    return int(raw) if raw.isdigit() else None


def page_of(items: Sequence[T], response: httpx.Response, size: int) -> Page[T]:
    link = response.headers.get("link")
    return Page(
        items=items,
        total=total_of(response),
        has_next=("next" in response.links) if link else None,
        unpaged=len(items) > size,
    )


def more_after(page: Page[T], number: int, size: int) -> bool:
    """Whether a page follows page `number`: the total decides, else the Link, else a full page."""
    if page.unpaged or not page.items:
        return False
    if page.total is not None:
        return (number + 1) * size < page.total
    if page.has_next is not None:
        return page.has_next
    return len(page.items) >= size


async def read_all(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    key: Callable[[T], Hashable],
    *,
    size: int = PAGE_SIZE,
    concurrency: int = 4,
    on_progress: ProgressCallback | None = None,
) -> list[T]:
    """Every item, in the server's order, each once (by `key`: rows shift between pages while
    the list changes). `fetch(number, size)` reads one page. With a total, the pages after the
    first are read side by side (at most `concurrency` at once); without, one after another."""
    first = await fetch(0, size)
    pages: dict[int, Sequence[T]] = {0: first.items}
    loaded = len(first.items)

    def progress(total: int | None) -> None:
        if on_progress is not None:
            on_progress(loaded, total)

    progress(first.total if not first.unpaged else loaded)
    last, last_page = 0, first
    if first.total is not None and more_after(first, 0, size):
        count = min(math.ceil(first.total / size), MAX_PAGES)
        gate = asyncio.Semaphore(max(1, concurrency))
        answers: dict[int, Page[T]] = {}

        async def one(number: int) -> None:
            nonlocal loaded
            async with gate:
                answers[number] = await fetch(number, size)
            loaded += len(answers[number].items)
            progress(first.total)

        await gather_or_fail(one(n) for n in range(1, count))
        for number in sorted(answers):
            pages[number] = answers[number].items
        last = count - 1
        last_page = answers.get(last, first)
    # past what the total promised (rows added meanwhile), or without a total: one at a time
    while more_after(last_page, last, size) and last + 1 < MAX_PAGES:
        following = await fetch(last + 1, size)
        if following.items and [key(i) for i in following.items] == [key(i) for i in pages[last]]:
            break  # the same rows again: the server ignores `page`
        last += 1
        pages[last], last_page = following.items, following
        loaded += len(following.items)
        progress(following.total)
    seen: dict[Hashable, T] = {}
    for number in sorted(pages):
        for item in pages[number]:
            seen.setdefault(key(item), item)
    return list(seen.values())
