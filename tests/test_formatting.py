from datetime import UTC, datetime, timedelta

import pytest

from leaf_tui.common.formatting import (
    Urgency,
    ago,
    countdown,
    format_duration,
    format_when,
    share_message,
    uses_bar,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (725, "12m 05s"),
        (3 * 3600 + 7 * 60, "3h 07m"),
        (6 * 86400 + 4 * 3600, "6d 04h"),
        (365 * 86400, "365d"),
        (-5, "0s"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("left", "text", "urgency"),
    [
        (7200, "2h 00m", Urgency.CALM),
        (1800, "30m 00s", Urgency.SOON),
        (120, "2m 00s", Urgency.URGENT),
        (0, "expired", Urgency.EXPIRED),
        (-60, "expired", Urgency.EXPIRED),
    ],
)
def test_countdown_levels(left: int, text: str, urgency: Urgency) -> None:
    assert countdown(NOW + timedelta(seconds=left), NOW) == (text, urgency)


def test_countdown_without_expiry() -> None:
    assert countdown(None, NOW) == ("—", Urgency.CALM)


def test_uses_bar() -> None:
    assert uses_bar(0, 3) == "0/3 ░░░░░░"
    assert uses_bar(3, 3) == "3/3 ██████"
    assert uses_bar(5, 3) == "5/3 ██████"
    assert uses_bar(None, 3) == "?/3"


def test_ago() -> None:
    assert ago(None, NOW) == "never"
    assert ago(NOW - timedelta(minutes=3), NOW) == "3m 00s ago"
    assert ago(NOW, NOW) == "just now"
    assert ago(NOW + timedelta(minutes=5), NOW) == "in 5m 00s"


def test_share_message_names_grower_providers_and_expiry() -> None:
    text = share_message(
        "Ada", ["JohnDeere", "CNHI", "Stara"], "https://x/1", NOW + timedelta(hours=1)
    )
    assert text == (
        "Hi Ada, use this link to connect your JohnDeere, CNHI or Stara account: "
        "https://x/1 (expires 2026-03-02 10:00 UTC)"
    )


def test_share_message_for_file_upload_and_no_name() -> None:
    text = share_message(None, [], "https://x/2", None, file_upload=True)
    assert text == "Hi, use this link to upload your machine files: https://x/2"


def test_format_when() -> None:
    assert format_when(None) == "—"
    assert format_when(NOW) == "2026-03-02 09:00 UTC"
