"""Paging the way Leaf documents it for every list: `page` from 0, `size` default 20 (max 100),
`X-Total-Count`, and a `Link` header with rel next/last/first, relative to the service and
without spaces (`<api/users?page=1&size=20>;rel="next"`), as in Leaf's setup_information.md.

The control API can make the sandbox ignore paging (every row, no paging headers) to stand in
for a server that does: the client must read such lists too."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse

from .auth import sandbox_of
from .validation import query_int

DEFAULT_SIZE = 20
MAX_SIZE = 100
_SERVICE = re.compile(r"^/services/[^/]+/")


@dataclass(frozen=True)
class Page:
    """The rows asked for: LIMIT `size` OFFSET `offset`; `size` None means every row."""

    page: int
    size: int | None

    @property
    def offset(self) -> int:
        return self.page * self.size if self.size else 0


def requested_page(request: Request) -> Page:
    page = query_int(request, "page", 0, low=0, high=1_000_000_000)
    size = query_int(request, "size", DEFAULT_SIZE, low=1, high=MAX_SIZE)
    if not sandbox_of(request).behaviour.paging:
        return Page(0, None)
    return Page(page, size)


def link_header(request: Request, page: int, size: int, total: int) -> str:
    """rel next (when there is one), last and first; relative to the service root."""
    path = _SERVICE.sub("", request.url.path)
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "size")]
    last = max((total - 1) // size, 0)

    def url(number: int) -> str:
        return f"<{path}?{urlencode([('page', number), ('size', size), *keep])}>"

    rels = [f'{url(page + 1)};rel="next"'] if page < last else []
    rels += [f'{url(last)};rel="last"', f'{url(0)};rel="first"']
    return ",".join(rels)


def paged_response(request: Request, body: Sequence[Any], total: int, page: Page) -> JSONResponse:
    if page.size is None:
        return JSONResponse(list(body))
    headers = {
        "X-Total-Count": str(total),
        "Link": link_header(request, page.page, page.size, total),
    }
    return JSONResponse(list(body), headers=headers)
