"""CPU per key typed in the Users search over 10,000 users (issue 15: search p95 <= 50 ms),
in-process (App.run_test, headless) against the seeded sandbox.

Each round focuses the search, types a 10-key query (the start of a real user's name, so the
results narrow key by key) and clears it with escape; a key's figure is the CPU of the press and
the repaint after it. The floor is the same keys typed, the same way, into a plain Input in an
otherwise empty app, measured in the same run: the ratio is what our search adds to Textual.

  uv run python benchmarks/search_keys.py [--rounds 8] [--users 10000] [--freeze] [--json PATH]

--freeze: take the imported modules out of the collector's view first, as `leaf-tui` does before
the app starts (tui/long_lived.py; events_poll.py does so by default): a full collection then
walks what the app holds, as it does for a user. Off by default, as the earlier figures ran.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from typing import Any

from common import Figure, parser, print_table, write_json
from ptyterm import summary
from seed import Scale, ScaledSandbox

TITLE = "Users search: CPU per key (in-process, headless)"
KEYS = 10
OLDEST = 2  # gc generation: a full collection
GC_KEYS: list[int] = []  # indexes (into the keys timed) of keys during which a full gc ran
SAME_COUNT: list[int] = []  # indexes of keys after which the table held as many rows as before
_GC_RAN = [False]
FULL_GC_MS: list[float] = []  # each full collection's wall time, while the search was typed
_GC_START = [0.0]
COUNTING = [False]


def _gc_seen(phase: str, info: dict[str, int]) -> None:
    if info["generation"] != OLDEST:
        return
    if phase == "start":
        _GC_RAN[0] = True
        _GC_START[0] = time.perf_counter()
    elif COUNTING[0]:
        FULL_GC_MS.append((time.perf_counter() - _GC_START[0]) * 1000)


async def _type(
    pilot: Any, keys: list[str], done: int = 0, rows: Callable[[], int] | None = None
) -> list[float]:
    """CPU ms of each key; GC_KEYS gets the keys a full collection landed in (the spikes: the
    app's objects, not the key's work), SAME_COUNT those that left the number of rows as it was
    (the table's virtual size unchanged: no layout asked for by the table)."""
    out = []
    for key in keys:
        _GC_RAN[0] = False
        before = rows() if rows else None
        cpu = time.process_time()
        await pilot.press(key)
        await pilot.pause()  # the repaint
        out.append((time.process_time() - cpu) * 1000)
        if _GC_RAN[0]:
            GC_KEYS.append(done + len(out) - 1)
        if rows and rows() == before:
            SAME_COUNT.append(done + len(out) - 1)
        await pilot.pause(0.02)
    return out


def _keys(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text.lower()[:KEYS]]


async def _floor(keys: list[str], rounds: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Floor()
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        box = app.query_one(Input)
        await pilot.pause(0.5)
        for _ in range(rounds):
            box.value = ""
            await pilot.pause(0.1)
            times += await _type(pilot, keys)
    return times


async def _search(facts: dict[str, Any], rounds: int) -> tuple[list[str], list[float], int, int]:
    from leaf_tui.api import LeafClient
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp

    base, token = facts["base_url"], facts["token"]
    client = LeafClient(base, token, timeout=60)
    app = LeafApp(Session(client, "bench", base, is_sandbox=False))
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.user_index.loaded:
            await pilot.pause(0.1)
        await pilot.pause(1.0)
        table = app.screen.query_one("#users-table")
        keys = _keys(next(iter(table.users.values())).name or "ada lovelace")
        gc.collect()
        tracked = len(gc.get_objects())
        COUNTING[0] = True
        for _ in range(rounds):
            await pilot.press("slash")
            await pilot.pause(0.1)
            times += await _type(pilot, keys, len(times), lambda: table.row_count)
            matches = table.row_count
            await pilot.press("escape")
            await pilot.pause(0.3)
        COUNTING[0] = False
    return keys, times, matches, tracked


def _figures(name: str, values: list[float]) -> list[Figure]:
    s = summary(values)
    return [
        Figure(f"{name}: CPU per key p50", s["p50"], "ms", detail=s),
        Figure(f"{name}: CPU per key p95", s["p95"], "ms"),
    ]


async def measure(facts: dict[str, Any], rounds: int, freeze: bool = False) -> list[Figure]:
    if freeze:
        import leaf_tui.tui.app  # noqa: F401  (imported before the freeze, as by the entry point)
        from leaf_tui.tui.long_lived import freeze_imports

        freeze_imports()
    gc.callbacks.append(_gc_seen)  # the benchmark's own process: observe only, change nothing
    keys, search, matches, tracked = await _search(facts, rounds)
    full_gc = set(GC_KEYS)  # the search's keys only (the floor's are counted from 0 again)
    floor = await _floor(keys, rounds)
    s, f = summary(search), summary(floor)
    no_gc = [t for i, t in enumerate(search) if i not in full_gc]
    print("search ms:", [round(x, 1) for x in search])
    print(f"query typed: {''.join(' ' if k == 'space' else k for k in keys)!r} -> {matches} rows")
    figures = _figures("floor (plain Input)", floor)
    figures += _figures("users search", search)
    figures[-1].target, figures[-1].ok = "<= 50 ms", s["p95"] <= 50.0
    figures.append(Figure("users search / floor, p50", s["p50"] / f["p50"], "x"))
    figures.append(Figure("users search / floor, p95", s["p95"] / f["p95"], "x"))
    n = summary(no_gc)
    figures += [
        Figure("users search, keys without a full gc", len(no_gc), "keys"),
        Figure("users search, no full gc: p50", n["p50"], "ms", detail=n),
        Figure("users search, no full gc: p95", n["p95"], "ms"),
    ]
    g = summary(FULL_GC_MS) if FULL_GC_MS else {"p50": 0.0, "max": 0.0}
    figures += [
        Figure("tracked objects on the Users screen (after a full gc)", tracked, "objects"),
        Figure("full collections while typing the search", len(FULL_GC_MS), "gcs"),
        Figure("full collection while typing: median", g["p50"], "ms", detail=g),
        Figure("full collection while typing: longest", max(FULL_GC_MS, default=0.0), "ms"),
    ]
    # what the search box costs apart from the table's layout: keys that change the number of
    # matches set the table's virtual size (a layout of the screen) whatever the box does
    same = set(SAME_COUNT)
    for name, picked in (
        ("same match count", [t for i, t in enumerate(search) if i in same and i not in full_gc]),
        ("new match count", [t for i, t in enumerate(search) if i not in same | full_gc]),
    ):
        k = summary(picked)
        figures += [
            Figure(f"users search, no full gc, {name}: keys", len(picked), "keys"),
            Figure(f"users search, no full gc, {name}: p50", k["p50"], "ms", detail=k),
            Figure(f"users search, no full gc, {name}: p95", k["p95"], "ms"),
        ]
    return figures


def run(rounds: int = 8, users: int = 10_000, freeze: bool = False) -> list[Figure]:
    with ScaledSandbox(Scale(users=users, links=200, events=200, heavy_events=200)) as sb:
        return asyncio.run(measure(sb.facts, rounds, freeze))


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--users", type=int, default=10_000)
    p.add_argument("--freeze", action="store_true", help="freeze the imports, as leaf-tui does")
    a = p.parse_args()
    figures = run(a.rounds, a.users, a.freeze)
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
