"""(5) The live events log, in-process (App.run_test, headless) against the seeded sandbox:

open     from app.open_sentera(grower with 20,000 events) until the log shows its first events
         (the newest page), and until it holds all it reads on opening (the newest 1,000;
         target < 1 s), against the floor measured in the same run: one GET of the newest page
         (100 events) with a plain httpx client and its JSON decoded, and the 10 pages the log
         reads (4 at a time)
merge    main-loop time of each EventsLog.add_events call (every poll merges the answer), max
         and p95 over 60 s of polling while the sandbox records a new event every 2 s (<= 16 ms)
loop     the longest the event loop was blocked meanwhile (fetch + parse + merge + render),
         beside a floor measured next, over as long: a one-label Textual app polling the same
         page with plain httpx (the machine's own stalls are in both; <= 16 ms is absolute)
cost     CPU % of one core for this process while polling, and memory (RSS) after 60 s
wire     bytes of events answers per poll, and the time spent decoding them per poll (JSON to
         SenteraEvent objects, Http.decode), over the polls after the log opened

uv run python benchmarks/events_poll.py [--seconds 60] [--event-every 2] [--json PATH]
--event-every 0: the sandbox records nothing meanwhile (the usual case: Sentera syncs hourly), so
every poll's answer is byte-for-byte the previous one
--latency-ms N: while the log opens (and the floor is measured), every sandbox answer comes N ms
late (/_sandbox/faults), like a real Leaf's over the internet; reset before the polling
--trace-blocks: sample the main thread's stack while the loop is blocked (blocks.py) and print
the frames seen most often in the blocks over 12 ms
--profile: cProfile over the polling (not the open), the functions that took longest printed
--no-freeze: leave the imported modules in the collector's view (`leaf-tui` freezes them before
the app starts, tui/long_lived.py; by default this script does the same, so a full collection
walks what the app holds, as it does for a user)
"""

from __future__ import annotations

import asyncio
import collections
import cProfile
import gc
import pstats
import resource
import statistics
import time
from typing import Any

import httpx
from blocks import BlockSampler
from common import Figure, parser, print_table, write_json
from looplag import LoopLag
from ptyterm import summary
from seed import ScaledSandbox

