"""What every benchmark shares: paths, the figures table, --json, and the app's command line."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable


@dataclass
class Figure:
    """One measured figure: a value, its unit, and the target it is held to (if any)."""

    name: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None  # None: no target, or not measured
    detail: dict[str, Any] = field(default_factory=dict)

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        if self.unit == "x":
            return f"{self.value:.2f}x"
        if self.unit in ("ms", "s", "%"):
            return f"{self.value:.1f} {self.unit}" if self.unit != "s" else f"{self.value:.3f} s"
        return f"{self.value:,.0f} {self.unit}"


def verdict(ok: bool | None) -> str:
    return {True: "ok", False: "MISSED", None: ""}[ok]


def print_table(title: str, figures: list[Figure]) -> None:
    print(f"\n## {title}")
    width = max([len(f.name) for f in figures] + [6])
    print(f"{'figure':<{width}}  {'value':>14}  {'target':<14}  verdict")
    for f in figures:
        print(f"{f.name:<{width}}  {f.shown():>14}  {f.target:<14}  {verdict(f.ok)}")


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg": [round(x, 2) for x in load],
        "platform": platform.platform(),
    }


def write_json(path: str | None, title: str, figures: list[Figure], **extra: Any) -> None:
    if not path:
        return
    payload = {
        "benchmark": title,
        "machine": machine(),
        "figures": [asdict(f) for f in figures],
        **extra,
    }
    Path(path).write_text(json.dumps(payload, indent=2) + "\n")


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    return p


def tuitime() -> Path | None:
    """shared/bench/tuitime.py beside the repo (LEAF_TUITIME overrides), if it is there."""
    env = os.environ.get("LEAF_TUITIME")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "bench" / "tuitime.py"]
    return next((c for c in candidates if c.is_file()), None)
