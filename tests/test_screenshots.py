"""The README's screenshots and keys table match what the app shows today, and show no secret."""

from __future__ import annotations

import re

import pytest

from leaf_tui.api import LeafClient
from leaf_tui.api.errors import NotFound
from screenshots.tooling import README, SCREENSHOTS, SHOTS, stale
from screenshots.tooling.run import COMMAND


def test_screenshots_and_keys_table_are_current() -> None:
    try:
        problems = stale()
    except Exception as exc:  # a tour could not reach its screen: say where to look
        pytest.fail(
            f"The screenshot tours failed ({type(exc).__name__}: {exc}). A screen changed under "
            f"them: fix screenshots/tooling/tours.py, then run `{COMMAND}`."
        )
    assert not problems, (
        "The README's screenshots or keys table are stale:\n  "
        + "\n  ".join(problems)
        + f"\nRun `{COMMAND}` and commit screenshots/ and README.md."
    )


def test_every_screenshot_is_embedded_with_its_alt_text() -> None:
    readme = README.read_text(encoding="utf-8")
    for shot in SHOTS:
        assert f"![{shot.alt}](screenshots/{shot.name}.svg)" in readme


def test_every_screenshot_keeps_the_spaces_at_the_edges_of_its_text_runs() -> None:
    """Without xml:space="preserve", SVG renderers drop the spaces a run of text starts with:
    the README showed `200{"data"...`, the badge touching the URL, `state: allf state`."""
    for shot in SHOTS:
        svg = (SCREENSHOTS / f"{shot.name}.svg").read_text(encoding="utf-8")
        root = svg[svg.index("<svg ") : svg.index(">", svg.index("<svg "))]
        assert 'xml:space="preserve"' in root, shot.name
        assert ">&#160;&#160;" in svg  # runs do start with spaces: the attribute matters


async def test_no_secret_in_any_screenshot(leaf_client: LeafClient, asgi_http) -> None:
    """The demo world's Sentera passwords and authTokens (same seed and clock as the script) and
    any JWT never appear; the owner's token differs per run, so look for JWTs by shape."""
    accounts = (await asgi_http.get("/_sandbox/sentera/accounts")).json()
    secrets = {a["password"] for a in accounts}
    for user in await leaf_client.users.list_all():
        try:
            credential = await leaf_client.sentera.get(user.id)
        except NotFound:
            continue
        if credential.auth_token:
            secrets.add(credential.auth_token)
    assert len(secrets) > 10  # the check is not vacuous
    jwt = re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}")
    for shot in SHOTS:
        svg = (SCREENSHOTS / f"{shot.name}.svg").read_text(encoding="utf-8")
        assert not jwt.search(svg), f"{shot.name}.svg shows a JWT"
        shown = sorted(s for s in secrets if s in svg)
        assert not shown, f"{shot.name}.svg shows a secret"
