"""Run every benchmark against one seeded sandbox and write benchmarks/results.json.

  uv run python benchmarks/run_all.py [--quick] [--only startup,service,...] [--json PATH]

--quick: 3 start-up runs, 10 s idle, 20 s of polling (for a look, not for the README).
The machine is shared and noisy: the figures that matter are ratios against the floor measured
in the same run, and percentiles; the JSON records the load average beside them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import events_poll
import interactive
import service
import startup
from common import HERE, Figure, machine, parser, print_table
from seed import ScaledSandbox

GROUPS = ("startup", "interactive", "events", "service")


def main() -> None:
    p = parser(__doc__ or "run all benchmarks")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated: {GROUPS}")
    a = p.parse_args()
    only = [g.strip() for g in a.only.split(",") if g.strip()]
    runs, idle_s, poll_s = (3, 10.0, 20.0) if a.quick else (7, 30.0, 60.0)
    out_path = Path(a.json) if a.json else HERE / "results.json"
    results: dict[str, list[Figure]] = {}
    started = time.time()
    load_before = machine()["loadavg"]
    with ScaledSandbox() as sandbox:
        facts = {k: v for k, v in sandbox.facts.items() if k not in ("token", "first_names")}
        if "startup" in only:
            results["(1) start-up"] = startup.run(runs, sandbox)
        if "interactive" in only:
            results["(2)-(4) through a pty"] = interactive.run(
                list(interactive.MEASURES), sandbox, idle_s
            )
        if "events" in only:
            results["(5) events polling"] = events_poll.run(poll_s, sandbox)
        if "service" in only:
            results["(6) service layer"] = service.run(3, sandbox)
    for title, figures in results.items():
        print_table(title, figures)
    payload = {
        "command": "uv run python benchmarks/run_all.py" + (" --quick" if a.quick else ""),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": {**machine(), "loadavg_before": load_before},
        "sandbox": facts,
        "groups": {title: [f.__dict__ for f in figures] for title, figures in results.items()},
    }
    out_path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"\nwrote {out_path}")


if __name__ == "__main__":
    main()
