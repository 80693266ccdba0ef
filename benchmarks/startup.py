"""(1) Start to first data: wall time from process start until the first user row is on the
screen of a real pseudo-terminal, beside the floor (benchmarks/floor_app.py: one label) and the
HTTP floor (floor_http_app.py: the floor plus httpx and one GET) measured in the same run, all
interleaved so they see the same machine load. leaf-tui twice: on a real profile (the seeded
sandbox as a server, LEAF_API_URL + LEAF_TOKEN), and on the embedded sandbox, the default (no
profile; data kept from the run before). Every module is compiled to bytecode first, as an
install with `compile-bytecode` has it. Targets (issue 15), against the HTTP floor: a real
profile <= 1.1x, the embedded sandbox <= 1.3x.

LEAF_BENCH_TREE=PATH measures another checkout's leaf_tui (figures before a change).

Each run goes through shared/bench/tuitime.py first-text when it is beside the repo (the
team's reference measure); otherwise through ptyterm.Term, which does the same thing.

  uv run python benchmarks/startup.py [--runs 5] [--json PATH]
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from apps import (
    FLOOR_HTTP_TEXT,
    FLOOR_TEXT,
    Command,
    floor_command,
    floor_http_command,
    leaf_command,
    sandbox_command,
)
from common import HERE, PYTHON, ROOT, Figure, parser, print_table, tuitime, write_json
from ptyterm import Term
from seed import ScaledSandbox

TITLE = "start to first user row (pty)"
SANDBOX_FIRST_ROW = "Ava Anderson"  # the demo's first grower by name (seed 7)


def compile_bytecode() -> None:
    """Bytecode for every module the runs import (written even under PYTHONDONTWRITEBYTECODE),
    so no run pays for compiling: the measure is of a compiled install."""
    tree = Path(os.environ.get("LEAF_BENCH_TREE") or ROOT)
    dirs = [tree / "leaf_tui", HERE, *(Path(p) for p in sys.path if p.endswith("site-packages"))]
    for folder in dirs:
        compileall.compile_dir(folder, quiet=1, workers=0)


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
    compile_bytecode()
    facts = sandbox.facts
    app = leaf_command(sandbox.base_url, sandbox.token)
    app_text = facts["first_names"][0]
    embedded = sandbox_command()
    floor_http = floor_http_command(sandbox.base_url, sandbox.token)
    floor_t: list[float] = []
    http_t: list[float] = []
    app_t: list[float] = []
    embedded_t: list[float] = []
    first_text(floor_command(), FLOOR_TEXT)  # warm the OS file cache for all four
    first_text(floor_http, FLOOR_HTTP_TEXT)
    first_text(app, app_text)
    first_text(embedded, SANDBOX_FIRST_ROW)  # and seed the embedded sandbox's data
    for _ in range(runs):
        floor_t.append(first_text(floor_command(), FLOOR_TEXT))
        http_t.append(first_text(floor_http, FLOOR_HTTP_TEXT))
        app_t.append(first_text(app, app_text))
        embedded_t.append(first_text(embedded, SANDBOX_FIRST_ROW))
    floor_med, http_med, app_med, embedded_med = map(
        statistics.median, (floor_t, http_t, app_t, embedded_t)
    )
    ratio_med = app_med / floor_med
    ratio_min = min(app_t) / min(floor_t)
    real_http, embedded_http = app_med / http_med, embedded_med / http_med
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
        Figure(
            "leaf-tui: ratio of medians to floor + httpx",
            real_http,
            "x",
            "<= 1.1x",
            real_http <= 1.1,
        ),
        Figure(
            "leaf-tui, embedded sandbox, to first user row, median",
            embedded_med,
            "s",
            detail={"runs": embedded_t, "text": SANDBOX_FIRST_ROW, "via": via},
        ),
        Figure(
            "leaf-tui, embedded sandbox: ratio of medians to floor + httpx",
            embedded_http,
            "x",
            "<= 1.3x",
            embedded_http <= 1.3,
        ),
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