TITLE = "events log polling (in-process)"


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class EventsWire:
    """Counts what the events polls cost on the wire and in decoding: the Content-Length of
    every answer to .../sentera-credentials/events, and the time Http.decode spends on them;
    a poll is one SenteraService.events call."""

    def __init__(self) -> None:
        self.polls = 0
        self.bytes = 0
        self.decode_seconds = 0.0
        self._undo: list[Any] = []

    def reset(self) -> None:
        self.polls, self.bytes, self.decode_seconds = 0, 0, 0.0

    def transport(self) -> httpx.AsyncBaseTransport:
        wire = self

        class Counting(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                response = await super().handle_async_request(request)
                if request.url.path.endswith("/events"):
                    wire.bytes += int(response.headers.get("content-length", 0))
                return response

        return Counting()

    def watch(self, client: Any) -> None:
        from leaf_tui.api.http import Http
        from leaf_tui.api.sentera import SenteraService

        # a poll: one event_reads (the log reads in parts), or one events call before it did
        poll_name = "event_reads" if hasattr(SenteraService, "event_reads") else "events"
        original_decode, original_events = Http.decode, getattr(SenteraService, poll_name)
        wire = self

        async def decode(self: Http, response: Any, convert: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await original_decode(self, response, convert, **kw)
            finally:
                if str(kw.get("path", "")).endswith("/events"):
                    wire.decode_seconds += time.perf_counter() - t0

        def events(self: SenteraService, *args: Any, **kw: Any) -> Any:
            wire.polls += 1
            return original_events(self, *args, **kw)

        Http.decode = decode  # type: ignore[method-assign]
        setattr(SenteraService, poll_name, events)
        self._undo = [
            (Http, "decode", original_decode),
            (SenteraService, poll_name, original_events),
        ]

    def unwatch(self) -> None:
        for owner, name, original in self._undo:
            setattr(owner, name, original)


def census(top: int = 20) -> str:
    """What the collector tracks outside the frozen imports, by type: a full collection walks
    all of it."""
    objects = gc.get_objects()
    counts = collections.Counter(type(o).__qualname__ for o in objects)
    lines = [f"tracked objects: {len(objects):,} (frozen: {gc.get_freeze_count():,})"]
    lines += [f"  {n:8,d}  {name}" for name, n in counts.most_common(top)]
    return "\n".join(lines)


class Repaints:
    """Which widgets the compositor drew while polling, how many lines and how long: wraps
    Widget.render_lines (the benchmark's instrumentation; the app is not changed)."""

    def __init__(self) -> None:
        self.lines: collections.Counter[str] = collections.Counter()
        self.calls: collections.Counter[str] = collections.Counter()
        self.seconds: collections.Counter[str] = collections.Counter()
        self.refreshes: collections.Counter[str] = collections.Counter()
        self._original: Any = None
        self._original_refresh: Any = None

    def start(self) -> None:
        from textual.widget import Widget

        self._original = original = Widget.render_lines
        repaints = self

        def render_lines(widget: Any, crop: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(widget, crop)
            finally:
                name = type(widget).__name__ + (f"#{widget.id}" if widget.id else "")
                repaints.seconds[name] += time.perf_counter() - t0
                repaints.calls[name] += 1
                repaints.lines[name] += crop.height

        Widget.render_lines = render_lines  # type: ignore[method-assign]
        self._original_refresh = original_refresh = Widget.refresh

        def refresh(widget: Any, *regions: Any, **kw: Any) -> Any:
            name = type(widget).__name__ + (f"#{widget.id}" if widget.id else "")
            how = "layout" if kw.get("layout") else "regions" if regions else "whole"
            repaints.refreshes[f"{name} ({how})"] += 1
            return original_refresh(widget, *regions, **kw)

        Widget.refresh = refresh  # type: ignore[method-assign]

    def stop(self) -> None:
        from textual.widget import Widget

        if self._original is not None:
            Widget.render_lines = self._original  # type: ignore[method-assign]
            Widget.refresh = self._original_refresh  # type: ignore[method-assign]

    def summary(self, polls: int) -> str:
        lines = [f"widgets drawn while polling ({polls} polls): calls, lines, ms in all"]
        for name, seconds in self.seconds.most_common(15):
            lines.append(
                f"  {self.calls[name]:6d} {self.lines[name]:7d} {seconds * 1000:9.1f}  {name}"
            )
        lines.append("refresh() calls while polling, by widget (whole, regions or layout):")
        for name, n in self.refreshes.most_common(15):
            lines.append(f"  {n:6d}  {name}")
        return "\n".join(lines)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def floor_reads(base: str, token: str, user_id: str) -> tuple[float, float]:
    """Seconds for one GET of the newest events page and its JSON decoded, and for the 10 pages
    a log reads on opening, 4 at a time: plain httpx, no app. Best of 3 each."""
    path = f"/services/usermanagement/api/users/{user_id}/sentera-credentials/events"
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        gate = asyncio.Semaphore(4)

        async def page(number: int) -> int:
            async with gate:
                params = {"page": number, "size": 100, "sort": "createdDate,desc"}
                answer = await http.get(path, params=params)
                return len(answer.json())

        await page(0)  # the connection opened
        one, ten = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            await page(0)
            one.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            await asyncio.gather(*(page(n) for n in range(10)))
            ten.append(time.perf_counter() - t0)
    return min(one), min(ten)


async def record_events(control: Any, user_id: str, until: float, event_every: float) -> int:
    """Until `time.perf_counter()` reaches `until`, have the sandbox record a new event for the
    user every `event_every` s (0: none, only wait); how many it recorded."""
    posted = 0
    while time.perf_counter() < until:
        if event_every > 0:
            await control.post(f"/_sandbox/sentera/{user_id}/events", json={"statusCode": 200})
            posted += 1
        await asyncio.sleep(event_every or 2.0)
    return posted


async def floor_loop_block(
    base: str, token: str, user_id: str, seconds: float, event_every: float, control: Any
) -> float:
    """The longest loop block (ms) of the least a Textual app polling these events can do, over
    the same span while the sandbox records events as often: one label, the newest page asked
    for every POLL_INTERVAL s with plain httpx, its JSON decoded and its count shown. The
    machine's own share of a block (other processes, the hypervisor) is in it too."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    from leaf_tui.tui.widgets.events_log import POLL_INTERVAL

    path = f"/services/usermanagement/api/users/{user_id}/sentera-credentials/events"
    params = {"page": 0, "size": 100, "sort": "createdDate,desc"}

    class FloorPoller(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("", id="count")

        async def on_mount(self) -> None:
            self.http = httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
            self.set_interval(POLL_INTERVAL, self.poll)

        async def poll(self) -> None:
            answer = await self.http.get(path, params=params)
            self.query_one("#count", Label).update(f"{len(answer.json())} events")

        async def on_unmount(self) -> None:
            await self.http.aclose()

    async with FloorPoller().run_test(size=(120, 40)), LoopLag() as lag:
        await record_events(control, user_id, time.perf_counter() + seconds, event_every)
    return lag.max_ms


async def measure(
    facts: dict[str, Any],
    seconds: float,
    event_every: float = 2.0,
    freeze: bool = True,
    latency_ms: int = 0,
    trace_blocks: bool = False,
    profile: bool = False,
) -> list[Figure]:
    from leaf_tui.api import LeafClient
    from leaf_tui.api.sentera import FIRST_READ
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.widgets.events_log import EventsLog

    base, token, user_id = facts["base_url"], facts["token"], facts["heavy_user_id"]
    if freeze:
        from leaf_tui.tui.long_lived import freeze_imports

        # As `leaf-tui` does: its entry point asks for the first users page (in a thread) while
        # it imports, so the whole HTTP stack is imported when it freezes; then the app starts.
        async with LeafClient(base, token, timeout=60) as early:
            await early.users.list(page=0, size=50)
        freeze_imports()

    merges: list[float] = []
    original = EventsLog.add_events

    def timed(self: EventsLog, incoming: Any) -> int:
        t0 = time.perf_counter()
        try:
            return original(self, incoming)
        finally:
            merges.append((time.perf_counter() - t0) * 1000)

    EventsLog.add_events = timed  # type: ignore[method-assign]
    wire = EventsWire()
    client = LeafClient(base, token, timeout=60, transport=wire.transport())
    wire.watch(client)
    session = Session(client, "bench", base, is_sandbox=False)
    app = LeafApp(session)
    control = httpx.AsyncClient(base_url=base, timeout=30)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            user = await client.users.get(user_id)
            # Until the users index has loaded: its 100 pages (4 at a time) and the log's pages
            # would queue at the same sandbox (measured at load 7: the open 1.0 -> 2.2 s).
            settle = time.perf_counter()
            while time.perf_counter() - settle < 120:
                await pilot.pause(0.1)
                if getattr(getattr(app, "user_index", None), "loaded", True):
                    break
            await pilot.pause(1.0)
            if latency_ms:  # a network like a real Leaf's: every answer that much later
                await control.post("/_sandbox/faults", json={"latency_ms": latency_ms})
            floor_one, floor_ten = await floor_reads(base, token, user_id)
            rss_before = _rss_mb()
            if trace_blocks:
                print("before the events log opens:", census(8))
            t0, cpu_open = time.perf_counter(), _cpu()
            app.open_sentera(user)
            log: EventsLog | None = None
            first_shown = first_cpu = None
            while time.perf_counter() - t0 < 60:
                await pilot.pause(0.005)
                logs = app.screen.query(EventsLog)
                if logs and len(logs.first().events) > 0:
                    log = logs.first()
                    if first_shown is None:  # drawn the next frame (interactive.py: on screen)
                        first_shown = time.perf_counter() - t0
                        first_cpu = _cpu() - cpu_open
                    if len(log.events) >= FIRST_READ:
                        break
            opened, opened_cpu = time.perf_counter() - t0, _cpu() - cpu_open
            if log is None or first_shown is None:
                raise RuntimeError("the events log never filled")
            if latency_ms:
                await control.post("/_sandbox/faults", json={"reset": True})
            first_merge = merges[0] if merges else None
            merges.clear()
            wire.reset()
            tracked = len(gc.get_objects())  # what a full collection walks while polling
            cpu0, wall0 = _cpu(), time.perf_counter()
            sampler = BlockSampler() if trace_blocks else None
            repaints = Repaints()
            if sampler is not None:
                sampler.start()
                repaints.start()
            profiler = cProfile.Profile() if profile else None
            if profiler is not None:
                profiler.enable()
            async with LoopLag(sampler=sampler) as lag:
                posted = await record_events(control, user_id, wall0 + seconds, event_every)
            span = time.perf_counter() - wall0
            if profiler is not None:
                profiler.disable()
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("cumulative").print_stats(45)
                stats.sort_stats("tottime").print_stats(30)
            if sampler is not None:
                sampler.stop()
                repaints.stop()
                print(sampler.summary())
                print(repaints.summary(wire.polls))
                print(census())
            cpu = (_cpu() - cpu0) / span * 100
            rss_after = _rss_mb()
            shown = len(log.events)
            polls, sent, decoding = wire.polls, wire.bytes, wire.decode_seconds
        floor_block = await floor_loop_block(base, token, user_id, seconds, event_every, control)
    finally:
        wire.unwatch()
        EventsLog.add_events = original  # type: ignore[method-assign]
        await control.aclose()
    m = summary(merges) if merges else {"p95": None, "max": None, "n": 0}
    lags = sorted(lag.lags)
    lag_p99 = lags[int(0.99 * (len(lags) - 1))] * 1000 if lags else None
    return [
        Figure("floor: GET + decode the newest page (100 events), plain httpx", floor_one, "s"),
        Figure("floor: the 10 pages of the first read, 4 at a time", floor_ten, "s"),
        Figure(
            "open the log until it holds its first events (the newest page)",
            first_shown,
            "s",
            "< 1 s",
            first_shown < 1.0,
            {"cpu_s": first_cpu},
        ),
        Figure(
            "open the log (20,000 events) until it holds them",
            opened,
            "s",
            "< 1 s",
            opened < 1.0,
            {
                "cpu_s": opened_cpu,
                "first_merge_ms": first_merge,
                "events_kept": shown,
                "frozen_imports": freeze,
                "latency_ms": latency_ms,
            },
        ),
        Figure("poll merge (add_events) p95", m["p95"], "ms", detail=m),
        Figure(
            "poll merge (add_events) max",
            m["max"],
            "ms",
            "<= 16 ms",
            None if m["max"] is None else m["max"] <= 16.0,
            {"polls": m["n"]},
        ),
        Figure(
            "floor: longest loop block of a one-label app polling the same events",
            floor_block,
            "ms",
        ),
        Figure(
            "longest loop block while polling",
            lag.max_ms,
            "ms",
            "<= 16 ms",
            lag.max_ms <= 16.0,
            {
                "gc": lag.gc_summary(),
                "tracked_objects_at_start": tracked,
                "floor_ms": floor_block,
                **(sampler.figures() if sampler is not None else {}),
                "p99_ms": lag_p99,
                "median_ms": statistics.median(lags) * 1000 if lags else None,
            },
        ),
        Figure(
            "events bytes per poll (20,000 events held by Leaf)",
            sent / polls if polls else None,
            "B",
            detail={"polls": polls, "bytes": sent},
        ),
        Figure(
            "events decode time per poll",
            decoding / polls * 1000 if polls else None,
            "ms",
            detail={"polls": polls},
        ),
        Figure(
            "CPU while polling (this process)",
            cpu,
            "%",
            detail={"seconds": round(span, 1), "events_posted": posted},
        ),
        Figure(
            f"memory (RSS) after {seconds:.0f} s of polling",
            rss_after,
            "MB",
            detail={"rss_before_open_mb": round(rss_before, 1)},
        ),
    ]


def run(
    seconds: float = 60.0,
    sandbox: ScaledSandbox | None = None,
    event_every: float = 2.0,
    freeze: bool = True,
    latency_ms: int = 0,
    trace_blocks: bool = False,
    profile: bool = False,
) -> list[Figure]:
    if sandbox is None:
        with ScaledSandbox() as sb:
            return run(seconds, sb, event_every, freeze, latency_ms, trace_blocks, profile)
    return asyncio.run(
        measure(sandbox.facts, seconds, event_every, freeze, latency_ms, trace_blocks, profile)
    )


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--event-every", type=float, default=2.0, help="0: record no events")
    p.add_argument("--no-freeze", action="store_true", help="leave the imports to the collector")
    p.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="the sandbox answers this late while the log opens",
    )
    p.add_argument("--trace-blocks", action="store_true", help="sample the loop's blocks")
    p.add_argument("--profile", action="store_true", help="cProfile the polling")
    a = p.parse_args()
    figures = run(
        a.seconds,
        event_every=a.event_every,
        freeze=not a.no_freeze,
        latency_ms=a.latency_ms,
        trace_blocks=a.trace_blocks,
        profile=a.profile,
    )
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
