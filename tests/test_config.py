"""Settings and profiles round-trip; tokens are private and never in the settings file."""

from __future__ import annotations

import base64
import json
import stat
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leaf_tui.common import paths
from leaf_tui.domain import config
from leaf_tui.domain.config import ConfigError, Profile, Settings, StoredToken

EXP = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def make_jwt(sub: str = "support@sandbox.local", exp: datetime = EXP) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    claims = {"sub": sub, "auth": "ROLE_USER", "exp": int(exp.timestamp())}
    return f"{part({'alg': 'HS512'})}.{part(claims)}.c2ln"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_missing_settings_file_means_defaults_with_the_builtin_sandbox() -> None:
    settings = config.load_settings()
    assert settings == Settings()
    assert settings.active_profile == "sandbox"
    assert list(settings.all_profiles()) == ["sandbox"]
    assert settings.profile("sandbox").is_sandbox


def test_settings_round_trip_through_toml(home: Path) -> None:
    settings = Settings(
        active_profile="prod",
        link_expiry=7 * 86400,
        auto_copy=False,
        theme="gruvbox",
        profiles={
            "prod": Profile("prod", "https://api.withleaf.io", "ops@example.com"),
            "test": Profile("test", "https://test.example", None),
            'we"ird': Profile('we"ird', "http://127.0.0.1:8765", 'a"b\\c@example.com'),
        },
    )
    path = config.save_settings(settings)

    assert path == home / "config" / "settings.toml"
    assert config.load_settings() == settings
    raw = tomllib.loads(path.read_text())
    assert raw["profiles"]["prod"] == {
        "base_url": "https://api.withleaf.io",
        "username": "ops@example.com",
    }
    assert raw["link_expiry"] == 604800
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sandbox_cannot_be_redefined_and_names_are_checked() -> None:
    with pytest.raises(ConfigError, match="built-in"):
        Settings().with_profile(Profile("sandbox", "https://x.example"))
    with pytest.raises(ConfigError, match="reserved for LEAF_API_URL"):
        Settings().with_profile(Profile("env", "https://x.example"))
    with pytest.raises(ConfigError, match="bad profile name"):
        Settings().with_profile(Profile("no spaces", "https://x.example"))
    with pytest.raises(ConfigError, match="no profile named 'nope'"):
        Settings().profile("nope")


def test_profile_names_for_the_palette() -> None:
    assert config.profile_names() == ["sandbox"]
    config.save_settings(
        Settings(
            profiles={
                "test": Profile("test", "https://t.example"),
                "prod": Profile("prod", "https://p.example"),
            }
        )
    )
    assert config.profile_names() == ["sandbox", "prod", "test"]


def test_removing_the_active_profile_falls_back_to_the_sandbox() -> None:
    settings = Settings(active_profile="prod").with_profile(Profile("prod", "https://a.example"))
    after = settings.without_profile("prod")
    assert after.active_profile == "sandbox"
    assert "prod" not in after.profiles


def test_a_damaged_settings_file_gives_a_clear_error(home: Path) -> None:
    path = paths.ensure(home / "config") / "settings.toml"
    path.write_text("active_profile = [unclosed")
    with pytest.raises(ConfigError, match="cannot read"):
        config.load_settings()


def test_odd_values_in_a_hand_edited_file_fall_back_to_defaults(home: Path) -> None:
    path = paths.ensure(home / "config") / "settings.toml"
    path.write_text('link_expiry = "5m"\nauto_copy = "yes"\n[profiles.sandbox]\nbase_url = "x"\n')
    settings = config.load_settings()
    assert settings.link_expiry == 3600  # below Leaf's 15-minute minimum: ignored
    assert settings.auto_copy is True
    assert settings.profile("sandbox").is_sandbox


def test_token_file_is_0600_and_separate_from_settings(home: Path) -> None:
    config.save_settings(Settings(profiles={"prod": Profile("prod", "https://a.example", "me@x")}))
    jwt = make_jwt()
    path = config.save_token("prod", config.token_from_jwt(jwt, "https://a.example"))

    assert path == home / "config" / "tokens.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert jwt not in config.settings_path().read_text()
    assert not list(path.parent.glob(".*.tmp"))  # the atomic write left nothing behind

    stored = config.load_tokens()["prod"]
    assert stored.token == jwt
    assert stored.expires_at == EXP
    assert stored.subject == "support@sandbox.local"
    assert jwt not in repr(stored)


