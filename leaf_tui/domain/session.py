"""Open a connection for the TUI or a command: a real profile's stored token, or the embedded
sandbox (a child process, see embedded_sandbox) and logged in to.

Nothing here touches Textual. When a real profile has no usable token, `open_session` raises
`LoginRequired` (an AuthError) and the TUI shows its login dialog, which calls `login()`.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from leaf_tui.api import LeafClient
from leaf_tui.api.errors import AuthError
from leaf_tui.api.models import Token, UserPage
from leaf_tui.common import debuglog
from leaf_tui.common.formatting import format_when
from leaf_tui.domain import config, embedded_sandbox
from leaf_tui.domain.cleartext import check_cleartext
from leaf_tui.domain.embedded_sandbox import EmbeddedSandbox, Starting
from leaf_tui.domain.first_page import FirstPage, SandboxFirstPage

SANDBOX_DB = embedded_sandbox.DATA_FILE


class LoginRequired(AuthError):
    """A real profile has no token, or its token expired: log in (dialog or `leaf-tui login`)."""

    def __init__(self, message: str, *, profile: config.Profile) -> None:
        super().__init__(message, status=None)
        self.profile = profile

    @property
    def profile_name(self) -> str:
        return self.profile.name

    @property
    def base_url(self) -> str | None:
        return self.profile.base_url

    @property
    def username(self) -> str | None:
        return self.profile.username


@dataclass
class Session:
    client: LeafClient
    profile_name: str
    base_url: str
    is_sandbox: bool
    sandbox: EmbeddedSandbox | None = field(default=None, repr=False)
    username: str | None = None
    first_page: Future[UserPage] | None = field(default=None, repr=False)
    """The first users page, asked for before the session opened (domain/first_page.py)."""

    async def aclose(self) -> None:
        """Close the HTTP pool, then leave the embedded sandbox (the last window stops it)."""
        try:
            await self.client.aclose()
        finally:
            sandbox, self.sandbox = self.sandbox, None
            if sandbox is not None:
                await asyncio.to_thread(sandbox.detach)

    close = aclose

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


async def open_session(
    profile: str | None = None,
    *,
    debug: bool = False,
    base_url: str | None = None,
    debug_log: logging.Logger | None = None,
    sandbox: Starting | None = None,
    allow_http: bool = False,
    first_page: FirstPage | None = None,
) -> Session:
    """Connect as `profile` (else LEAF_PROFILE, else the active profile, else the sandbox).
    `allow_http`: plain http:// to another machine was allowed explicitly (--allow-http).

    `sandbox`: the embedded sandbox already starting (leaf_tui.entry starts it first thing),
    used if the profile is the sandbox and let go otherwise. Raises LoginRequired when a real
    profile has no usable token; ConfigError for an unknown profile; the sandbox's own failures
    (SandboxFailed) and login errors as LeafError.
    """
    try:
        log = debug_log or debuglog.setup(debug)
        resolved = config.resolve(profile, base_url=base_url)
        if resolved.is_sandbox:
            starting, sandbox = sandbox, None
            return await _open_sandbox(log, starting, first_page)
        return _open_real(resolved, log, allow_http, first_page)
    finally:
        if sandbox is not None:
            sandbox.cancel()


def _open_real(
    resolved: config.Resolved,
    log: logging.Logger | None,
    allow_http: bool = False,
    first_page: FirstPage | None = None,
) -> Session:
    prof = resolved.profile
    assert prof.base_url is not None
    check_cleartext(prof.base_url, allowed=allow_http or prof.allow_http, profile=prof.name)
    env_token, found, stored = config.session_tokens(resolved)
    if stored is None:
        if env_token is not None:
            why = f"LEAF_TOKEN expired {format_when(env_token.expires_at)}"
        elif found is not None:
            why = f"the stored token expired {format_when(found.expires_at)}"
        else:
            why = "not logged in"
        # LEAF_API_URL alone makes the throwaway 'env' profile, which `login` refuses by name
        fix = (
            f"set LEAF_TOKEN, or run `leaf-tui login --base-url {prof.base_url}`"
            if prof.name == config.ENV_PROFILE
            else f"run `leaf-tui login --profile {prof.name}`"
        )
        raise LoginRequired(
            f"Profile {prof.name!r} ({prof.base_url}): {why}. Log in here or {fix}",
            profile=prof,
        )
    client = LeafClient(prof.base_url, stored.token, debug_log=log, read_only=prof.read_only)
    return Session(
        client=client,
        profile_name=prof.name,
        base_url=prof.base_url,
        is_sandbox=False,
        username=stored.subject or prof.username,
        first_page=first_page.taken_for(prof.base_url, stored.token) if first_page else None,
    )


async def _open_sandbox(
    log: logging.Logger | None, starting: Starting | None, first_page: FirstPage | None = None
) -> Session:
    # The db keeps the demo data between runs; the sandbox seeds it only when it is new.
    if starting is None:
        starting = await asyncio.to_thread(embedded_sandbox.start)
    try:
        running = await asyncio.to_thread(starting.wait)
    except BaseException:
        starting.cancel()
        raise
    early = first_page if isinstance(first_page, SandboxFirstPage) else None
    if early is not None and early.starting is not starting:
        early = None  # asked of another start (a retry starts anew)
    client: LeafClient | None = None
    try:  # a cancel while waiting for the early login lets the sandbox go too
        token = await _early_login(early, running.base_url)
        client = LeafClient(running.base_url, token, debug_log=log)
        if token is None:
            await client.auth.authenticate(config.SANDBOX_USERNAME, config.SANDBOX_PASSWORD)
    except BaseException:
        if client is not None:
            await client.aclose()
        await asyncio.to_thread(running.detach)
        raise
    return Session(
        client=client,
        profile_name=config.SANDBOX,
        base_url=running.base_url,
        is_sandbox=True,
        sandbox=running,
        username=config.SANDBOX_USERNAME,
        first_page=early.taken_for(running.base_url, token) if early and token else None,
    )


async def _early_login(early: SandboxFirstPage | None, base_url: str) -> str | None:
    """The token the entry point's thread logged in to this sandbox with; None (log in here)
    when there was none, it failed, or it was to another URL."""
    if early is None:
        return None
    try:
        url, token = await asyncio.wrap_future(early.login)
    except Exception:
        return None
    return token if url == base_url else None


async def login(
    profile: str | config.Profile,
    username: str,
    password: str,
    *,
    client: LeafClient | None = None,
    base_url: str | None = None,
    debug_log: logging.Logger | None = None,
) -> Token:
    """Authenticate (rememberMe) and store the token for the profile; the password is not kept.

    With `client` (the TUI's, after a 401), that client authenticates and carries the new token.
    A new profile name is added to the settings with `base_url` (default: Leaf's API) and
    `username`. The embedded sandbox's token is never stored: it logs itself in on start.
    Raises AuthError on a wrong username/password, Unreachable when the server cannot be reached.
    """
    settings = config.load_settings()
    if isinstance(profile, config.Profile):
        prof = profile
    elif profile in settings.all_profiles():
        prof = settings.profile(profile)
    else:
        prof = config.Profile(config.check_profile_name(profile), None, username)
    if prof.name == config.SANDBOX:
        if client is None:
            raise config.ConfigError(
                "the sandbox profile logs itself in; to log in to a server, name a profile: "
                "leaf-tui login --profile NAME --base-url URL"
            )
        return await client.auth.authenticate(username, password, remember_me=True)
    url = base_url or (client.base_url if client is not None else None) or prof.base_url
    url = config.normalize_base_url(url or config.DEFAULT_BASE_URL)
    if client is None:  # a running client's URL passed this check when its session opened
        check_cleartext(url, allowed=prof.allow_http, profile=prof.name)

    own = client is None
    active = client if client is not None else LeafClient(url, debug_log=debug_log)
    try:
        token = await active.auth.authenticate(username, password, remember_me=True)
    finally:
        if own:
            await active.aclose()

    config.save_token(
        prof.name, config.StoredToken(token.id_token, url, token.subject, token.expires_at)
    )
    if prof.name != config.ENV_PROFILE:

        def remember(settings: config.Settings) -> config.Settings:
            current = settings.profiles.get(prof.name)
            if client is not None and current is not None:
                # the dialog re-logs in the running client: remember who, but keep the profile's
                # own URL (the session may be running with a --base-url override)
                updated = replace(current, username=username)
            elif current is not None:  # keeps the rest of the profile (read_only)
                updated = replace(current, base_url=url, username=username or prof.username)
            else:
                updated = config.Profile(
                    prof.name, url, username or prof.username, allow_http=prof.allow_http
                )
            return settings.with_profile(updated)

        config.update_settings(remember)  # under the lock: keeps other logins' profiles
    return token
