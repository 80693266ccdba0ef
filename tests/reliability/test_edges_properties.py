"""Property tests (issue 13) on what a person or a machine leaves in our files and environment:
any settings.toml value, any tokens.json, any base URL. No exception escapes but the documented
ones (ConfigError, one line), and a value of the wrong type is a warning naming its key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaf_tui.api.base_url import BadBaseURL, check_base_url
from leaf_tui.domain import config

from .conftest import Tally

pytestmark = pytest.mark.edge("properties of files and URLs")

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
VALUES = st.recursive(
    SCALARS.filter(lambda v: v is not None),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = st.sampled_from(["active_profile", "link_expiry", "auto_copy", "theme", "other"])
EXAMPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def toml_value(value: Any) -> str:
    """A TOML spelling of `value` (JSON's is TOML for strings, numbers and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


@given(entries=st.dictionaries(KEYS, VALUES, max_size=4))
@EXAMPLES
def test_any_settings_value_is_read_or_named(
    entries: dict[str, Any], tmp_path: Path, tally: Tally
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("".join(f"{k} = {toml_value(v)}\n" for k, v in entries.items()))
    try:
        loaded = config.load_settings(path)
    except config.ConfigError as exc:  # TOML the parser refuses: one line naming the file
        assert str(path) in str(exc) and "\n" not in str(exc).strip()
        return
    assert isinstance(loaded.link_expiry, int) and 900 <= loaded.link_expiry <= 31_536_000
    assert isinstance(loaded.auto_copy, bool)
    assert loaded.active_profile == "sandbox" or loaded.active_profile in loaded.profiles
    for key in ("link_expiry", "auto_copy", "active_profile"):
        if key in entries:
            value = entries[key]
            usable = (
                (key == "auto_copy" and isinstance(value, bool))
                or (key == "active_profile" and value == "sandbox")
                or (key == "link_expiry" and loaded.link_expiry != 3600)
                or (key == "link_expiry" and value in (3600, "3600", "1h", "60m"))
            )
            named = any(w.startswith(f"settings.toml: {key} = ") for w in loaded.warnings)
            assert usable or named, (key, value, loaded.warnings)
    for warning in loaded.warnings:
        assert "\n" not in warning and "\x1b" not in warning
    tally.property_examples["settings.toml values"] += 1


@given(
    body=st.one_of(st.text(max_size=40), st.dictionaries(st.text(max_size=8), VALUES, max_size=3))
)
@EXAMPLES
def test_any_tokens_file_loads_or_warns(body: Any, tmp_path: Path, tally: Tally) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    tokens, warnings = config.read_tokens(path)
    for stored in tokens.values():
        assert config.token_problem(stored.token) is None
        assert stored.expires_at is None or stored.expires_at.tzinfo is not None
        stored.is_expired()  # compares with the aware clock: never a TypeError
    for warning in warnings:
        assert "\n" not in warning and "\x1b" not in warning
    tally.property_examples["tokens.json bodies"] += 1


@given(
    url=st.one_of(
        st.text(max_size=40), st.from_regex(r"https?://[^/]{0,20}(:[0-9]{0,7})?", fullmatch=True)
    )
)
@EXAMPLES
def test_any_base_url_is_usable_or_refused_in_one_line(url: str, tally: Tally) -> None:
    import httpx

    try:
        checked = check_base_url(url)
    except BadBaseURL as exc:
        assert "\n" not in str(exc)
    else:
        parsed = httpx.URL(checked)  # httpx takes it, with a port a socket can use
        assert parsed.scheme in ("http", "https") and parsed.host
        assert parsed.port is None or 0 < parsed.port <= 65535
    tally.property_examples["base URLs"] += 1
