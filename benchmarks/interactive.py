"""(2)-(5) leaf-tui through a real pseudo-terminal against the seeded sandbox:

  search   keystroke to filtered results over 10,000 users: the time from writing a key into
           the search box until the table's first row and the "N of 10000 users" count show
           what UserIndex.search says they should (p50/p95; target p95 <= 50 ms)
  links    arrow key to the highlight drawn on its new row, on Magic links with 2,000 live
           countdowns (moves inside the view, then scrolling moves); target p95 <= 50 ms
  events   time from `s` on the grower with 20,000 events until the newest event is on the
           screen (target < 1 s), then arrow keys on the log (target p95 <= 50 ms)
  idle     CPU % of one core and bytes/s written to the terminal over 30 s on Magic links with
           2,000 countdowns (targets < 3 % and < 10 KB/s)

Unlike tuitime's 'keys' (any repaint counts), a key counts as answered only when what it asked
for is on screen: a countdown tick that happens to repaint first does not count.

  uv run python benchmarks/interactive.py [search links events idle] [--idle-seconds 30]
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from apps import leaf_command
from common import Figure, parser, print_table, write_json
from ptyterm import Term, summary
from screenread import backgrounds, find_highlight, highlighted_line, line_text
from seed import ScaledSandbox

TITLE = "leaf-tui through a pty (seeded sandbox)"
TARGET_MS = 50.0


class Driver:
    """One leaf-tui process on a pty, with the steps the measures share."""

    def __init__(self, sandbox: ScaledSandbox, *args: str) -> None:
        cmd = leaf_command(sandbox.base_url, sandbox.token, *args)
        self.term = Term(cmd.argv, env=cmd.env)
        self.facts = sandbox.facts
        self.total = sandbox.facts["counts"]["users"]

    def wait(self, ok: Callable[[str], bool], what: str, limit: float = 60.0) -> float:
        t = self.term.wait_until(ok, limit)
        if t is None:
            raise RuntimeError(f"never saw {what}; screen:\n{self.term.text()}")
        return t

    def wait_index(self) -> None:
        total = str(self.total)
        self.wait(
            lambda s: total in s and "indexing" not in s,
            f"the count of {total} users without 'indexing'",
            180,
        )
        self.term.settle(0.3, 5)

    def type_text(self, text: str) -> None:
        for ch in text:
            self.term.send(ch)
            self.term.settle(0.03, 1)

    def open_heavy_user(self) -> None:
        """Search the grower with 20,000 events by externalId and leave the table focused."""
        self.wait_index()
        self.term.send("/")
        self.term.settle(0.1, 1)
        self.type_text(self.facts["heavy_external_id"])
        self.wait(lambda s: f"1 of {self.total} users" in s, "the heavy user alone")
        self.term.send("enter")
        self.term.settle(0.3, 2)

    def close(self) -> None:
        self.term.close()


# -- (2) search -------------------------------------------------------------------------------


Expected = tuple[str, ...]  # every result's externalId, in the order shown
TOP_ROWS = 5  # the rows checked on screen
TABLE_TOP = 5  # screen lines above this are the header and the search bar
_CRM = re.compile(r"CRM-\d+")


def _expected_search(base_url: str, token: str, queries: list[str]) -> dict[str, Expected]:
    """The first rows' externalIds for each query, by the app's own search."""

    async def go() -> dict[str, Expected]:
        from leaf_tui.api import LeafClient
        from leaf_tui.api.user_index import UserIndex

        async with LeafClient(base_url, token, timeout=60) as client:
            index = UserIndex(client)
            await index.load()
            out = {}
            for q in queries:
                hits = index.search(q, limit=len(index))  # the table holds every match
                out[q] = tuple(u.external_id or "" for u in hits)
            return out

    return asyncio.run(go())


SEARCHES = ("dietrich", "gwen.k", "crm-1234")


def measure_search(sandbox: ScaledSandbox) -> list[Figure]:
    steps: list[str] = []  # the query after each keystroke: typing, then deleting
    for word in SEARCHES:
        steps += [word[: i + 1] for i in range(len(word))]
        steps += [word[:i] for i in range(len(word) - 1, -1, -1)]
    expected = _expected_search(sandbox.base_url, sandbox.token, sorted(set(steps)))
    d = Driver(sandbox)
    lat: list[float] = []
    timed: list[str] = []  # each timed key and the query it made, beside `lat`
    unchanged = 0
    try:
        d.wait_index()
        d.term.send("/")
        d.term.settle(0.2, 2)
        query = ""
        for step in steps:
            key = step[-1] if len(step) > len(query) else "backspace"
            want = expected[step]
            before = expected[query]
            query = step
            if want == before:
                unchanged += 1  # the screen would not change: nothing to time
                d.term.send(key)
                d.term.settle(0.2, 2)
                continue
            t0 = d.term.send(key)

            def shown(s: str, w: Expected = want, screen: Any = d.term.screen) -> bool:
                # a row line must have been redrawn since the key, and show the results
                return any(y >= TABLE_TOP for y in screen.dirty) and _rows_show(s, w)

            seen = d.term.wait_until(shown, 5.0)
            if seen is None:
                raise RuntimeError(f"search {step!r}: never showed {want}:\n{d.term.text()}")
            lat.append((d.term.t0 + seen - t0) * 1000)
            timed.append(f"{key}->{step}")
            d.term.settle(0.1, 2)
    finally:
        d.close()
    s = summary(lat)
    return [
        Figure("search: key to results, p50", s["p50"], "ms", detail={"n": s["n"]}),
        Figure(
            "search: key to results, p95",
            s["p95"],
            "ms",
            "<= 50 ms",
            s["p95"] <= TARGET_MS,
            {
                **s,
                "skipped_unchanged": unchanged,
                "queries": list(SEARCHES),
                "all_ms": lat,
                "keys": timed,
            },
        ),
    ]


def _rows_show(screen: str, ids: Expected) -> bool:
    """The table's first visible rows (under the "Name  Email" header) are a run of the expected
    results in order (the table may be scrolled to keep the highlighted user), and no other user
    shows when the results end."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        if "Name" in line and "Email" in line:
            rows = lines[i + 1 : i + 1 + TOP_ROWS]
            break
    else:
        return False
    shown = [m.group(0) if (m := _CRM.search(row)) else None for row in rows]
    if not ids:
        return not any(shown)
    if shown[0] is None or shown[0] not in ids:
        return False
    start = ids.index(shown[0])
    want = list(ids[start : start + TOP_ROWS])
    want += [None] * (TOP_ROWS - len(want))
    return shown == want[: len(shown)]


