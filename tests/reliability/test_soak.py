"""Soak (issue 6): the sandbox's activity simulator at a high rate while the app cycles through
Users, a grower's Sentera screen and Links, polling each. No error may surface, and the app's
memory must stay flat.

The sandbox runs in its own process (`leaf-tui sandbox`), so the memory measured (tracemalloc,
after two warm-up cycles) is the app's and the client's alone. Its simulator is stepped by the
test (`POST /_sandbox/activity`), the same number of steps on every screen of every cycle, so a
cycle adds the same data on a quiet machine as on a loaded one, where a cycle takes longer (with
the simulator on the clock, a slow cycle held more new events and read as a leak). Memory is
read at the same point of every cycle; a leak shows as growth from cycle to cycle, so the
verdict is the growth per cycle over the later half of the run (one-off fills, such as the index
rebuilt by the first measured reload, fall in the first half). The measured part lasts the
minute issue 6 asks for (at least 5 cycles); `LEAF_SOAK_SECONDS=20` shortens it for a quick look.
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from leaf_tui.api import LeafClient

from .conftest import OWNER, SIZE, Recorder, Tally, app_ready, wait_until

SECONDS = float(os.environ.get("LEAF_SOAK_SECONDS", "60"))
ON_EACH_SCREEN = 2.0
# simulated activity on each screen: ~20 steps a second for ON_EACH_SCREEN, in a few bursts
BURSTS_ON_EACH_SCREEN = 4
TICKS_A_BURST = 10
WARM_UP_CYCLES = 2  # every screen's code and caches loaded, the index rebuilt once by a reload
MEASURED_CYCLES = 5  # at least, whatever SECONDS says: the later half spans two or more
# Bytes a cycle may add in the later half. The leaks found so far added 1-4 MB a cycle. What a
# cycle adds now is the simulator's new events and links, held as data by our code (the same
# each cycle, since the test steps the simulator), and Textual's and Rich's bounded caches
# filling up, which fill faster the longer a cycle takes: on a loaded machine they added up to
# ~650 KiB a cycle over the 5 measured cycles. So what our code holds is held to the tight
# limit, and everything together to a looser one that a leak of closed screens still breaks.
OURS_PER_CYCLE_LIMIT = 256 * 1024
ALL_PER_CYCLE_LIMIT = 1024 * 1024
FRAMES = 10  # enough for most library allocations to show the frame of ours that asked for them


def held_by_our_code(snapshot: tracemalloc.Snapshot) -> int:
    """Bytes whose allocation has a frame of leaf_tui in its traceback."""
    mine = snapshot.filter_traces([tracemalloc.Filter(True, "*/leaf_tui/*", all_frames=True)])
    return sum(stat.size for stat in mine.statistics("filename"))


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture
def busy_sandbox(tmp_path: Path) -> Iterator[str]:
    """`leaf-tui sandbox`, its activity simulator stepped by the test (see `busy`)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leaf_tui",
            "sandbox",
            "--port",
            "0",
            "--no-activity",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "LEAF_TUI_HOME": str(tmp_path)},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        assert match, line
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.soak
async def test_soak_polling_every_screen_under_constant_activity(
    busy_sandbox: str, tally: Tally, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.links import LinksScreen
    from leaf_tui.tui.screens.sentera import SenteraScreen
    from leaf_tui.tui.screens.users import UsersScreen

    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(LinksScreen, "POLL_SECONDS", 0.5)
    base = busy_sandbox
    token = httpx.post(
        f"{base}/api/authenticate", json={"username": OWNER[0], "password": OWNER[1]}
    ).json()["id_token"]
    client = LeafClient(base, token=token)
    app = LeafApp(Session(client, "sandbox", base, True))
    stats: dict[str, Any] = {"cycles": 0, "links polls": 0, "sentera screens": 0, "reloads": 0}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rec = Recorder(app)
        await app_ready(pilot)
        await app.user_index.load()
        growers = [
            u for u in app.user_index.search("") if await app.client.sentera.has_credential(u.id)
        ]
        assert len(growers) >= 2

        # a connection each time: a kept-alive one the server has just closed would fail a POST
        control = httpx.AsyncClient(
            base_url=base, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)
        )

        async def busy() -> None:
            """The time spent on a screen, with the same activity however long it takes."""
            for _ in range(BURSTS_ON_EACH_SCREEN):
                r = await control.post("/_sandbox/activity", json={"ticks": TICKS_A_BURST})
                r.raise_for_status()
                await asyncio.sleep(ON_EACH_SCREEN / BURSTS_ON_EACH_SCREEN)

        async def cycle(n: int) -> None:
            # Users: reload everything (first page, index, links, the detail's Sentera status)
            app.open_users()
            await wait_until(pilot, lambda: isinstance(app.screen, UsersScreen))
            await pilot.press("r")
            stats["reloads"] += 1
            await busy()
            # a grower's Sentera screen, polling its events twice a second: two growers in turn,
            # the two whose events the service keeps, so a cycle's memory is comparable with the
            # last (another grower's events are more data, not a leak)
            app.open_sentera(growers[n % 2])
            await wait_until(pilot, lambda: isinstance(app.screen, SenteraScreen))
            sentera = app.screen
            sentera.events_log.interval = 0.5
            await busy()

            def events_status() -> str:
                return str(sentera.query_one("#events-status").content)

            # on a loaded machine the first poll may land after ON_EACH_SCREEN: wait for it
            await wait_until(
                pilot,
                lambda: "live, every" in events_status() or "polling failed" in events_status(),
                timeout=30,
                what="the events log's first poll",
            )
            status = events_status()
            assert "polling failed" not in status and "live, every" in status, status
            stats["sentera screens"] += 1
            # Links, polling twice a second
            app.open_links()
            await wait_until(pilot, lambda: isinstance(app.screen, LinksScreen))
            links = app.screen
            await busy()
            stats["links polls"] += links.polls
            stats["cycles"] += 1

        for n in range(WARM_UP_CYCLES):
            await cycle(n)
        gc.collect()
        rss_before = rss_kib()
        tracemalloc.start(FRAMES)
        started = time.monotonic()
        n = WARM_UP_CYCLES
        traced: list[int] = []  # after each measured cycle, garbage collected
        ours: list[int] = []  # the part of it that our code allocated
        try:
            while time.monotonic() - started < SECONDS or len(traced) < MEASURED_CYCLES:
                await cycle(n)
                n += 1
                gc.collect()
                traced.append(tracemalloc.get_traced_memory()[0])
                ours.append(held_by_our_code(tracemalloc.take_snapshot()))
            _, peak = tracemalloc.get_traced_memory()
            # Closed screens must be freed: Textual 8.2.8's Footer kept every FooterKey it
            # composed (ours draws its keys itself, no widget per key), and httpcore's 10 s
            # socket timers kept the context of the worker that asked (api/http.py runs
            # requests in a task of their own). Counted so a regression shows in the reported
            # line (when run alone; beside other tests in one worker, their closed apps' keys
            # count too).
            recent_keys = sum(
                1
                for o in gc.get_objects()
                if type(o).__name__ == "FooterKey" and not getattr(o, "is_attached", True)
            )
        finally:
            tracemalloc.stop()
        rss_after = rss_kib()
        elapsed = time.monotonic() - started
        assert app.is_running and app.return_code is None
        assert not rec.problems(), rec.text()
        # A transparent retry (e.g. a keep-alive connection the server closed just as it was
        # reused) is no error; giving up (OFFLINE) or telling the person something failed is.
        assert "OFFLINE" not in rec.statuses, rec.statuses
        assert app.client.status.name == "OK"
        retries = rec.statuses.count("RETRYING")
        await control.aclose()
    await client.aclose()
    middle = len(traced) // 2

    def growth(series: list[int]) -> float:
        return (series[-1] - series[middle]) / (len(series) - 1 - middle)

    per_cycle, ours_per_cycle = growth(traced), growth(ours)
    line = (
        f"{elapsed:.0f} s, {stats['cycles']} cycles (Users reload, Sentera, Links; "
        f"{WARM_UP_CYCLES} of warm-up), {stats['links polls']} links polls, "
        f"{retries} transparent retries; app memory (tracemalloc) per cycle over the later half "
        f"{per_cycle / 1024:+.0f} KiB ({ours_per_cycle / 1024:+.0f} KiB by our code), "
        "after each cycle "
        f"{', '.join(f'{t / 1024:.0f}' for t in traced)} KiB (peak {peak / 1024:.0f} KiB); "
        f"RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MiB; "
        f"{recent_keys} detached FooterKeys alive in this process"
    )
    tally.soak.append(line)
    assert ours_per_cycle < OURS_PER_CYCLE_LIMIT, line
    assert per_cycle < ALL_PER_CYCLE_LIMIT, line
