"""(1) Start to first data: wall time from process start until the first user row is on the
screen of a real pseudo-terminal, beside the floor (benchmarks/floor_app.py: one label) measured
in the same run, the two interleaved so both see the same machine load. Target: <= 1.5x floor.

Each run goes through shared/bench/tuitime.py first-text when it is beside the repo (the
team's reference measure); otherwise through ptyterm.Term, which does the same thing.

  uv run python benchmarks/startup.py [--runs 5] [--json PATH]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess

from apps import (
    FLOOR_HTTP_TEXT,
    FLOOR_TEXT,
    Command,
    floor_command,
    floor_http_command,
    leaf_command,
)
from common import PYTHON, Figure, parser, print_table, tuitime, write_json
from ptyterm import Term
from seed import ScaledSandbox

TITLE = "start to first user row (pty)"


def first_text(cmd: Command, text: str, limit: float = 60.0) -> float:
    """Seconds from spawn until text is on the screen, one run."""
    tool = tuitime()
    if tool is not None:
        argv = [
            PYTHON,
            str(tool),
            "first-text",
            "--text",
            text,
            "--runs",
            "1",
            "--limit",
            str(limit),
            "--json",
            "--",
            *cmd.argv,
        ]
        out = subprocess.run(argv, env={**os.environ, **cmd.env}, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if "error" in result:
            raise RuntimeError(f"{cmd.argv}: {result['error']}")
        return float(result["median"])
    term = Term(cmd.argv, env=cmd.env)
    try:
        seconds = term.wait_for(text, limit)
        if seconds is None:
            raise RuntimeError(f"{cmd.argv}: {text!r} not seen in {limit}s:\n{term.text()}")
        return seconds
    finally:
        term.close()


def run(runs: int = 5, sandbox: ScaledSandbox | None = None) -> list[Figure]:
    if sandbox is None:
        with ScaledSandbox() as sb:
            return run(runs, sb)
    facts = sandbox.facts
    app = leaf_command(sandbox.base_url, sandbox.token)
    app_text = facts["first_names"][0]
    floor_http = floor_http_command(sandbox.base_url, sandbox.token)
    floor_t: list[float] = []
    http_t: list[float] = []
    app_t: list[float] = []
    first_text(floor_command(), FLOOR_TEXT)  # warm the OS file cache for all three
    first_text(floor_http, FLOOR_HTTP_TEXT)
    first_text(app, app_text)
    for _ in range(runs):
        floor_t.append(first_text(floor_command(), FLOOR_TEXT))
        http_t.append(first_text(floor_http, FLOOR_HTTP_TEXT))
        app_t.append(first_text(app, app_text))
    floor_med, http_med, app_med = map(statistics.median, (floor_t, http_t, app_t))
    ratio_med = app_med / floor_med
    ratio_min = min(app_t) / min(floor_t)
    via = "tuitime.py" if tuitime() else "ptyterm"
    return [
        Figure(
            "floor (one Label), median",
            floor_med,
            "s",
            detail={"runs": floor_t, "via": via},
        ),
        Figure(
            "leaf-tui to first user row, median",
            app_med,
            "s",
            detail={"runs": app_t, "text": app_text, "via": via},
        ),
        Figure("ratio of medians", ratio_med, "x", "<= 1.5x", ratio_med <= 1.5),
        Figure("ratio of best runs", ratio_min, "x", "<= 1.5x", ratio_min <= 1.5),
        Figure(
            "floor + httpx client and one GET, median",
            http_med,
            "s",
            detail={"runs": http_t, "via": via},
        ),
        Figure(
            "floor + httpx: ratio of medians to the floor",
            http_med / floor_med,
            "x",
        ),
        Figure("leaf-tui: ratio of medians to floor + httpx", app_med / http_med, "x"),
    ]


def main() -> None:
    p = parser(__doc__ or TITLE)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    figures = run(a.runs)
    print_table(TITLE, figures)
    write_json(a.json, TITLE, figures)


if __name__ == "__main__":
    main()
