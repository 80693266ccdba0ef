"""Run the tours deterministically, write the SVGs, and tell what is stale."""

from __future__ import annotations

import asyncio
import filecmp
import os
import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from screenshots.tooling import keys
from screenshots.tooling.camera import SHOTS, SIZE, Camera
from screenshots.tooling.tours import TOURS, Tour

FROZEN_AT = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)  # the same instant as the snapshot tests
SEED = 7
BASE_URL = "http://sandbox.test"
OWNER = ("support@sandbox.local", "sandbox")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
README = ROOT / "README.md"
COMMAND = "uv run python -m screenshots.tooling"


class _SeededUuids:
    """Stands in for the sandbox's `uuid` module: links created during a tour get the same ids on
    every run (the link's URL carries its id)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


@contextmanager
def _deterministic(home: Path) -> Iterator[list[str]]:
    """Frozen client clock, steady cursors, an empty LEAF_TUI_HOME and a stand-in clipboard
    (yields what was copied)."""
    from textual.widgets import Input, TextArea

    from leaf_tui.common import clipboard, clock
    from leaf_tui.sandbox import links as sandbox_links

    def keep_visible(self: Any) -> None:
        self._cursor_visible = True

    copied: list[str] = []
    with ExitStack() as stack:
        stack.enter_context(clock.frozen(FROZEN_AT))
        stack.enter_context(mock.patch.object(Input, "_toggle_cursor", keep_visible))
        stack.enter_context(
            mock.patch.object(TextArea, "_toggle_cursor_blink_visible", keep_visible)
        )
        stack.enter_context(mock.patch.dict(os.environ, {"LEAF_TUI_HOME": str(home)}))
        stack.enter_context(mock.patch.object(sandbox_links, "uuid", _SeededUuids(SEED)))
        previous = clipboard.set_backend(copied.append)
        stack.callback(clipboard.set_backend, previous)
        yield copied


async def _run_tour(tour: Tour, out_dir: Path, taken: list[str]) -> None:
    """One tour on a fresh in-memory sandbox (frozen clock) and a fresh app, logged in."""
    import httpx

    from leaf_tui.api import LeafClient
    from leaf_tui.domain.session import Session
    from leaf_tui.sandbox.app import SandboxConfig, create_app
    from leaf_tui.tui.app import LeafApp

    config = SandboxConfig(db_path=":memory:", seed=SEED, activity=False, now=lambda: FROZEN_AT)
    sandbox = create_app(config)
    client = LeafClient(BASE_URL, transport=httpx.ASGITransport(app=sandbox))
    try:
        await client.auth.authenticate(*OWNER)
        session = Session(
            client=client,
            profile_name="sandbox",
            base_url=BASE_URL,
            is_sandbox=True,
            username=OWNER[0],
        )
        app = LeafApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await tour(Camera(pilot, out_dir, taken))
    finally:
        await client.aclose()
        sandbox.state.sandbox.close()


def generate(out_dir: Path = SCREENSHOTS) -> list[Path]:
    """Write every screenshot into `out_dir`; return the files, in README order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: list[str] = []
    with tempfile.TemporaryDirectory(prefix="leaf-tui-shots-") as home:
        for tour in TOURS:
            with _deterministic(Path(home) / tour.__name__):
                asyncio.run(_run_tour(tour, out_dir, taken))
    missing = [shot.name for shot in SHOTS if shot.name not in taken]
    if missing:
        raise RuntimeError(f"no tour took {', '.join(missing)}")
    return [out_dir / f"{shot.name}.svg" for shot in SHOTS]


def update_readme(readme: Path = README) -> bool:
    """Regenerate the README's keys table; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    updated = keys.update_readme(text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return updated != text


def stale(screenshots: Path = SCREENSHOTS, readme: Path = README) -> list[str]:
    """What differs from what the app shows today (empty when all is current): each screenshot,
    stray SVGs, the README's keys table, and the README's embedding of every screenshot."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="leaf-tui-shots-check-") as fresh:
        for new in generate(Path(fresh)):
            old = screenshots / new.name
            if not old.exists():
                problems.append(f"{old.name}: missing")
            elif not filecmp.cmp(old, new, shallow=False):
                problems.append(f"{old.name}: differs from what the app shows now")
    names = {f"{shot.name}.svg" for shot in SHOTS}
    problems += [
        f"{p.name}: not made by the script"
        for p in screenshots.glob("*.svg")
        if p.name not in names
    ]
    text = readme.read_text(encoding="utf-8")
    current = keys.section(text)
    if current is None:
        problems.append("README.md: no keys table markers")
    elif current != keys.render():
        problems.append("README.md: the keys table differs from the screens' bindings")
    problems += [
        f"README.md: does not show screenshots/{n}"
        for n in sorted(names)
        if f"(screenshots/{n})" not in text
    ]
    return problems
