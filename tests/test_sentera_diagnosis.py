"""The Sentera diagnosis, token masking and redaction: pure logic, no Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from leaf_tui.api.models import SenteraCredential, SenteraEvent
from leaf_tui.domain.sentera_diagnosis import (
    MASK,
    Problem,
    Severity,
    diagnose,
    find_org_error,
    mask_token,
    one_line,
    pretty_text,
    sort_key,
    trailing_failures,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = "st_live_9f8e7d6c5b4a39281706f5e4d3c2b1a03f2a"


def cred(status: str | None = "OK") -> SenteraCredential:
    return SenteraCredential(
        id="c1",
        status=status,
        created_time=NOW - timedelta(days=3),
        username="grower@sentera.example",
        auth_token=TOKEN,
        organization_id="org-1",
        organization_name="Prairie Farms",
    )


def ev(i: int, code: int | None, minutes_ago: float, body: str = "") -> SenteraEvent:
    return SenteraEvent(
        id=f"e{i}",
        created_date=NOW - timedelta(minutes=minutes_ago),
        status_code=code,
        headers="",
        body=body,
    )


# --- diagnose ----------------------------------------------------------------------------


def test_healthy_says_when_the_last_success_was() -> None:
    d = diagnose(cred(), [ev(1, 200, 10), ev(2, 200, 3)], NOW)
    assert d.problem is Problem.HEALTHY
    assert d.severity is Severity.OK
    assert d.message == "Syncing normally; last success 3m 00s ago."
    assert d.key is None


def test_events_in_any_order_are_sorted_before_judging() -> None:
    # the newest event (a success) comes first in the list: the old 503 must not count
    d = diagnose(cred(), [ev(2, 200, 1), ev(1, 503, 5)], NOW)
    assert d.problem is Problem.HEALTHY
    assert "last success 1m 00s ago" in d.message


def test_unauthenticated_status_means_the_password_changed() -> None:
    d = diagnose(cred("UNAUTHENTICATED"), [ev(1, 200, 60)], NOW)
    assert d.problem is Problem.PASSWORD_CHANGED
    assert d.message == (
        "The grower's Sentera password no longer works (changed?). "
        "Press r to recreate with the new password."
    )
    assert d.key == "r"
    assert d.severity is Severity.ERROR


def test_recent_401s_mean_the_password_changed_even_if_status_still_ok() -> None:
    d = diagnose(cred(), [ev(1, 200, 30), ev(2, 401, 2), ev(3, 401, 1)], NOW)
    assert d.problem is Problem.PASSWORD_CHANGED
    assert d.key == "r"


def test_a_401_followed_by_a_success_is_history_not_a_problem() -> None:
    d = diagnose(cred(), [ev(1, 401, 30), ev(2, 200, 1)], NOW)
    assert d.problem is Problem.HEALTHY


def test_no_events_yet() -> None:
    d = diagnose(cred(), [], NOW)
    assert d.problem is Problem.NO_EVENTS
    assert "no sync events yet" in d.message


def test_not_connected_names_the_connect_key() -> None:
    d = diagnose(None, [], NOW)
    assert d.problem is Problem.NOT_CONNECTED
    assert d.key == "c"
    assert "Press c to connect" in d.message


def test_org_wrong_case_from_the_last_create_error() -> None:
    detail = (
        'Sentera organization "prairie farms" not found. Did you mean "Prairie Farms"? '
        "Organization names are case-sensitive."
    )
    d = diagnose(None, [], NOW, last_create_error=detail)
    assert d.problem is Problem.ORG_CASE
    assert '"prairie farms"' in d.message
    assert 'did you mean "Prairie Farms"?' in d.message
    assert "case-sensitive" in d.message
    assert d.key == "c"


def test_org_not_found_from_the_last_create_error() -> None:
    d = diagnose(None, [], NOW, last_create_error='Organization "Nowhere Co-op" not found')
    assert d.problem is Problem.ORG_NOT_FOUND
    assert '"Nowhere Co-op"' in d.message
    assert "Press c" in d.message


def test_login_failed_from_the_last_create_error() -> None:
    d = diagnose(None, [], NOW, last_create_error="Sentera login failed for grower@x")
    assert d.problem is Problem.LOGIN_FAILED
    assert d.key == "c"


def test_org_error_in_a_json_event_body() -> None:
    body = json.dumps(
        {
            "error": "not_found",
            "message": "organization 'prairie farms' not found",
            "didYouMean": "ignored",
            "hint": "did you mean 'Prairie Farms'?",
        }
    )
    # the did-you-mean sits in another field of the same body than the message
    d = diagnose(cred(), [ev(1, 200, 20), ev(2, 404, 1, body)], NOW)
    assert d.problem is Problem.ORG_CASE
    assert '"prairie farms"' in d.message and '"Prairie Farms"' in d.message
    assert d.key == "r"


def test_org_case_in_a_single_message() -> None:
    detail = 'Organization "prairie farms" not found; did you mean "Prairie Farms"?'
    body = json.dumps({"detail": detail})
    d = diagnose(cred(), [ev(1, 400, 1, body)], NOW)
    assert d.problem is Problem.ORG_CASE
    assert 'did you mean "Prairie Farms"?' in d.message
    assert "Press r" in d.message


def test_server_errors_are_a_warning_with_the_count_and_last_success() -> None:
    d = diagnose(cred(), [ev(1, 200, 60), ev(2, 503, 2), ev(3, 502, 1)], NOW)
    assert d.problem is Problem.PROVIDER_DOWN
    assert d.severity is Severity.WARNING
    assert "502" in d.message and "2 failed in a row" in d.message
    assert "last success 1h 00m ago" in d.message


def test_rate_limited() -> None:
    d = diagnose(cred(), [ev(1, 429, 1)], NOW)
    assert d.problem is Problem.RATE_LIMITED


def test_other_client_error_points_at_the_event_and_recreate() -> None:
    d = diagnose(cred(), [ev(1, 422, 1, "bad request")], NOW)
    assert d.problem is Problem.SYNC_FAILED
    assert "422" in d.message and d.key == "r"


def test_unknown_status_is_shown_as_it_is() -> None:
    d = diagnose(cred("SUSPENDED"), [ev(1, 200, 1)], NOW)
    assert d.problem is Problem.UNKNOWN_STATUS
    assert "SUSPENDED" in d.message


def test_trailing_failures_stop_at_the_last_success() -> None:
    events = [ev(1, 500, 5), ev(2, 200, 4), ev(3, 401, 3), ev(4, 401, 2)]
    assert [e.id for e in trailing_failures(events)] == ["e3", "e4"]


def test_sort_key_orders_by_date_then_id_with_undated_first() -> None:
    undated = SenteraEvent("z", None, 200, "", "")
    same_a, same_b = ev(2, 200, 1), ev(1, 200, 1)
    ordered = sorted([same_a, undated, same_b], key=sort_key)
    assert [e.id for e in ordered] == ["z", "e1", "e2"]


@pytest.mark.parametrize(
    ("text", "name", "suggestion", "case_only"),
    [
        (
            'Organization "prairie farms" not found. Did you mean "Prairie Farms"?',
            "prairie farms",
            "Prairie Farms",
            True,
        ),
        ("organization 'Nowhere' not found", "Nowhere", None, False),
        ("The grower's organization “Acme” was not found", "Acme", None, False),
        ("Unknown organization", None, None, False),
    ],
)
def test_find_org_error(
    text: str, name: str | None, suggestion: str | None, case_only: bool
) -> None:
    org = find_org_error(text)
    assert org is not None
    assert (org.name, org.suggestion, org.case_only) == (name, suggestion, case_only)


def test_find_org_error_ignores_other_text() -> None:
    assert find_org_error("Sentera login failed") is None
    assert find_org_error("") is None
    assert find_org_error(None) is None


# --- secrets -----------------------------------------------------------------------------


def test_mask_token_shows_only_the_last_four() -> None:
    assert mask_token(TOKEN) == MASK + "3f2a"
    assert TOKEN[:-4] not in mask_token(TOKEN)
    assert mask_token("short") == MASK
    assert mask_token(None) == "—"


def test_credential_repr_never_shows_the_token() -> None:
    assert TOKEN not in repr(cred())


def test_pretty_text_pretty_prints_json_and_redacts_secret_keys() -> None:
    raw = json.dumps({"user": "grower", "authToken": TOKEN, "nested": {"password": "p@ss"}})
    out = pretty_text(raw)
    assert out.splitlines()[0] == "{"
    assert '  "user": "grower",' in out
    assert TOKEN not in out and "p@ss" not in out


def test_pretty_text_redacts_header_lines_and_known_secrets() -> None:
    raw = f"Content-Type: application/json\nAuthorization: Bearer {TOKEN}\nX-Echo: {TOKEN}"
    out = pretty_text(raw, secrets=[TOKEN])
    assert "Content-Type: application/json" in out
    assert "Authorization: " + MASK in out
    assert TOKEN not in out


def test_pretty_text_leaves_invalid_json_alone() -> None:
    assert pretty_text("{not json") == "{not json"


def test_one_line_is_short_single_line_and_redacted() -> None:
    raw = json.dumps({"status": "ok", "token": TOKEN, "fields": list(range(200))}, indent=2)
    line = one_line(raw, limit=80)
    assert "\n" not in line
    assert len(line) <= 80 and line.endswith("…")
    assert TOKEN not in line


def test_diagnosis_module_does_not_import_textual() -> None:
    code = "import sys, leaf_tui.domain.sentera_diagnosis; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_org_error_wins_over_unauthenticated_status() -> None:
    # the sandbox (like Leaf) marks a credential whose organization vanished UNAUTHENTICATED
    body = json.dumps({"errors": [{"message": 'Organization "prairie farms" not found'}]})
    d = diagnose(cred("UNAUTHENTICATED"), [ev(1, 200, 9), ev(2, 404, 1, body)], NOW)
    assert d.problem is Problem.ORG_NOT_FOUND
    assert d.key == "r"


def lower_case_cred() -> SenteraCredential:
    """A credential whose organization differs from Sentera's only in case (Dale in the demo)."""
    c = cred("UNAUTHENTICATED")
    return SenteraCredential(**{**c.__dict__, "organization_name": "maple ranch"})


