"""The models read every precision and shape Leaf may send, and keep what they don't know."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leaf_tui.api import (
    LeafUser,
    LinkKind,
    LinkRequest,
    LinkSettings,
    MagicLink,
    SenteraCredential,
    SenteraEvent,
    parse_bool,
    parse_timestamp,
)

AT = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2026-03-02T09:00:00Z", 0),
        ("2026-03-02T09:00:00.123Z", 123000),
        ("2026-03-02T09:00:00.123456Z", 123456),
        ("2026-03-02T09:00:00.123456789Z", 123456),
        ("2026-03-02T10:00:00.5+01:00", 500000),
        ("2026-03-02T04:00:00.000000000-0500", 0),
    ],
)
def test_timestamps_of_every_precision(text: str, micro: int) -> None:
    assert parse_timestamp(text) == AT.replace(microsecond=micro)


@pytest.mark.parametrize("text", [None, "", "yesterday", "2026-13-01T00:00:00Z", 17])
def test_unreadable_timestamps_are_none(text: object) -> None:
    assert parse_timestamp(text) is None


def test_booleans_as_strings() -> None:
    assert parse_bool("true") is True and parse_bool("False") is False
    assert parse_bool(True) is True and parse_bool("boolean") is None


def test_unknown_fields_are_kept_everywhere() -> None:
    link = MagicLink.from_json(
        {"id": "l", "widget": "FILEUPLOAD", "newField": 1, "settings": {"theme": "dark"}}
    )
    assert link.extra == {"newField": 1} and link.settings.extra == {"theme": "dark"}
    assert link.kind is LinkKind.FILE_UPLOAD
    credential = SenteraCredential.from_json({"id": "c", "region": "us", "password": "x"})
    assert credential.extra == {"region": "us"}  # never the password
    user = LeafUser.from_json({"id": "u", "tier": "gold", "staraCredentials": {"id": "s"}})
    assert user.extra == {"tier": "gold"} and user.providers == ("stara",)
    assert user.to_json()["tier"] == "gold"


def test_missing_fields_are_none_not_errors() -> None:
    link = MagicLink.from_json({})
    assert (link.expires_at, link.max_usage, link.kind, link.providers) == (None, None, None, ())
    assert not link.is_used_up and not link.is_expired(AT)
    event = SenteraEvent.from_json({"statusCode": "401"})
    assert event.status_code == 401 and event.headers == "" and event.body == ""


def test_secrets_stay_out_of_reprs() -> None:
    credential = SenteraCredential.from_json({"id": "c", "authToken": "TOKEN-123"})
    user = LeafUser.from_json({"id": "u", "senteraCredentials": {"authToken": "TOKEN-123"}})
    assert "TOKEN-123" not in repr(credential) and "TOKEN-123" not in repr(user)


def test_link_request_bodies_per_kind() -> None:
    settings = LinkSettings(company_name="Acme", disconnect_enabled=True)
    provider = LinkRequest(LinkKind.PROVIDER, 900, ("JohnDeere",), settings=settings)
    assert provider.to_json() == {
        "expiresIn": 900,
        "allowedProviders": ["JohnDeere"],
        "settings": {"companyName": "Acme", "disconnectEnabled": True},
    }
    auth = LinkRequest(LinkKind.AUTHENTICATION, provider="CNHI")
    assert auth.to_json() == {"provider": "CNHI"}  # expiresIn left to Leaf's default
    upload = LinkRequest(LinkKind.FILE_UPLOAD, settings=settings)
    assert upload.to_json() == {"settings": {"companyName": "Acme"}}


def test_links_made_from_one_preset_share_one_settings_object() -> None:
    preset = {"companyName": "Acme", "backgroundColor": "#336699", "showLeafUserName": True}
    first, second = (MagicLink.from_json({"id": n, "settings": dict(preset)}) for n in "ab")
    assert (
        first.settings
        == second.settings
        == LinkSettings(background_color="#336699", company_name="Acme", show_leaf_user_name=True)
    )
    assert first.settings is second.settings
    assert LinkSettings.from_json(None) is LinkSettings.from_json({}) == LinkSettings()


def test_settings_with_keys_we_do_not_know_keep_them_and_are_not_shared() -> None:
    plain = LinkSettings.from_json({"companyName": "Acme"})
    odd = LinkSettings.from_json({"companyName": "Acme", "fontFamily": "serif"})
    assert odd.extra == {"fontFamily": "serif"} and plain.extra == {}
    assert odd is not plain and odd != plain


def test_settings_read_past_the_shared_limit_stay_right() -> None:
    from leaf_tui.api import models

    names = [f"Co {n}" for n in range(models.SHARED_SETTINGS_LIMIT + 5)]
    read = [LinkSettings.from_json({"companyName": name}) for name in names]
    assert [s.company_name for s in read] == names
    assert LinkSettings.from_json({"companyName": names[0]}).company_name == names[0]
