"""Settings, named profiles and stored tokens.

- `settings.toml` (config dir): defaults and the profiles (name, base URL, username). No secrets.
- `tokens.json` (config dir, mode 0600, written atomically): one token per profile, with the base
  URL it was issued by and its expiry (read from the JWT). Passwords are never stored anywhere.
- Environment: `LEAF_PROFILE` picks the profile, `LEAF_API_URL` overrides its base URL,
  `LEAF_TOKEN` supplies a token that is used but never stored.

Leaf has no public sandbox and advises separate API-owner accounts for test and production, hence
profiles. The built-in `sandbox` profile (no base URL) means the embedded local sandbox.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leaf_tui.api.base_url import BadBaseURL, check_base_url
from leaf_tui.api.models import EXPIRES_IN_MAX, EXPIRES_IN_MIN
from leaf_tui.common import clock, files, paths
from leaf_tui.common.files import write_atomically

SANDBOX = "sandbox"
ENV_PROFILE = "env"
"""The name shown when LEAF_API_URL points the built-in sandbox profile at a real server."""
DEFAULT_BASE_URL = "https://api.withleaf.io"
SANDBOX_USERNAME = "support@sandbox.local"
SANDBOX_PASSWORD = "sandbox"  # the embedded sandbox's public demo login, not a secret

SETTINGS_FILE = "settings.toml"
TOKENS_FILE = "tokens.json"

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class ConfigError(ValueError):
    """Bad input in settings, a profile name or a duration; the message says how to fix it."""


# -- profiles and settings -------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str | None = None  # None: the embedded sandbox
    username: str | None = None
    read_only: bool = False  # `read_only = true`: every write is hidden and refused
    allow_http: bool = False  # plain http:// to a non-loopback host, said explicitly

    @property
    def is_sandbox(self) -> bool:
        return self.base_url is None


BUILTIN_SANDBOX = Profile(SANDBOX, None, SANDBOX_USERNAME)


@dataclass(frozen=True)
class Settings:
    active_profile: str = SANDBOX
    link_expiry: int = 3600  # seconds, the default for new links
    auto_copy: bool = True
    theme: str | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)  # user-defined only
    keymap: Mapping[str, str] = field(default_factory=dict)
    """[keymap]: a key's id -> the keys to press instead ("users.delete" = "ctrl+d")."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What was wrong in the file and what is used instead, one line each naming the key."""

    def all_profiles(self) -> dict[str, Profile]:
        """The built-in sandbox first, then the user's profiles by name."""
        return {SANDBOX: BUILTIN_SANDBOX, **dict(sorted(self.profiles.items()))}

    def profile(self, name: str) -> Profile:
        try:
            return self.all_profiles()[name]
        except KeyError:
            known = ", ".join(self.all_profiles())
            raise ConfigError(f"no profile named {name!r} (known: {known})") from None

    def with_profile(self, profile: Profile) -> Settings:
        check_profile_name(profile.name)
        if profile.name == SANDBOX:
            raise ConfigError("'sandbox' is the built-in embedded sandbox; choose another name")
        if profile.name == ENV_PROFILE:
            raise ConfigError("'env' is reserved for LEAF_API_URL; choose another name")
        return replace(self, profiles={**self.profiles, profile.name: profile})

    def without_profile(self, name: str) -> Settings:
        if name not in self.profiles:
            raise ConfigError(f"no profile named {name!r} to remove")
        profiles = {k: v for k, v in self.profiles.items() if k != name}
        active = SANDBOX if self.active_profile == name else self.active_profile
        return replace(self, profiles=profiles, active_profile=active)


def profile_names() -> list[str]:
    """Every profile a person can switch to: the built-in sandbox first (for the palette)."""
    return list(load_settings().all_profiles())


def check_profile_name(name: str) -> str:
    if not _NAME.match(name):
        raise ConfigError(f"bad profile name {name!r}: use 1-40 letters, digits, '-', '_' or '.'")
    return name


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