# -- (3) arrow keys on a highlighted list -------------------------------------------------------


def arrow_keys(term: Term, in_view: int, scrolling: int, stable: bool) -> dict[str, Any]:
    """Latency of 'down' presses: first moves inside the view (done when the highlight is on the
    next line), then presses at the bottom (done when the old row has scrolled up one line)."""
    screen = term.screen
    found = None
    for _ in range(15):  # the first keys can arrive before the list has focus: retry
        term.settle(0.5, 5)
        before = backgrounds(screen)
        term.send("down")
        term.settle(0.5, 3)
        found = find_highlight(screen, before, backgrounds(screen))
        if found is not None:
            break
    if found is None:
        raise RuntimeError(f"could not find the highlighted row:\n{term.text()}")
    colour, line = found
    moves: list[float] = []
    scrolls: list[float] = []
    stuck = 0
    for _ in range(in_view + scrolling):
        old_text = line_text(screen, line, stable)
        t0 = term.send("down")

        def moved(_s: str, y: int = line, old: str = old_text) -> bool:
            now = highlighted_line(screen, colour)
            if now == y + 1:
                return True
            return now == y and line_text(screen, y - 1, stable) == old

        seen = term.wait_until(moved, 2.0)
        if seen is None:
            stuck += 1
            term.settle(0.1, 1)
            continue
        ms = (term.t0 + seen - t0) * 1000
        new_line = highlighted_line(screen, colour)
        (moves if new_line == line + 1 else scrolls).append(ms)
        line = new_line if new_line is not None else line
        term.settle(0.05, 1)
    both = moves + scrolls
    return {
        "all": summary(both) if both else None,
        "moves": summary(moves) if moves else None,
        "scrolls": summary(scrolls) if scrolls else None,
        "not_answered_in_2s": stuck,
    }


def _key_figures(name: str, r: dict[str, Any]) -> list[Figure]:
    s = r["all"] or {"p50": None, "p95": None}
    return [
        Figure(f"{name}: arrow to repaint, p50", s["p50"], "ms"),
        Figure(
            f"{name}: arrow to repaint, p95",
            s["p95"],
            "ms",
            "<= 50 ms",
            None if s["p95"] is None else s["p95"] <= TARGET_MS and not r["not_answered_in_2s"],
            r,
        ),
    ]


