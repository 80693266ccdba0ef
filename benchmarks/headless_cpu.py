"""(3) and (4) as CPU time, in-process (App.run_test, headless) against the seeded sandbox: what
the Magic links screen and the events log cost this process, independent of how long the OS
makes it wait. On this shared machine the pty figures of interactive.py follow the load of
whatever else runs; CPU time much less so. Headless there is no terminal to write to, so these
are the app's own work (plus the Pilot's, the same before and after).

  idle     CPU % of one core on Magic links with 2,000 countdowns (ticks and polls), over N s
  keys     CPU ms per 'down' (press and the repaint after it), moves inside the view and
           scrolls by one row, on Magic links and on the events log (20,000 events)

  uv run python benchmarks/headless_cpu.py [--seconds 20] [--presses 60] [--json PATH]
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from common import Figure, parser, print_table, write_json
from ptyterm import summary
from seed import ScaledSandbox

TITLE = "Links and events log: CPU time (in-process, headless)"


async def _settle_on_users(app: Any, pilot: Any) -> None:
    while not app.user_index.loaded:  # the links' names then come from the index
        await pilot.pause(0.1)
    await pilot.pause(1.0)


async def _open_links(app: Any, pilot: Any) -> None:
    await pilot.press("L")
    while not getattr(app.screen, "is_ready", False):
        await pilot.pause(0.05)
    await pilot.pause(2.0)


async def _presses(pilot: Any, widget: Any, count: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"moves": [], "scrolls": []}
    for _ in range(count):
        top = widget.scroll_y
        cpu = time.process_time()
        await pilot.press("down")
        await pilot.pause()  # the repaint
        ms = (time.process_time() - cpu) * 1000
        out["scrolls" if widget.scroll_y != top else "moves"].append(ms)
        await pilot.pause(0.05)
    return out


def _key_figures(name: str, r: dict[str, list[float]]) -> list[Figure]:
    figures = []
    for kind, values in r.items():
        if values:
            s = summary(values)
            figures.append(Figure(f"{name}: CPU per down, {kind} p50", s["p50"], "ms", detail=s))
            figures.append(Figure(f"{name}: CPU per down, {kind} max", s["max"], "ms"))
    return figures


async def measure(facts: dict[str, Any], seconds: float, presses: int) -> list[Figure]:
    from leaf_tui.api import LeafClient
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp

    base, token = facts["base_url"], facts["token"]
    client = LeafClient(base, token, timeout=60)
    app = LeafApp(Session(client, "bench", base, is_sandbox=False))
    figures: list[Figure] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle_on_users(app, pilot)
        await _open_links(app, pilot)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        idle = (time.process_time() - cpu) / (time.perf_counter() - wall) * 100
        figures.append(
            Figure("idle on links (2,000 countdowns): CPU", idle, "%", "< 3 %", idle < 3.0)
        )
        figures += _key_figures("links", await _presses(pilot, app.screen.focused, presses))
        app.pop_screen()
        await pilot.pause(0.5)
        user = await client.users.get(facts["heavy_user_id"])
        app.open_sentera(user)
        await pilot.pause(4.0)
        await pilot.press("home")
        await pilot.pause(0.5)
        figures += _key_figures("events log", await _presses(pilot, app.screen.focused, presses))
    return figures


def run(seconds: float = 20.0, presses: int = 60, sandbox: ScaledSandbox | None = None) -> Any:
    if sandbox is None:
        with ScaledSandbox() as sb:
            return run(seconds, presses, sb)
    return asyncio.run(measure(sandbox.facts, seconds, presses))


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--presses", type=int, default=60)
    a = p.parse_args()
    figures = run(a.seconds, a.presses)
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