def tokens_path() -> Path:
    return paths.config_dir() / TOKENS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file means defaults. A file that cannot be read or
    parsed raises ConfigError; a key of the wrong type is a warning (`Settings.warnings`)."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {paths.why(exc)}{paths.home_hint()}") from None
    import tomllib  # only when there is a file to read (start-up, benchmarks)

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    return _settings_from(raw, path)


def _settings_from(raw: Mapping[str, Any], path: Path) -> Settings:
    defaults = Settings()
    warnings: list[str] = []

    def warn(key: str, value: Any, why: str, using: str) -> None:
        warnings.append(f"{path.name}: {key} = {_shown(value)} {why}; using {using}")

    profiles: dict[str, Profile] = {}
    raw_profiles = raw.get("profiles", {})
    if not isinstance(raw_profiles, Mapping):
        raise ConfigError(f"{path}: [profiles] must be a table")
    for name, body in raw_profiles.items():
        if name == SANDBOX or not isinstance(body, Mapping):
            continue  # the sandbox is built in; ignore anything odd rather than refuse to start
        base_url = body.get("base_url")
        username = body.get("username")
        read_only = body.get("read_only", False)
        if not isinstance(read_only, bool):
            # meant as a guard: when unclear, guard
            warn(f"profiles.{name}.read_only", read_only, "is not true or false", "true")
            read_only = True
        if base_url is not None and not (isinstance(base_url, str) and base_url):
            warn(f"profiles.{_key(name)}.base_url", base_url, "is not a URL", DEFAULT_BASE_URL)
        if username is not None and not isinstance(username, str):
            warn(f"profiles.{_key(name)}.username", username, "is not text", "no username")
        profiles[name] = Profile(
            name=name,
            base_url=base_url if isinstance(base_url, str) and base_url else DEFAULT_BASE_URL,
            username=username if isinstance(username, str) and username else None,
            read_only=read_only,
            allow_http=body.get("allow_http") is True,
        )
    link_expiry = defaults.link_expiry
    if "link_expiry" in raw:
        expiry = raw["link_expiry"]
        shown_default = f"{defaults.link_expiry} (1h)"
        if isinstance(expiry, bool) or not isinstance(expiry, (str, int)):
            warn("link_expiry", expiry, "is not a duration", shown_default)
        else:
            try:
                link_expiry = parse_expiry(expiry)
            except ConfigError as exc:
                warn("link_expiry", expiry, f"is not usable ({exc})", shown_default)
    active = raw.get("active_profile", defaults.active_profile)
    if not (isinstance(active, str) and active):
        warn("active_profile", active, "is not a profile name", SANDBOX)
        active = defaults.active_profile
    elif active != SANDBOX and active not in profiles:
        warn("active_profile", active, "names no profile in this file", SANDBOX)
        active = defaults.active_profile
    keymap: dict[str, str] = {}
    raw_keymap = raw.get("keymap", {})
    if not isinstance(raw_keymap, Mapping):
        warn("keymap", raw_keymap, 'is not a table of key id = "keys"', "the default keys")
        raw_keymap = {}
    for key_id, keys in raw_keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            warn(f"keymap.{key_id}", keys, 'is not keys in quotes (e.g. "ctrl+d")', "its default")
            continue
        keymap[str(key_id)] = keys.strip()
    theme = raw.get("theme")
    if theme is not None and not isinstance(theme, str):
        warn("theme", theme, "is not a theme name", "the default theme")
    auto_copy = raw.get("auto_copy", defaults.auto_copy)
    if not isinstance(auto_copy, bool):
        warn("auto_copy", auto_copy, "is not true or false", "true")
        auto_copy = defaults.auto_copy
    return Settings(
        active_profile=active,
        link_expiry=link_expiry,
        auto_copy=auto_copy,
        theme=theme if isinstance(theme, str) and theme else None,
        profiles=profiles,
        keymap=keymap,
        warnings=tuple(warnings),
    )


