"""The triage queue at scale, in-process (App.run_test, headless) against the seeded sandbox
(10,000 users whose user objects carry their provider credentials):

open      from app.open_triage() until the queue is shown from the user index the Users screen
          already loaded (< 2 s), with the requests and bytes that took (events of the unhealthy
          connections only)
fresh     until it is shown again from a freshly loaded index (the screen reloads it once, then
          every minute), with its requests and bytes

uv run python benchmarks/triage.py [--users 10000] [--json PATH]
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from common import Figure, parser, print_table, write_json
from seed import Scale, ScaledSandbox

TITLE = "triage queue (in-process)"


class Wire:
    """Requests and response bytes, all paths."""

    def __init__(self) -> None:
        self.requests = 0
        self.bytes = 0

    def transport(self) -> httpx.AsyncBaseTransport:
        wire = self

        class Counting(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                response = await super().handle_async_request(request)
                await response.aread()
                wire.requests += 1
                wire.bytes += len(response.content)
                return response

        return Counting()


async def measure(facts: dict[str, Any]) -> list[Figure]:
    from leaf_tui.api import LeafClient
    from leaf_tui.domain.session import Session
    from leaf_tui.tui.app import LeafApp
    from leaf_tui.tui.screens.triage import TriageScreen

    wire = Wire()
    base, token = facts["base_url"], facts["token"]
    client = LeafClient(base, token, timeout=60, transport=wire.transport())
    app = LeafApp(Session(client, "bench", base, is_sandbox=False))
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        while not app.user_index.loaded and time.perf_counter() - t0 < 300:
            await pilot.pause(0.05)
        users = len(app.user_index)
        await pilot.pause(0.5)
        wire.requests = wire.bytes = 0
        t0 = time.perf_counter()
        app.open_triage()
        screen: TriageScreen | None = None
        while time.perf_counter() - t0 < 60:
            await pilot.pause(0.005)
            if isinstance(app.screen, TriageScreen) and app.screen.loaded:
                screen = app.screen
                break
        opened = time.perf_counter() - t0
        open_requests, open_bytes = wire.requests, wire.bytes
        if screen is None:
            raise RuntimeError("the queue never showed")
        shown = len(screen.items)
        unchecked = dict(screen.unchecked)
        first_items = screen.items
        while screen.items is first_items and time.perf_counter() - t0 < 120:
            await pilot.pause(0.05)
        fresh = time.perf_counter() - t0
    return [
        Figure(
            f"open the queue from the loaded index ({users:,} users)",
            opened,
            "s",
            "< 2 s",
            opened < 2.0,
            {
                "requests": open_requests,
                "bytes": open_bytes,
                "unhealthy_shown": shown,
                "not_checked": unchecked,
            },
        ),
        Figure("requests to open (events of unhealthy connections only)", open_requests, ""),
        Figure("bytes fetched to open", open_bytes / 1024, "KiB"),
        Figure(
            "shown again from a freshly loaded index",
            fresh,
            "s",
            detail={"requests": wire.requests - open_requests, "bytes": wire.bytes - open_bytes},
        ),
    ]


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--users", type=int, default=10_000)
    args = p.parse_args()
    with ScaledSandbox(Scale(users=args.users, links=200, events=20_000, heavy_events=0)) as sb:
        figures = asyncio.run(measure(sb.facts))
    print_table(TITLE, figures)
    write_json(args.json, TITLE, figures)


if __name__ == "__main__":
    main()
