"""The wizard's Textual-free core: every validation message, duration parsing, the request built."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaf_tui.api.models import (
    EXPIRES_IN_MAX,
    EXPIRES_IN_MIN,
    PROVIDERS,
    LeafUser,
    LinkKind,
    LinkSettings,
    MagicLink,
)
from leaf_tui.domain import link_draft as ld

USER = LeafUser(id="u-1", name="Ada Farmer", email="ada@example.com")


@pytest.mark.parametrize("text", ["", "#FFF", "#fa0", "#27AE60", "#c0392b"])
def test_hex_colour_accepted(text: str) -> None:
    assert ld.validate_hex_color(text) is None


@pytest.mark.parametrize("text", ["FFF", "#FF", "#FFFF", "#GGGGGG", "#27AE600", " #FFF", "red"])
def test_hex_colour_rejected(text: str) -> None:
    assert ld.validate_hex_color(text) == ld.MSG_HEX


@pytest.mark.parametrize(
    "text",
    ["", "https://example.com/logo.png", "http://cdn.example.com:8080/a?b=c#d", "HTTPS://X.IO"],
)
def test_url_accepted(text: str) -> None:
    assert ld.validate_url(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("example.com/logo.png", ld.MSG_URL_SCHEME),
        ("ftp://example.com/logo.png", ld.MSG_URL_SCHEME),
        ("javascript:alert(1)", ld.MSG_URL_SCHEME),
        ("https://", ld.MSG_URL_HOST),
        ("https:///logo.png", ld.MSG_URL_HOST),
        ("https://exa mple.com", ld.MSG_URL_SPACE),
        ("https://-bad-.com/", ld.MSG_URL_HOST),
    ],
)
def test_url_rejected(text: str, message: str) -> None:
    assert ld.validate_url(text) == message


def test_email() -> None:
    assert ld.validate_email("") is None
    assert ld.validate_email("grower@example.com") is None
    for bad in ("grower", "grower@", "@example.com", "a b@example.com", "a@b"):
        assert ld.validate_email(bad) == ld.MSG_EMAIL, bad
    assert ld.validate_email("a" * 200 + "@example.com") == ld.MSG_TOO_LONG
    # the user form allows what Leaf stores for a user's email
    assert ld.validate_email("a" * 200 + "@example.com", max_len=254) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "+1 555 0109 4222",
        "(555) 010-4222",
        "555.010.4222",
        "+44 20 7946 0958 ext. 12",
        "555-0100 x12",
        "555-0100 #3",
        " 555 0100 extension 7 ",
    ],
)
def test_phone_accepted(text: str) -> None:
    assert ld.validate_phone(text) is None


@pytest.mark.parametrize(
    "text", ["abc", "12", "+", "1+2", "++1 555", "555-01a0", "(555 010", "555 0100 ext"]
)
def test_phone_rejected(text: str) -> None:
    assert ld.validate_phone(text) == ld.MSG_PHONE


def test_phone_too_long() -> None:
    assert ld.validate_phone("5" * (ld.MAX_PHONE + 1)) == ld.MSG_PHONE_LONG


def test_external_id() -> None:
    assert ld.validate_external_id("crm-4711") is None
    assert ld.validate_external_id("") == ld.MSG_EXTERNAL_ID_REQUIRED
    assert ld.validate_external_id("   ") == ld.MSG_EXTERNAL_ID_REQUIRED
    assert ld.validate_external_id(" crm-1") == ld.MSG_EXTERNAL_ID_SPACE
    assert ld.validate_external_id("crm\x00") == ld.MSG_PRINTABLE
    assert ld.validate_external_id("x" * 256) == ld.MSG_EXTERNAL_ID_LONG
    assert ld.validate_external_id("x" * 255) is None


def test_free_text() -> None:
    assert ld.validate_text("Prairie Co-op") is None
    assert ld.validate_text("x" * 201) == ld.MSG_TOO_LONG
    assert ld.validate_text("bad\nline") == ld.MSG_PRINTABLE


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("900", 900),
        ("15m", 900),
        ("90m", 5400),
        ("2h", 7200),
        ("3d", 259200),
        ("1w", 604800),
        ("1y", 31_536_000),
        ("1h30m", 5400),
        ("1d 12h", 129600),
        ("2 hours", 7200),
        (" 45 MIN ", 2700),
        ("1h, 15m", 4500),
    ],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert ld.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "5x", "h", "1.5h", "-2h", "2h foo", "m15"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="Use a duration like"):
        ld.parse_duration(text)


def test_expiry_bounds() -> None:
    assert ld.check_duration("14m") == (840, ld.MSG_DURATION_MIN)
    assert ld.check_duration("15m") == (900, None)
    assert ld.check_duration("365d") == (EXPIRES_IN_MAX, None)
    assert ld.check_duration("366d") == (366 * 86400, ld.MSG_DURATION_MAX)
    assert ld.check_duration("soon") == (None, ld.MSG_DURATION)


@given(st.integers(min_value=1, max_value=10 * EXPIRES_IN_MAX))
def test_duration_text_round_trips(seconds: int) -> None:
    assert ld.parse_duration(ld.duration_text(seconds)) == seconds


@given(st.text(max_size=40))
def test_parse_duration_never_crashes(text: str) -> None:
    try:
        assert ld.parse_duration(text) >= 0
    except ValueError as exc:
        assert str(exc) == ld.MSG_DURATION


def test_describe_duration() -> None:
    assert ld.describe_duration(900) == "15 minutes"
    assert ld.describe_duration(3600) == "1 hour"
    assert ld.describe_duration(7 * 86400) == "7 days"
    assert ld.describe_duration(EXPIRES_IN_MAX) == "1 year"
    assert ld.describe_duration(93600) == "1 day 2 hours"


def test_presets_are_valid_and_in_bounds() -> None:
    for _label, text in ld.EXPIRY_PRESETS:
        assert ld.check_duration(text)[1] is None


def test_default_draft_needs_only_a_user() -> None:
    draft = ld.LinkDraft()
    assert [p.message for p in draft.problems()] == [ld.MSG_USER]
    draft.user = USER
    assert draft.problems() == []
    request = draft.to_request()
    assert request.kind is LinkKind.PROVIDER
    assert request.allowed_providers == PROVIDERS
    assert request.expires_in == EXPIRES_IN_MIN
    assert request.to_json() == {"expiresIn": 900, "allowedProviders": list(PROVIDERS)}


def test_problems_in_step_order_with_fields() -> None:
    draft = ld.LinkDraft(new_user=True, providers=(), expiry="5m", background_color="blue")
    problems = draft.problems()
    assert [(p.step, p.field) for p in problems] == [
        ("user", "external_id"),
        ("providers", "providers"),
        ("expiry", "expiry"),
        ("customize", "background_color"),
    ]
    assert problems[1].message == ld.MSG_PROVIDERS_NONE
    with pytest.raises(ValueError, match="externalId is required"):
        draft.to_request()


def test_authentication_needs_one_known_provider() -> None:
    draft = ld.LinkDraft(kind=LinkKind.AUTHENTICATION, user=USER, provider="")
    assert [p.message for p in draft.problems()] == [ld.MSG_PROVIDER_ONE]
    draft.provider = "Trimble"
    assert draft.to_request().to_json() == {"expiresIn": 900, "provider": "Trimble"}


def test_file_upload_ignores_providers_and_disconnect() -> None:
    draft = ld.LinkDraft(
        kind=LinkKind.FILE_UPLOAD, user=USER, providers=(), disconnect_enabled=True
    )
    assert draft.problems() == []
    assert draft.offered_providers == ()
    assert draft.to_request().to_json() == {"expiresIn": 900}


def test_unknown_provider_is_a_problem() -> None:
    draft = ld.LinkDraft(user=USER, providers=("JohnDeere", "Other"))
    assert [p.message for p in draft.problems()] == [ld.MSG_PROVIDER_UNKNOWN]


def test_full_settings_in_request() -> None:
    draft = ld.LinkDraft(
        user=USER,
        providers=("Stara", "JohnDeere"),
        expiry="2h",
        background_color="#27AE60",
        company_name="Prairie Co-op",
        company_logo="https://example.com/logo.png",
        header_image="https://example.com/header.jpg",
        show_leaf_user_name=True,
        disconnect_enabled=True,
    )
    body = draft.to_request().to_json()
    assert body == {
        "expiresIn": 7200,
        "allowedProviders": ["JohnDeere", "Stara"],  # documented order
        "settings": {
            "backgroundColor": "#27AE60",
            "companyName": "Prairie Co-op",
            "companyLogo": "https://example.com/logo.png",
            "headerImage": "https://example.com/header.jpg",
            "showLeafUserName": True,
            "disconnectEnabled": True,
        },
    }


def test_new_user_fields_validated() -> None:
    draft = ld.LinkDraft(new_user=True, external_id="crm-1", new_email="nope", new_name="x" * 300)
    assert draft.field_errors() == {"new_email": ld.MSG_EMAIL, "new_name": ld.MSG_TOO_LONG}
    assert draft.user_name == "x" * 300
    draft.new_name = ""
    assert draft.user_name == "crm-1"


def test_server_errors_shown_until_cleared() -> None:
    draft = ld.LinkDraft(user=USER)
    draft.server_errors["company_logo"] = "Logo URL not reachable"
    assert [(p.step, p.message) for p in draft.problems()] == [
        ("customize", "Logo URL not reachable")
    ]
    draft.server_errors.clear()
    assert draft.problems() == []


def test_apply_settings_round_trip() -> None:
    settings = LinkSettings(background_color="#123", company_name="Acme", show_leaf_user_name=True)
    draft = ld.LinkDraft(user=USER)
    draft.apply_settings(settings)
    assert draft.settings() == settings


def test_renewal_expiry() -> None:
    created = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def link(lifetime: timedelta | None) -> MagicLink:
        return MagicLink(
            id="m",
            link="x",
            kind=LinkKind.PROVIDER,
            widget="PROVIDER",
            leaf_user_id="u",
            created_at=created,
            expires_at=None if lifetime is None else created + lifetime,
            last_accessed_at=None,
            max_usage=3,
            usage_count=0,
            settings=LinkSettings(),
        )

    assert ld.renewal_expiry(link(timedelta(days=7, seconds=0.4))) == 7 * 86400
    assert ld.renewal_expiry(link(timedelta(minutes=3))) == EXPIRES_IN_MIN
    assert ld.renewal_expiry(link(timedelta(days=400))) == EXPIRES_IN_MAX
    assert ld.renewal_expiry(link(None)) == EXPIRES_IN_MIN


def test_core_imports_no_textual() -> None:
    """The draft and the presets are shared with the CLI: they must not pull in Textual."""
    import subprocess
    import sys

    code = (
        "import sys, leaf_tui.domain.link_draft, leaf_tui.domain.presets; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
