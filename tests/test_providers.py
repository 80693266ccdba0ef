"""The provider registry, secret masking and the per-family diagnosis: pure logic."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from leaf_tui.api.models import LeafUser
from leaf_tui.api.providers import (
    MASK,
    REGISTRY,
    Family,
    ProviderCredential,
    ProviderEvent,
    credentials_of,
    mask_credential,
    provider,
)
from leaf_tui.common.debuglog import redact
from leaf_tui.domain.provider_diagnosis import (
    Problem,
    diagnose,
    failures_24h,
    health_summary,
    last_event,
    summary,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
JD = provider("JohnDeere")
RAVEN = provider("Raven")
REFRESH = "jd-refresh-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
SECRET = "jd-client-secret-0a1b2c3d4e5f"


def jd(status: str | None = "OK", env: str = "PRODUCTION") -> ProviderCredential:
    return ProviderCredential.from_json(
        JD,
        {
            "id": "jd-1",
            "status": status,
            "createdTime": "2026-02-27T09:00:00.000000Z",
            "clientKey": "jd-client-key-123456",
            "clientSecret": SECRET,
            "refreshToken": REFRESH,
            "accessToken": "jd-access-abcdef123456",
            "clientEnvironment": env,
            "tokenMetadata": {"scopes": ["ag1", "eq1"]},
        },
    )


def ev(i: int, code: int, minutes_ago: float, body: str = "", headers: str = "") -> ProviderEvent:
    return ProviderEvent(f"e{i}", NOW - timedelta(minutes=minutes_ago), code, headers, body)


def test_registry_matches_the_note() -> None:
    assert len(REGISTRY) == 13
    allowed = {p.name for p in REGISTRY if p.magic_link}
    assert allowed == {
        "JohnDeere",
        "ClimateFieldView",
        "CNHI",
        "AgLeader",
        "Trimble",
        "RavenSlingshot",
        "Stara",
    }
    outside = {p.name for p in REGISTRY if not p.in_user_object}
    assert outside == {"Sentera", "Agvance", "Panorama"}
    assert provider("john-deere") is JD and provider("johnDeereCredentials") is JD
    assert JD.path_name == "john-deere-credentials"
    assert provider("ClimateFieldView").user_field == "climateFieldViewCredentials"
    assert provider("CNHI").user_field == "cnhiCredentials"
    assert provider("RavenSlingshot").family is Family.KEY
    assert provider("Sentera").family is Family.PASSWORD


def test_masking_hides_every_secret_and_keeps_identifiers() -> None:
    credential = jd()
    masked = credential.masked()
    text = json.dumps(masked)
    for secret in (SECRET, REFRESH, "jd-access-abcdef123456", "jd-client-key-123456"):
        assert secret not in text and secret not in repr(credential)
    assert masked["clientKey"] == MASK + "3456"
    assert masked["clientEnvironment"] == "PRODUCTION"
    assert masked["tokenMetadata"] == {"scopes": ["ag1", "eq1"]}
    # inside a user object too, and in a log line
    user = {"id": "u1", "valleyCredentials": {"key": "vk-1", "initializationVector": "iv-1"}}
    assert json.dumps(mask_credential(user), ensure_ascii=False).count(MASK) == 2
    assert SECRET not in redact(f"refreshToken={REFRESH} clientSecret={SECRET}")


def test_user_object_credentials_in_registry_order_unknown_kept() -> None:
    user = LeafUser.from_json(
        {
            "id": "u1",
            "trimbleCredentials": {"id": "t", "status": "UNAUTHENTICATED"},
            "johnDeereCredentials": {"id": "j", "status": "OK"},
            "claasCredentials": {"id": "c", "status": "WEIRD"},
        }
    )
    found = credentials_of(user.credentials)
    assert [c.provider.display for c in found] == ["John Deere", "Trimble", "claas"]
    assert health_summary(found) == "✗ Trimble UNAUTHENTICATED, claas WEIRD · 1 ok"
    assert health_summary(found[:1]) == "1 ok"
    assert health_summary([]) == "—"


def test_revoked_refresh_token_names_the_magic_link_key() -> None:
    events = [
        ev(1, 200, 120),
        ev(2, 400, 30, '{"error":"invalid_grant","error_description":"token revoked"}'),
    ]
    d = diagnose(JD, jd("UNAUTHENTICATED"), events, NOW)
    assert d.problem is Problem.TOKEN_REVOKED and d.key == "a"
    assert "authentication link" in d.message


def test_raven_is_not_in_magic_links_so_the_form_key() -> None:
    cred = ProviderCredential.from_json(RAVEN, {"id": "r", "status": "UNAUTHENTICATED"})
    d = diagnose(RAVEN, cred, [ev(1, 400, 5, "invalid_grant")], NOW)
    assert d.key == "N" and "Magic links do not cover Raven" in d.message


def test_john_deere_organization_not_granted() -> None:
    body = '{"message":"Organization 4421 has not granted access to this client"}'
    d = diagnose(JD, jd("MISSING_PERMISSION"), [ev(1, 403, 2, body)], NOW)
    assert d.problem is Problem.ORG_NOT_GRANTED
    assert '"4421"' in d.message and "connections page" in d.message


def test_scopes_stage_outage_rate_limit_and_statuses() -> None:
    assert diagnose(JD, jd(), [ev(1, 403, 1, "insufficient scope")], NOW).problem is (
        Problem.MISSING_PERMISSION
    )
    stage = diagnose(
        JD, jd(env="STAGE"), [ev(1, 401, 1, "STAGE client used against PRODUCTION")], NOW
    )
    assert stage.problem is Problem.WRONG_ENVIRONMENT and "STAGE" in stage.message
    assert diagnose(JD, jd(), [ev(1, 503, 1)], NOW).problem is Problem.PROVIDER_DOWN
    limited = diagnose(JD, jd(), [ev(1, 429, 1, headers="Retry-After: 120")], NOW)
    assert limited.problem is Problem.RATE_LIMITED and "120 s" in limited.message
    assert diagnose(JD, jd("TEMPORARILY_UNAVAILABLE"), [], NOW).problem is Problem.PROVIDER_DOWN
    odd = diagnose(JD, jd("Paused-by-admin"), [], NOW)
    assert odd.problem is Problem.UNKNOWN_STATUS and "Paused-by-admin" in odd.message
    healthy = diagnose(JD, jd(), [ev(1, 500, 30), ev(2, 200, 3)], NOW)
    assert healthy.problem is Problem.HEALTHY and "3m 00s ago" in healthy.message
    assert diagnose(JD, None, [], NOW).key == "a"


def test_counts_and_summary_carry_no_secret() -> None:
    events = [ev(1, 200, 60 * 30), ev(2, 500, 60 * 25), ev(3, 401, 60, f"bad {REFRESH}")]
    assert failures_24h(events, NOW) == 1
    assert last_event(events) is events[2]
    cred = jd("UNAUTHENTICATED")
    text = summary("Prairie Farms", cred, diagnose(JD, cred, events, NOW), events)
    assert "Grower: Prairie Farms" in text and "HTTP 401" in text and "HTTP 500" in text
    assert REFRESH not in text and SECRET not in text and "bad" not in text
    logging.getLogger(__name__).debug(text)


def test_a_credential_without_status_counts_as_not_checked() -> None:
    from datetime import UTC, datetime

    from leaf_tui.domain.connections import connection
    from leaf_tui.domain.triage import candidates, without_status

    user = LeafUser.from_json(
        {
            "id": "u1",
            "johnDeereCredentials": {"id": "j", "status": "OK"},
            "trimbleCredentials": {"id": "t"},
            "cnhiCredentials": {"id": "c", "status": "UNAUTHENTICATED"},
        }
    )
    found = credentials_of(user.credentials)
    assert health_summary(found) == "✗ CNHI UNAUTHENTICATED · 1 ok · 1 not checked"
    trimble = [c for c in found if c.status is None]
    assert health_summary(trimble) == "1 not checked"
    john_deere = [c for c in found if c.status == "OK"]
    assert health_summary(john_deere + trimble) == "1 ok · 1 not checked"
    conn = connection(trimble[0].provider, trimble[0], [], datetime(2026, 3, 2, tzinfo=UTC))
    assert conn.status == "not checked" and not conn.unhealthy
    assert conn.diagnosis.short == "not checked"
    # the triage queue does not list it as broken, and says it did not check it
    assert [c.provider.display for _, c in candidates([user])] == ["CNHI"]
    assert without_status([user]) == ["Trimble"]