def test_token_file_stays_0600_when_rewritten_even_if_someone_widened_it(home: Path) -> None:
    path = config.save_token("a", config.token_from_jwt(make_jwt(), "https://a.example"))
    path.chmod(0o644)
    config.save_token("b", config.token_from_jwt(make_jwt("b@x"), "https://b.example"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(config.load_tokens()) == {"a", "b"}
    assert config.delete_token("a") is True
    assert config.delete_token("a") is False
    assert set(config.load_tokens()) == {"b"}


def test_a_token_is_only_used_for_the_base_url_that_issued_it() -> None:
    config.save_token("prod", config.token_from_jwt(make_jwt(), "https://a.example"))
    assert config.get_token(Profile("prod", "https://a.example/")) is not None
    assert config.get_token(Profile("prod", "https://b.example")) is None


def test_token_expiry_is_read_from_the_jwt() -> None:
    jwt = make_jwt(exp=EXP)
    assert config.jwt_expiry(jwt) == EXP
    assert config.jwt_expiry("not-a-jwt") is None
    assert config.jwt_expiry("a.!!!.c") is None
    stored = config.token_from_jwt(jwt, "https://a.example")
    assert not stored.is_expired(datetime(2026, 3, 31, 9, 0, tzinfo=UTC))
    assert stored.is_expired(datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    assert StoredToken("opaque", "https://a.example", None, None).is_expired() is False


def test_env_overrides_profile_url_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    config.save_settings(
        Settings(
            active_profile="prod",
            profiles={
                "prod": Profile("prod", "https://api.withleaf.io", "ops@x"),
                "test": Profile("test", "https://test.example", "qa@x"),
            },
        )
    )
    assert config.resolve().name == "prod"

    monkeypatch.setenv("LEAF_PROFILE", "test")
    assert config.resolve().base_url == "https://test.example"
    assert config.resolve("prod").name == "prod"  # a flag beats the environment

    monkeypatch.setenv("LEAF_API_URL", "http://127.0.0.1:9999/")
    resolved = config.resolve()
    assert (resolved.name, resolved.base_url) == ("test", "http://127.0.0.1:9999")
    assert resolved.profile.username == "qa@x"
    assert config.resolve(base_url="http://other:1").base_url == "http://other:1"

    monkeypatch.setenv("LEAF_TOKEN", "tok-from-env")
    assert config.resolve().token_from_env == "tok-from-env"
    assert "tok-from-env" not in repr(config.resolve())


def test_leaf_api_url_turns_the_builtin_sandbox_into_an_env_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert config.resolve().is_sandbox
    monkeypatch.setenv("LEAF_TOKEN", "ignored-for-the-embedded-sandbox")
    assert config.resolve().token_from_env is None
    monkeypatch.setenv("LEAF_API_URL", "http://127.0.0.1:8765")
    resolved = config.resolve()
    assert not resolved.is_sandbox
    assert (resolved.name, resolved.base_url) == ("env", "http://127.0.0.1:8765")
    assert resolved.token_from_env == "ignored-for-the-embedded-sandbox"


def test_bad_base_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="bad base URL"):
        config.resolve(base_url="ftp://x")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("900", 900),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        ("7d", 604800),
        ("2w", 1209600),
        ("1y", 31536000),
        (" 2H ", 7200),
        (3600, 3600),
    ],
)
def test_durations(text: str | int, seconds: int) -> None:
    assert config.parse_duration(text) == seconds
    assert config.parse_expiry(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "1x", "h", "1h-", "-5m", "1.5h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError, match="bad duration"):
        config.parse_duration(text)


def test_expiry_bounds() -> None:
    with pytest.raises(ConfigError, match="below the minimum of 15 minutes"):
        config.parse_expiry("14m")
    with pytest.raises(ConfigError, match="above the maximum of one year"):
        config.parse_expiry("366d")
