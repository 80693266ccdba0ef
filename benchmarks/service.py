"""(6) The service layer against the seeded sandbox over real loopback, in-process:
page through 10,000 users (at several concurrencies), resolve the names of the 2,000 links'
users through UserIndex.resolve, fetch 20,000 Sentera events, and search the loaded index.
Beside each: the longest the event loop was blocked meanwhile (a UI would freeze that long).

  uv run python benchmarks/service.py [--json PATH] [--repeat 3]
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from common import Figure, parser, print_table, write_json
from looplag import LoopLag
from seed import ScaledSandbox

TITLE = "service layer (in-process, loopback sandbox)"


async def _timed(make: Any, repeat: int) -> tuple[float, float, Any]:
    """Median seconds over `repeat` runs of await make(), the worst loop lag (ms), last result."""
    times, lags, gc_worst, result = [], [], [], None
    for _ in range(repeat):
        async with LoopLag() as lag:
            t0 = time.perf_counter()
            result = await make()
            times.append(time.perf_counter() - t0)
        lags.append(lag.max_ms)
        gc_worst.append(lag.gc_summary()["gen2"]["max_ms"])
    _timed.gc_gen2_max_ms = max(gc_worst)  # type: ignore[attr-defined]
    return statistics.median(times), max(lags), result


async def measure(base_url: str, token: str, heavy_user_id: str, repeat: int) -> list[Figure]:
    from leaf_tui.api import LeafClient
    from leaf_tui.api.user_index import UserIndex

    figures: list[Figure] = []
    async with LeafClient(base_url, token, timeout=60) as client:
        await client.users.list(size=1)  # warm the connection and the server's caches
        users: list[Any] = []
        for concurrency in (1, 4, 8):

            async def page_all(c: int = concurrency) -> list[Any]:
                return await client.users.list_all(page_size=100, concurrency=c)

            secs, lag, users = await _timed(page_all, repeat)
            figures.append(
                Figure(
                    f"page 10,000 users (size 100, concurrency {concurrency})",
                    secs,
                    "s",
                    "< 2 s",
                    secs < 2.0,
                    {"users": len(users), "max_loop_lag_ms": round(lag, 1)},
                )
            )
        links_secs, _, links = await _timed(client.links.list_all, repeat)
        figures.append(
            Figure("list 2,000 links (3 kinds at once)", links_secs, "s", detail={"n": len(links)})
        )
        ids = list(dict.fromkeys(link.leaf_user_id for link in links))
        for concurrency in (8, 16):

            async def resolve(c: int = concurrency) -> dict[str, Any]:
                index = UserIndex(client)  # cold: every id is fetched
                return await index.resolve(ids, concurrency=c)

            secs, lag, found = await _timed(resolve, repeat)
            figures.append(
                Figure(
                    f"resolve {len(ids):,} links' users cold (concurrency {concurrency})",
                    secs,
                    "s",
                    detail={"found": len(found), "max_loop_lag_ms": round(lag, 1)},
                )
            )
        index = UserIndex(client)
        load_secs, load_lag, _ = await _timed(index.load, 1)
        figures.append(
            Figure(
                "UserIndex.load (10,000 users, default concurrency)",
                load_secs,
                "s",
                "< 2 s",
                load_secs < 2.0,
                {"max_loop_lag_ms": round(load_lag, 1)},
            )
        )
        warm_secs, _, _ = await _timed(lambda: index.resolve(ids), repeat)
        figures.append(Figure("resolve links' users after index load", warm_secs * 1000, "ms"))

        async def events() -> list[Any]:
            return await client.sentera.events(heavy_user_id)

        ev_secs, ev_lag, evs = await _timed(events, repeat)
        figures.append(
            Figure(
                f"fetch + parse {len(evs):,} Sentera events",
                ev_secs,
                "s",
                detail={
                    "max_loop_lag_ms": round(ev_lag, 1),
                    "gc_gen2_max_ms": _timed.gc_gen2_max_ms,  # type: ignore[attr-defined]
                },
            )
        )
        figures.append(
            Figure("  longest loop block during that", ev_lag, "ms", "<= 16 ms", ev_lag <= 16)
        )
        search_ms = []
        for query in ("a", "an", "and", "ande", "crm-1", "crm-10000", "zz-nothing"):
            t0 = time.perf_counter()
            index.search(query)
            search_ms.append((time.perf_counter() - t0) * 1000)
        figures.append(
            Figure(
                "UserIndex.search over 10,000 (worst of 7 queries)",
                max(search_ms),
                "ms",
                detail={"each_ms": [round(x, 2) for x in search_ms]},
            )
        )
    return figures


def run(repeat: int = 3, sandbox: ScaledSandbox | None = None) -> list[Figure]:
    if sandbox is not None:
        f = sandbox.facts
        return asyncio.run(measure(f["base_url"], f["token"], f["heavy_user_id"], repeat))
    with ScaledSandbox() as sb:
        return run(repeat, sb)


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    figures = run(a.repeat)
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
