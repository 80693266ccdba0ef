"""`leaf-tui connections USER` and `leaf-tui attention` against a live loopback sandbox."""

from __future__ import annotations

import json

import httpx
import pytest

from tests import cli_setup
from tests.cli_setup import owner_get, run

# the command-line tests' setup: a private LEAF_TUI_HOME, the password prompt, a live login
home = cli_setup.home
password = cli_setup.password
base_url = cli_setup.base_url
logged_in = cli_setup.logged_in

USERS = "/services/usermanagement/api/users"


def _john_deere_grower(url: str) -> dict:
    users = owner_get(url, f"{USERS}?page=0&size=100")
    return next(u for u in users if (u.get("johnDeereCredentials") or {}).get("status") == "OK")


def test_connections_by_external_id_json_masks_secrets(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user = _john_deere_grower(logged_in)
    raw = user["johnDeereCredentials"]
    code, out, err = run(capsys, "connections", user["externalId"], "--profile", "t", "--json")
    assert code == 0, err
    body = json.loads(out)
    assert body["user"]["id"] == user["id"]
    jd = next(c for c in body["connections"] if c["provider"] == "JohnDeere")
    assert jd["status"] == "OK" and jd["family"] == "OAuth" and jd["diagnosis"]
    for name in ("clientSecret", "refreshToken", "accessToken"):
        if raw.get(name):
            assert raw[name] not in out
    # by id and by email, as a table
    code, out, err = run(capsys, "connections", user["id"], "--profile", "t")
    assert code == 0 and "John Deere" in out and "PROVIDER" in out
    code, out, _ = run(capsys, "connections", user["email"].upper(), "--profile", "t")
    assert code == 0 and "John Deere" in out


def test_connections_of_nobody_is_a_usage_error(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "connections", "nobody@nowhere.example", "--profile", "t")
    assert code == 2 and out == "" and "no Leaf user" in err


def test_attention_lists_a_broken_john_deere_first(
    logged_in: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user = _john_deere_grower(logged_in)
    for step, body in (("break", {"problem": "revoked"}), ("sync", None)):
        answer = httpx.post(
            f"{logged_in}/_sandbox/providers/JohnDeere/{user['id']}/{step}", json=body, timeout=10
        )
        assert answer.status_code < 300, answer.text
    code, out, err = run(capsys, "attention", "--profile", "t", "--json")
    assert code == 0, err
    body = json.loads(out)
    first = body["queue"][0]
    assert first["user"]["id"] == user["id"] and first["provider"] == "JohnDeere"
    assert first["status"] == "UNAUTHENTICATED" and first["problem"] == "access revoked"
    assert "Agvance" in " ".join(body["notChecked"])
    # every demo credential carries a status: none is reported as not checked for lack of one
    assert body["noStatus"] == []
    code, out, err = run(capsys, "attention", "--profile", "t")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["LAST", "FAILURE"]
    assert "need attention" in err