def _key(name: str) -> str:
    """A name from the file as a TOML key: bare when it is a plain name, else quoted with its
    control characters escaped (a warning never carries an escape sequence to the terminal)."""
    return name if _NAME.match(name) else _shown(name)


def _shown(value: Any) -> str:
    """A value as TOML would spell it, short (a warning is one line)."""
    text = json.dumps(value) if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write `settings` as they are. To change one thing, prefer `update_settings`, which
    re-reads under the lock and so keeps what another process saved meanwhile."""
    path = path or settings_path()
    with config_lock(path.parent):
        write_atomically(path, dump_settings(settings), mode=0o600)
    return path


def update_settings(change: Callable[[Settings], Settings], path: Path | None = None) -> Settings:
    """Read, change and write the settings under the config lock; returns what was written."""
    path = path or settings_path()
    with config_lock(path.parent):
        updated = change(load_settings(path))
        write_atomically(path, dump_settings(updated), mode=0o600)
    return updated


@contextlib.contextmanager
def config_lock(folder: Path | None = None) -> Iterator[None]:
    """The lock every read-modify-write of settings.toml and tokens.json holds (re-entrant)."""
    folder = paths.ensure(folder or paths.config_dir())
    try:
        with files.locked(folder):
            yield
    except files.FileBusy as exc:
        raise ConfigError(str(exc)) from None


def dump_settings(settings: Settings) -> str:
    """TOML for our small, flat structure (tomllib reads; writing needs no dependency)."""
    lines = ["# leaf-tui settings. Tokens live in tokens.json (0600); passwords are never stored."]
    lines.append(f"active_profile = {_toml_str(settings.active_profile)}")
    lines.append(f"link_expiry = {settings.link_expiry}")
    lines.append(f"auto_copy = {'true' if settings.auto_copy else 'false'}")
    if settings.theme:
        lines.append(f"theme = {_toml_str(settings.theme)}")
    for name, profile in sorted(settings.profiles.items()):
        lines.append("")
        lines.append(f"[profiles.{_toml_str(name)}]")
        if profile.base_url:
            lines.append(f"base_url = {_toml_str(profile.base_url)}")
        if profile.username:
            lines.append(f"username = {_toml_str(profile.username)}")
        if profile.read_only:
            lines.append("read_only = true")
        if profile.allow_http:
            lines.append("allow_http = true")
    if settings.keymap:
        lines.append("")
        lines.append("[keymap]")
        for key_id, keys in sorted(settings.keymap.items()):
            lines.append(f"{_toml_str(key_id)} = {_toml_str(keys)}")
    return "\n".join(lines) + "\n"


def _toml_str(value: str) -> str:
    """A TOML basic string (JSON escapes are a valid subset, apart from non-ASCII which is fine)."""
    return json.dumps(value, ensure_ascii=False)


# -- choosing the profile (flags and environment) --------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """The profile a command or the TUI will use, after flags and environment."""

    profile: Profile
    token_from_env: str | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def base_url(self) -> str | None:
        return self.profile.base_url

    @property
    def is_sandbox(self) -> bool:
        return self.profile.is_sandbox


def chosen_profile_name(explicit: str | None, settings: Settings) -> str:
    """Flag, then LEAF_PROFILE, then the active profile in the settings."""
    return explicit or os.environ.get("LEAF_PROFILE") or settings.active_profile or SANDBOX


def resolve(
    explicit: str | None = None,
    *,
    base_url: str | None = None,
    settings: Settings | None = None,
) -> Resolved:
    """Work out the profile to use. `base_url` (a --base-url flag) beats LEAF_API_URL."""
    settings = settings or load_settings()
    name = chosen_profile_name(explicit, settings)
    profile = settings.profile(name)
    url = base_url or os.environ.get("LEAF_API_URL") or None
    if url:
        where = "--base-url" if base_url else "LEAF_API_URL"
        url = normalize_base_url(url, where=where)
        if profile.is_sandbox:
            profile = Profile(ENV_PROFILE, url, None)
        else:
            profile = replace(profile, base_url=url)
    elif profile.base_url is not None:
        # a hand-edited settings file: say which key to fix before anything is sent
        normalize_base_url(profile.base_url, where=f"profiles.{profile.name}.base_url")
    env_token = env_leaf_token()
    return Resolved(profile, token_from_env=None if profile.is_sandbox else env_token)


def env_leaf_token() -> str | None:
    """LEAF_TOKEN without surrounding space; ConfigError when it cannot be a token (a space or a
    non-ASCII character inside would otherwise fail deep in the HTTP layer)."""
    raw = os.environ.get("LEAF_TOKEN")
    token = raw.strip() if raw else None
    if not token:
        return None
    problem = token_problem(token)
    if problem:
        raise ConfigError(f"LEAF_TOKEN {problem}: set it to the token alone, as issued")
    return token


def token_problem(token: str) -> str | None:
    """Why `token` cannot go in an Authorization header, or None when it can."""
    if not token.isascii():
        return "holds a non-ASCII character"
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        return "holds a space or a control character"
    return None


def normalize_base_url(url: str, *, where: str = "") -> str:
    """The URL ready for a client; ConfigError (naming `where` it came from) when unusable."""
    try:
        return check_base_url(url)
    except BadBaseURL as exc:
        raise ConfigError(f"{where}: {exc}" if where else str(exc)) from None


# -- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredToken:
    token: str = field(repr=False)
    base_url: str
    subject: str | None
    expires_at: datetime | None

    def is_expired(self, now: datetime | None = None, margin: float = 30.0) -> bool:
        """Expired, or about to (a call started now should not die halfway)."""
        if self.expires_at is None:
            return False
        return (self.expires_at - (now or clock.now())).total_seconds() <= margin


def jwt_claims(token: str) -> dict[str, Any]:
    """The JWT's payload, unverified (only to read `exp` and `sub`); {} if it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def jwt_expiry(token: str) -> datetime | None:
    exp = jwt_claims(token).get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        try:
            return datetime.fromtimestamp(exp, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def token_from_jwt(token: str, base_url: str) -> StoredToken:
    sub = jwt_claims(token).get("sub")
    return StoredToken(token, base_url, sub if isinstance(sub, str) else None, jwt_expiry(token))


def load_tokens(path: Path | None = None) -> dict[str, StoredToken]:
    return read_tokens(path)[0]


def read_tokens(path: Path | None = None) -> tuple[dict[str, StoredToken], list[str]]:
    """The usable tokens, and a warning naming each entry that was skipped or mended: a damaged
    token file only means logging in again, never a traceback."""
    path = path or tokens_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, []
    except (ValueError, UnicodeDecodeError):
        return {}, [f"{path.name} is not JSON: ignored (log in again to replace it)"]
    except OSError as exc:
        return {}, [f"cannot read {path}: {paths.why(exc)}{paths.home_hint()}"]
    tokens: dict[str, StoredToken] = {}
    warnings: list[str] = []
    if not isinstance(raw, dict):
        return tokens, [f"{path.name} is not an object of profiles: ignored (log in again)"]
    for name, entry in raw.items():
        token = entry.get("token") if isinstance(entry, dict) else None
        base_url = entry.get("base_url") if isinstance(entry, dict) else None
        if not (isinstance(token, str) and token and isinstance(base_url, str)):
            warnings.append(f"{path.name}: {_key(name)} has no usable token or base_url: ignored")
            continue
        problem = token_problem(token)
        if problem:
            warnings.append(f"{path.name}: {_key(name)}.token {problem}: ignored (log in again)")
            continue
        stored = token_from_jwt(token, base_url)
        expires = entry.get("expires_at")
        if stored.expires_at is None and expires is not None:
            when = _aware(expires)
            if when is None:
                warnings.append(
                    f"{path.name}: {_key(name)}.expires_at = {_shown(expires)} is not a date: "
                    "the token is used until the server refuses it"
                )
            stored = replace(stored, expires_at=when)
        tokens[name] = stored
    return tokens, warnings


def _aware(value: Any) -> datetime | None:
    """An ISO date as an aware datetime (a date written without a zone is taken as UTC, so it
    compares with the clock instead of raising TypeError); None when it is not a date."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def file_warnings() -> list[str]:
    """What is wrong in the settings and token files, one line each (for stderr, a notice)."""
    try:
        found = list(load_settings().warnings)
    except ConfigError as exc:
        found = [str(exc)]
    return found + read_tokens()[1]


def session_tokens(
    resolved: Resolved,
) -> tuple[StoredToken | None, StoredToken | None, StoredToken | None]:
    """LEAF_TOKEN's token, the stored one, and the one a session on this real profile uses:
    LEAF_TOKEN wins while it works; once expired, a token stored by a later login does."""
    prof = resolved.profile
    assert prof.base_url is not None
    env = resolved.token_from_env
    env_token = token_from_jwt(env, prof.base_url) if env else None
    found = get_token(prof)
    usable = (t for t in (env_token, found) if t is not None and not t.is_expired())
    return env_token, found, next(usable, None)


def get_token(profile: Profile) -> StoredToken | None:
    """The stored token for this profile, if it was issued by the profile's base URL."""
    stored = load_tokens().get(profile.name)
    if stored is None or profile.base_url is None:
        return None
    if stored.base_url.rstrip("/") != profile.base_url.rstrip("/"):
        return None
    return stored


def save_token(profile_name: str, stored: StoredToken, path: Path | None = None) -> Path:
    path = path or tokens_path()
    with config_lock(path.parent):
        tokens = load_tokens(path)
        tokens[profile_name] = stored
        _write_tokens(tokens, path)
    return path


def delete_token(profile_name: str, path: Path | None = None) -> bool:
    """Forget a profile's token; False when there was none."""
    path = path or tokens_path()
    with config_lock(path.parent):
        tokens = load_tokens(path)
        if profile_name not in tokens:
            return False
        del tokens[profile_name]
        _write_tokens(tokens, path)
    return True


def _write_tokens(tokens: Mapping[str, StoredToken], path: Path) -> None:
    body = {
        name: {
            "token": t.token,
            "base_url": t.base_url,
            "subject": t.subject,
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
        }
        for name, t in sorted(tokens.items())
    }
    write_atomically(path, json.dumps(body, indent=2) + "\n", mode=0o600)


# -- durations -------------------------------------------------------------------------------


def parse_duration(text: str | int) -> int:
    """Seconds from `900`, `15m`, `1h`, `1h30m`, `7d`, `2w`, `1y`: the wizard's reading
    (link_draft), so the CLI and the TUI accept the same texts; its errors become usage errors."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    try:
        from leaf_tui.domain import link_draft  # not on the dashboard's way (start-up)

        return link_draft.parse_duration(str(text))
    except ValueError:
        raise ConfigError(
            f"bad duration {text!r}: use seconds or a number with s, m, h, d, w or y "
            "(e.g. 15m, 1h, 7d, 1y)"
        ) from None


def parse_expiry(text: str | int) -> int:
    """A link expiry in seconds, within Leaf's bounds (15 minutes to one year)."""
    seconds = parse_duration(text)
    if seconds < EXPIRES_IN_MIN:
        raise ConfigError(f"expiry {text!r} is below the minimum of 15 minutes (900 seconds)")
    if seconds > EXPIRES_IN_MAX:
        raise ConfigError(f"expiry {text!r} is above the maximum of one year (31536000 seconds)")
    return seconds