def open_links(d: Driver) -> float:
    """From the users screen, L (all links); seconds until the 2,000 rows are counted."""
    d.wait_index()
    links = d.facts["counts"]["links"]
    t0 = time.perf_counter()
    d.term.send("L")
    seen = d.wait(lambda s: f"{links:,}" in s or f"{links} " in s, f"{links} links counted")
    return d.term.t0 + seen - t0


def measure_links(sandbox: ScaledSandbox) -> list[Figure]:
    d = Driver(sandbox)
    try:
        opened = open_links(d)
        r = arrow_keys(d.term, in_view=20, scrolling=20, stable=True)
    finally:
        d.close()
    return [Figure("links: open (L) until 2,000 counted", opened, "s"), *_key_figures("links", r)]


# -- (5) the events log ---------------------------------------------------------------------------


def newest_event_time(base_url: str, token: str, user_id: str) -> str:
    async def go() -> str:
        from leaf_tui.api import LeafClient

        async with LeafClient(base_url, token, timeout=60) as client:
            events = await client.sentera.events(user_id)
        newest = events[-1].created_date
        assert newest is not None
        return newest.strftime("%Y-%m-%d %H:%M:%S")

    return asyncio.run(go())


def measure_events(sandbox: ScaledSandbox) -> list[Figure]:
    f = sandbox.facts
    newest = newest_event_time(sandbox.base_url, sandbox.token, f["heavy_user_id"])
    d = Driver(sandbox)
    try:
        d.open_heavy_user()
        t0 = d.term.send("s")
        seen = d.wait(lambda s: newest in s, f"the newest event ({newest})", 30)
        opened = d.term.t0 + seen - t0
        d.term.settle(0.5, 5)
        d.term.send("home")  # to the oldest: 'down' then moves, then scrolls
        d.term.settle(0.5, 3)
        r = arrow_keys(d.term, in_view=10, scrolling=20, stable=False)
    finally:
        d.close()
    return [
        Figure(
            "events: open the log of 20,000 (s to newest on screen)",
            opened,
            "s",
            "< 1 s",
            opened < 1.0,
        ),
        *_key_figures("events log", r),
    ]


# -- (4) idle -----------------------------------------------------------------------------------


def measure_idle(sandbox: ScaledSandbox, seconds: float = 30.0) -> list[Figure]:
    d = Driver(sandbox)
    try:
        open_links(d)
        d.term.settle(2.0, 10)
        term = d.term
        cpu0, out0, t0 = term.cpu_seconds(), term.bytes_out, time.perf_counter()
        rss0 = term.rss_bytes()
        while time.perf_counter() - t0 < seconds:
            term.pump(0.05)
        span = time.perf_counter() - t0
        cpu = (term.cpu_seconds() - cpu0) / span * 100
        rate = (term.bytes_out - out0) / span
        rss1 = term.rss_bytes()
    finally:
        d.close()
    detail = {"seconds": round(span, 1), "rss_mb": [round(rss0 / 2**20, 1), round(rss1 / 2**20, 1)]}
    return [
        Figure("idle on links (2,000 countdowns): CPU", cpu, "%", "< 3 %", cpu < 3.0, detail),
        Figure("idle on links: bytes to the terminal", rate, "B/s", "< 10,000 B/s", rate < 10_000),
    ]


MEASURES = {
    "search": measure_search,
    "links": measure_links,
    "events": measure_events,
    "idle": measure_idle,
}


def run(
    which: list[str], sandbox: ScaledSandbox | None = None, idle_seconds: float = 30.0
) -> list[Figure]:
    if sandbox is None:
        with ScaledSandbox() as sb:
            return run(which, sb, idle_seconds)
    figures: list[Figure] = []
    for name in which:
        try:
            if name == "idle":
                figures += measure_idle(sandbox, idle_seconds)
            else:
                figures += MEASURES[name](sandbox)
        except RuntimeError as exc:
            figures.append(
                Figure(f"{name}: FAILED", None, "", ok=False, detail={"error": str(exc)[:4000]})
            )
            print(f"{name} failed: {exc}", file=sys.stderr)
    return figures


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("which", nargs="*", help=f"some of: {', '.join(MEASURES)} (default: all)")
    p.add_argument("--idle-seconds", type=float, default=30.0)
    a = p.parse_args()
    unknown = set(a.which) - set(MEASURES)
    if unknown:
        p.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    figures = run(a.which or list(MEASURES), idle_seconds=a.idle_seconds)
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
