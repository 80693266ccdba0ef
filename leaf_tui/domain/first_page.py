"""The Users screen's first page, asked for by the entry point in a thread, while the window
imports Textual and builds itself: on a real profile at once, on the embedded sandbox as soon as
its process listens (the thread logs in to it too, and the session takes that login).

Start-up to the first row was all this process's work but one wait: the server's answer to the
first page. Asked for once the UI was up, that wait came after ~300 ms of imports; asked for
here, it runs beside them (benchmarks/README.md, start-up). The thread has a client of its own
(same service layer, its own event loop) and closes it when the answer is in. The session takes
the answer only for the same server and token it opens with; anything else (a failure, another
profile chosen in between) and the screen asks again itself.

Nothing here imports the service layer or httpx until the thread runs: the entry point calls
`start` before the window's own imports.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaf_tui.api.models import UserPage
    from leaf_tui.domain.config import Resolved
    from leaf_tui.domain.embedded_sandbox import Starting

FIRST_PAGE_MIN = 40  # users in the first page: at least the rows of an 80x24 or 120x40 table
FIRST_PAGE_MAX = 100


def first_page_size(terminal_rows: int) -> int:
    """Users to ask for first: enough to fill the table at this height, no more (the rest
    comes with the index; a smaller page is decoded sooner)."""
    return max(FIRST_PAGE_MIN, min(FIRST_PAGE_MAX, terminal_rows))


def start_for(resolved: Resolved) -> FirstPage | None:
    """Ask now, if a session on this profile would: a real profile with a usable token, over
    a connection its checks allow (the same checks as the session's)."""
    from leaf_tui.domain import config
    from leaf_tui.domain.cleartext import check_cleartext

    prof = resolved.profile
    if resolved.is_sandbox or prof.base_url is None:
        return None
    try:
        check_cleartext(prof.base_url, allowed=prof.allow_http, profile=prof.name)
        token = config.session_tokens(resolved)[2]
    except Exception:
        return None  # the session meets the same and says so
    return FirstPage(prof.base_url, token.token).start() if token is not None else None


class FirstPage:
    """`FirstPage(url, token).start()`; the session then `taken_for(url, token)`."""

    def __init__(self, base_url: str, token: str, size: int | None = None) -> None:
        self.base_url = base_url
        self._token = token
        self.size = size if size is not None else first_page_size(shutil.get_terminal_size().lines)
        self.answer: Future[UserPage] = Future()
        self._thread = threading.Thread(target=self._run, name="leaf-first-page", daemon=True)

    def start(self) -> FirstPage:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            page = asyncio.run(self._ask())
        except BaseException as exc:  # the screen asks again, and reports what it meets then
            self.answer.set_exception(exc)  # (never left unresolved: it would wait for ever)
        else:
            self.answer.set_result(page)

    async def _ask(self) -> UserPage:
        from leaf_tui.api import LeafClient

        async with LeafClient(self.base_url, self._token) as client:
            return await client.users.list(page=0, size=self.size)

    def taken_for(self, base_url: str, token: str) -> Future[UserPage] | None:
        """The answer, when it was asked of this server with this token."""
        if (base_url, token) != (self.base_url, self._token):
            return None
        return self.answer


class SandboxFirstPage(FirstPage):
    """The embedded sandbox's first page: `SandboxFirstPage(starting).start()` waits in its
    thread for the sandbox's port (it binds it before importing its server: the requests wait
    in the backlog while it starts), logs in as the sandbox's owner and asks. The session takes
    that login (`login`: the URL and token) instead of logging in again when it is to the
    sandbox it opens, then the page for that URL and token."""

    def __init__(self, starting: Starting, size: int | None = None) -> None:
        super().__init__("", "", size)
        self.starting = starting
        self.login: Future[tuple[str, str]] = Future()

    def _run(self) -> None:
        try:
            # the port, read here or by the session, whichever asks first (Starting.listening)
            self.base_url = self.starting.listening()
        except BaseException as exc:  # the session meets the same failure and shows it
            self.login.set_exception(exc)
            self.answer.set_exception(exc)
            return
        try:
            super()._run()
        finally:  # never left unresolved: the session waits for it
            if not self.login.done():
                self.login.set_exception(RuntimeError("the early login did not happen"))

    async def _ask(self) -> UserPage:
        from leaf_tui.api import LeafClient
        from leaf_tui.domain import config

        async with LeafClient(self.base_url) as client:
            token = await client.auth.authenticate(config.SANDBOX_USERNAME, config.SANDBOX_PASSWORD)
            self._token = token.id_token
            self.login.set_result((self.base_url, token.id_token))
            return await client.users.list(page=0, size=self.size)
