"""What to photograph (SHOTS, in README order) and the camera that waits and writes the SVG."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from leaf_tui.tui.app import LeafApp

SIZE = (120, 40)
TITLE = "leaf-tui"
TIMEOUT = 10.0  # seconds for any one thing to appear


def keep_spaces(svg: str) -> str:
    """Textual's SVG starts a run of text with the spaces before it (`&#160;&#160;{"data"...`);
    SVG renderers drop the leading and trailing spaces of a text element unless told to keep
    them, and stretch the rest over the run's width: the gaps between a status and the body, a
    badge and the URL, two texts of a bar vanished from the pictures (never in a terminal)."""
    return svg.replace("<svg ", '<svg xml:space="preserve" ', 1)


@dataclass(frozen=True)
class Shot:
    name: str  # the file is screenshots/<name>.svg
    alt: str  # what it shows: the README's alt text


SHOTS = (
    Shot("users", "Users: the table and the highlighted grower's detail pane"),
    Shot("sentera", "Sentera credentials: a broken connection, its diagnosis and the live events"),
    Shot("sentera-event", "One Sentera sync event, headers and body pretty-printed"),
    Shot("triage", "Triage: every grower with an unhealthy connection, most recent failure first"),
    Shot("connections", "A grower's connections: status, diagnosis, failures and last event"),
    Shot("provider-events", "A John Deere connection: masked card, diagnosis and live events"),
    Shot("links", "Magic links of every kind in every state, with live countdowns and uses"),
    Shot("wizard-1-kind", "New link wizard, step 1: the kind of link"),
    Shot("wizard-2-user", "Step 2: the user, prefilled with the highlighted grower"),
    Shot("wizard-3-providers", "Step 3: the providers the grower may choose from"),
    Shot("wizard-4-expiry", "Step 4: how long the link works"),
    Shot("wizard-5-customize", "Step 5: custom branding with the live preview of the page"),
    Shot("wizard-6-review", "Step 6: review; ctrl+s creates the link"),
    Shot("link-created", "The new link, copied to the clipboard, with its countdown and uses"),
    Shot("help", "Help: the keys of every screen"),
)
NAMES = frozenset(s.name for s in SHOTS)


class Camera:
    """Drives one running app (through its Pilot) and writes the current screen as `<name>.svg`."""

    def __init__(self, pilot: Pilot[Any], out_dir: Path, taken: list[str]) -> None:
        self.pilot = pilot
        self.out_dir = out_dir
        self.taken = taken

    @property
    def app(self) -> LeafApp:
        return self.pilot.app  # type: ignore[return-value]

    async def until(self, predicate: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            await self.pilot.pause()
            if predicate():
                return
            await asyncio.sleep(0.02)
        raise TimeoutError(f"screenshots: timed out waiting for {what}")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def type(self, text: str) -> None:
        await self.press(*text)

    async def take(self, name: str) -> None:
        if name not in NAMES:
            raise ValueError(f"unknown screenshot {name!r}: add it to SHOTS")
        await self.pilot.pause()
        await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()
        svg = keep_spaces(self.app.export_screenshot(title=TITLE))
        (self.out_dir / f"{name}.svg").write_text(svg, encoding="utf-8")
        self.taken.append(name)
