"""LeafClient: one connection pool and token, with a service per area of the API."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from leaf_tui.api.auth import AuthService, jwt_expiry
from leaf_tui.api.http import DEADLINE, MAX_BODY, Http, RetryPolicy
from leaf_tui.api.status import ConnectionStatus, StatusListener
from leaf_tui.api.users import UsersService

if TYPE_CHECKING:
    from leaf_tui.api.magic_links import LinksService
    from leaf_tui.api.providers import CredentialsService
    from leaf_tui.api.sentera import SenteraService


class LeafClient:
    """The async service layer. Use as `async with LeafClient(base_url, token) as client:`
    or call `await client.aclose()` when done."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        debug_log: logging.Logger | None = None,
        retry_policy: RetryPolicy | None = None,
        max_body: int = MAX_BODY,
        deadline: float = DEADLINE,
        read_only: bool = False,
    ) -> None:
        self._http = Http(
            base_url,
            token,
            transport=transport,
            timeout=timeout,
            max_retries=max_retries,
            debug_log=debug_log,
            policy=retry_policy,
            max_body=max_body,
            deadline=deadline,
            read_only=read_only,
        )
        self.auth = AuthService(self._http)
        self.users = UsersService(self._http)

    # The services the first screen does not call are imported when first used: not before
    # the first row of users (benchmarks/README.md, start-up).

    @cached_property
    def sentera(self) -> SenteraService:
        from leaf_tui.api.sentera import SenteraService

        return SenteraService(self._http)

    @cached_property
    def links(self) -> LinksService:
        from leaf_tui.api.magic_links import LinksService

        return LinksService(self._http)

    @cached_property
    def credentials(self) -> CredentialsService:
        from leaf_tui.api.providers import CredentialsService

        return CredentialsService(self._http)

    def __repr__(self) -> str:  # never the token
        return f"LeafClient({self.base_url!r}, signed_in={self.token is not None})"

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def token(self) -> str | None:
        return self._http.token

    @token.setter
    def token(self, value: str | None) -> None:
        self._http.token = value or None

    @property
    def token_expires_at(self) -> datetime | None:
        """From the JWT's `exp` (read, not verified); None without a readable token."""
        return jwt_expiry(self._http.token)

    @property
    def status(self) -> ConnectionStatus:
        return self._http.status.status

    @property
    def read_only(self) -> bool:
        """Every write is refused with ReadOnly before it is sent (a profile marked so)."""
        return self._http.read_only

    @property
    def status_failure(self) -> str | None:
        """What the last failed call met, while the status is not OK ("HTTP 500 on GET ...")."""
        return self._http.status.failure

    def add_status_listener(self, listener: StatusListener) -> None:
        """`listener(status)` is called on each change of `status`, on the event loop."""
        self._http.status.add_listener(listener)

    def remove_status_listener(self, listener: StatusListener) -> None:
        self._http.status.remove_listener(listener)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> LeafClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