NOT_FOUND = json.dumps(
    {"errors": [{"message": 'Organization "maple ranch" not found (names are case-sensitive)'}]}
)


def answered(org: str) -> str:
    return json.dumps({"data": {"organization": {"name": org, "fields": {"synced": True}}}})


def test_org_not_found_never_guesses_the_right_name() -> None:
    # the demo's case: the successes echo the same lower-case name, the 404s suggest nothing
    events = [ev(1, 200, 90, answered("maple ranch")), ev(2, 404, 5, NOT_FOUND)]
    d = diagnose(lower_case_cred(), events, NOW)
    assert d.problem is Problem.ORG_NOT_FOUND and d.organization is None
    assert '"maple ranch" not found' in d.message
    assert "Maple Ranch" not in d.message and "did you mean" not in d.message
    assert "Sentera's answers do not say the right one" in d.message
    assert "Press r to recreate" in d.message


def test_org_spelling_from_an_earlier_success_answer() -> None:
    # Sentera once answered with its own spelling of the organization: that names it
    events = [ev(1, 200, 90, answered("Maple Ranch")), ev(2, 404, 5, NOT_FOUND)]
    d = diagnose(lower_case_cred(), events, NOW)
    assert d.problem is Problem.ORG_CASE and d.organization == "Maple Ranch"
    assert 'Organization "maple ranch" not found: did you mean "Maple Ranch"?' in d.message


