"""Property tests on the client's inputs (issue 6): the wizard's field validators and draft, the
same fields typed into the running wizard, and the CLI's duration and provider parsing. Whatever
is typed: no exception escapes, and the person gets one of the documented, actionable messages.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leaf_tui import cli
from leaf_tui.api.models import (
    EXPIRES_IN_MAX,
    EXPIRES_IN_MIN,
    PROVIDERS,
    LeafUser,
    LinkKind,
)
from leaf_tui.domain import config, link_draft
from leaf_tui.domain.link_draft import LinkDraft

from .conftest import Tally

MESSAGES = {v for k, v in vars(link_draft).items() if k.startswith("MSG_")}
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "\x00",
        "\u202e",
        "²",
        "٣٠",
        "1²",
        "\uff11\uff15m",  # fullwidth digits
        "15 m",
        "15mins",
        "1h 30m",
        "1h,30m",
        "-15m",
        "+15m",
        "1e3",
        "0x10",
        "9" * 30,
        "9" * 5000 + "s",
        "#",
        "#fff",
        "#FFFFFFF",
        "#ggg",
        "http://",
        "https://exa mple.com",
        "https://example.com/logo.png",
        "javascript:alert(1)",
        "ftp://x",
        "a@b.c",
        "a@b",
        "@",
        "x" * 300,
        "🌾" * 10,
    ]
)
TEXT = st.text(max_size=40) | NASTY | st.integers().map(str) | st.floats().map(str)
PROPS = settings(max_examples=150, deadline=None)


# --- the validators -------------------------------------------------------------------------


@PROPS
@given(text=TEXT)
def test_every_validator_answers_a_documented_message_or_none(text: str, tally: Tally) -> None:
    for validate in (
        link_draft.validate_hex_color,
        link_draft.validate_url,
        link_draft.validate_email,
        link_draft.validate_external_id,
        link_draft.validate_text,
    ):
        message = validate(text)
        assert message is None or message in MESSAGES, (validate.__name__, text, message)
    if link_draft.validate_hex_color(text) is None and text:
        assert re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text)
    if link_draft.validate_url(text) is None and text:
        assert text.lower().startswith(("http://", "https://")) and not any(
            c.isspace() for c in text
        )
    if link_draft.validate_external_id(text) is None:
        assert text == text.strip() and text and len(text) <= link_draft.MAX_EXTERNAL_ID
    tally.property_examples["wizard validators"] += 1


@PROPS
@given(text=TEXT)
def test_wizard_durations_parse_or_say_how_to_write_one(text: str, tally: Tally) -> None:
    seconds, message = link_draft.check_duration(text)
    assert message is None or message in MESSAGES, (text, message)
    if message is None:
        assert seconds is not None and EXPIRES_IN_MIN <= seconds <= EXPIRES_IN_MAX
    tally.property_examples["wizard durations"] += 1


@PROPS
@given(seconds=st.integers(min_value=0, max_value=10 * EXPIRES_IN_MAX))
def test_wizard_duration_text_reads_back(seconds: int, tally: Tally) -> None:
    assert link_draft.parse_duration(link_draft.duration_text(seconds)) == seconds
    tally.property_examples["wizard durations"] += 1


DRAFT_FIELDS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(list(LinkKind)),
        "new_user": st.booleans(),
        "external_id": TEXT,
        "new_name": TEXT,
        "new_email": TEXT,
        "providers": st.lists(st.sampled_from([*PROVIDERS, "Nope", ""]), max_size=8).map(tuple),
        "provider": st.sampled_from([*PROVIDERS, "", "nope"]),
        "expiry": TEXT,
        "background_color": TEXT,
        "company_name": TEXT,
        "company_logo": TEXT,
        "header_image": TEXT,
        "show_leaf_user_name": st.booleans(),
        "disconnect_enabled": st.booleans(),
    }
)


@PROPS
@given(fields=DRAFT_FIELDS, with_user=st.booleans())
def test_any_draft_either_makes_a_request_or_names_its_problems(
    fields: dict[str, Any], with_user: bool, tally: Tally
) -> None:
    user = LeafUser.from_json({"id": "u-1", "name": "Ava"}) if with_user else None
    draft = LinkDraft(user=user, **fields)
    problems = draft.problems()
    for problem in problems:
        assert problem.message in MESSAGES and problem.step in link_draft.STEP_ORDER
    if problems:
        with pytest.raises(ValueError, match=re.escape(problems[0].message)):
            draft.to_request()
    else:
        request = draft.to_request()
        body = request.to_json()
        assert EXPIRES_IN_MIN <= body["expiresIn"] <= EXPIRES_IN_MAX
        if request.kind is LinkKind.PROVIDER:
            assert body["allowedProviders"] and set(body["allowedProviders"]) <= set(PROVIDERS)
        if request.kind is LinkKind.AUTHENTICATION:
            assert body["provider"] in PROVIDERS
    tally.property_examples["wizard drafts"] += 1


# --- the CLI --------------------------------------------------------------------------------


@PROPS
@given(text=TEXT)
def test_cli_expiry_parses_or_says_what_is_wrong(text: str, tally: Tally) -> None:
    try:
        seconds = config.parse_expiry(text)
    except config.ConfigError as exc:
        message = str(exc)
        assert message and ("duration" in message or "expiry" in message), message
    else:
        assert EXPIRES_IN_MIN <= seconds <= EXPIRES_IN_MAX
    tally.property_examples["CLI durations"] += 1


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31_536_000}


@PROPS
@given(
    parts=st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from(sorted(UNITS))), min_size=1, max_size=4
    )
)
def test_cli_and_wizard_read_durations_alike(parts: list[tuple[int, str]], tally: Tally) -> None:
    """What `leaf-tui link create --expires` accepts, the wizard accepts with the same value."""
    text = "".join(f"{n}{unit}" for n, unit in parts)
    expected = sum(n * UNITS[unit] for n, unit in parts)
    assert config.parse_duration(text) == expected
    assert link_draft.parse_duration(text) == expected
    tally.property_examples["CLI durations"] += 1


def parse_link_create(*extra: str) -> Any:
    return cli.build_parser().parse_args(["link", "create", "--user", "u-1", *extra])


@PROPS
@given(expires=TEXT, providers=st.lists(TEXT | st.sampled_from(PROVIDERS), max_size=3))
def test_cli_link_flags_become_a_request_or_a_usage_error(
    expires: str, providers: list[str], tally: Tally
) -> None:
    assume("\x00" not in expires and not any("\x00" in p for p in providers))
    args = parse_link_create(f"--expires={expires}", *(f"--provider={p}" for p in providers))
    try:
        request = cli.link_request(args, 3600)
    except cli.UsageError as exc:
        assert str(exc).strip()
    else:
        assert request.allowed_providers and set(request.allowed_providers) <= set(PROVIDERS)
        assert request.expires_in is not None
        assert EXPIRES_IN_MIN <= request.expires_in <= EXPIRES_IN_MAX
    tally.property_examples["CLI link flags"] += 1


@PROPS
@given(text=TEXT)
def test_cli_provider_names_match_or_list_the_choices(text: str, tally: Tally) -> None:
    try:
        name = cli.provider_name(text)
    except cli.UsageError as exc:
        assert all(p in str(exc) for p in PROVIDERS)
    else:
        assert name in PROVIDERS and name.lower() == text.strip().lower()
    tally.property_examples["CLI providers"] += 1


@settings(max_examples=40, deadline=None)
@given(expires=TEXT.filter(lambda t: "\x00" not in t and not t.startswith("-")))
def test_cli_main_never_shows_a_traceback_for_a_bad_expiry(expires: str, tally: Tally) -> None:
    """The whole command: a bad --expires exits 2 with one line saying why, before any
    network (so the valid ones are skipped here: they would go on to connect)."""
    try:
        config.parse_expiry(expires)
    except config.ConfigError:
        pass
    except Exception:
        pass  # the command must still answer cleanly: that is what is checked below
    else:
        return
    code = cli.main(
        ["link", "create", "--user", "u-1", "--provider", "CNHI", f"--expires={expires}"]
    )
    assert code == cli.EXIT_USAGE
    tally.property_examples["CLI link flags"] += 1


# --- the running wizard -----------------------------------------------------------------------

WIZARD_FIELDS = {
    "expiry": ("expiry", False),
    "background_color": ("customize", False),
    "company_name": ("customize", False),
    "company_logo": ("customize", False),
    "header_image": ("customize", False),
    "external_id": ("user", True),
    "new_name": ("user", True),
    "new_email": ("user", True),
}


async def type_everything(values: dict[str, list[str]]) -> tuple[int, int]:
    """One app on an in-process sandbox: each value is typed into its field; the message under
    the field must be exactly the validator's, and ctrl+s must refuse while any is shown."""
    from textual.widgets import Input

    from leaf_tui.api import LeafClient
    from leaf_tui.domain.session import Session
    from leaf_tui.sandbox.app import SandboxConfig, create_app
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.wizard import WizardScreen

    from .conftest import FROZEN, OWNER, app_ready, wait_until

    sandbox = create_app(SandboxConfig(users=5, links=3, events=5, now=lambda: FROZEN))
    transport = httpx.ASGITransport(app=sandbox)
    client = LeafClient("http://sandbox.test", transport=transport)
    await client.auth.authenticate(*OWNER)
    app = LeafApp(Session(client, "sandbox", "http://sandbox.test", True))
    typed = refused = 0
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app_ready(pilot)
            app.open_wizard()
            await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen))
            screen = app.screen
            links_before = len(await client.links.list_all())
            for field, texts in values.items():
                step, new_user = WIZARD_FIELDS[field]
                if new_user and not screen.draft.new_user:
                    screen.go_to("user")
                    await pilot.pause()
                    screen.query_one("#user-mode").focus()
                    await pilot.press("right")
                screen.go_to(step)
                await pilot.pause()
                box = screen.query_one(f"#{field}", Input)
                for text in texts:
                    box.value = text
                    await pilot.pause()
                    typed += 1
                    expected = screen.draft.field_errors().get(field)
                    assert getattr(screen.draft, field) == text, "the draft holds what was typed"
                    shown = screen.query_one(f"#{field}-error")
                    assert (str(shown.content) if shown.display else None) == expected, (
                        field,
                        text,
                    )
                    if screen.draft.problems():
                        await pilot.press("ctrl+s")
                        await pilot.pause()
                        assert isinstance(app.screen, WizardScreen)
                        refused += 1
                box.value = ""  # leave the field valid (or required-empty) for the next one
                await pilot.pause()
            assert len(await client.links.list_all()) == links_before, "nothing was sent"
            assert app.is_running
    finally:
        await client.aclose()
        sandbox.state.sandbox.close()
    return typed, refused


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.fixed_dictionaries(
        {field: st.lists(TEXT, min_size=6, max_size=6) for field in WIZARD_FIELDS}
    )
)
def test_anything_typed_into_the_wizard_gets_the_validators_message(
    values: dict[str, list[str]], tally: Tally, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaf_tui.common import clock

    from .conftest import FROZEN

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    with clock.frozen(FROZEN):
        typed, _refused = asyncio.run(type_everything(values))
    tally.property_examples["wizard fields typed"] += typed