def test_org_spelling_from_an_older_failure_with_a_did_you_mean() -> None:
    older = json.dumps(
        {"detail": 'Organization "maple ranch" not found; did you mean "Maple Ranch"?'}
    )
    events = [ev(1, 404, 9, older), ev(2, 404, 5, NOT_FOUND)]
    d = diagnose(lower_case_cred(), events, NOW)
    assert d.problem is Problem.ORG_CASE and d.organization == "Maple Ranch"


def test_a_recreate_that_lost_the_credential_says_so_and_names_the_key() -> None:
    d = diagnose(
        None, [], NOW, last_create_error="Sentera login failed for x", lost_by_recreate=True
    )
    assert d.problem is Problem.LOGIN_FAILED and d.key == "c"
    assert d.message.startswith("No Sentera credential now: the recreate deleted the old one")
    assert "Press c to connect" in d.message
    d = diagnose(None, [], NOW, lost_by_recreate=True)
    assert d.problem is Problem.NOT_CONNECTED and "Press c to connect" in d.message


def test_one_line_prefers_error_messages() -> None:
    body = json.dumps({"errors": [{"message": "Unauthorized: the password has changed"}]})
    assert one_line(body) == "Unauthorized: the password has changed"
    ok = json.dumps({"data": {"organization": {"name": "Prairie Farms"}}})
    assert one_line(ok) == '{"data":{"organization":{"name":"Prairie Farms"}}}'
