"""`uv run python -m screenshots.tooling [--check] [--out DIR]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from screenshots.tooling.camera import SHOTS
from screenshots.tooling.run import COMMAND, SCREENSHOTS, generate, stale, update_readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m screenshots.tooling",
        description="Regenerate the README's screenshots (SVG, 120x40, from the demo sandbox "
        "with a frozen clock) and its table of keys (from the screens' bindings).",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is stale"
    )
    parser.add_argument(
        "--out", type=Path, default=SCREENSHOTS, help="where the SVGs go (default: screenshots/)"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.check:
        problems = stale(args.out)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"Stale: run `{COMMAND}` and commit the result.", file=sys.stderr)
            return 1
        print(f"{len(SHOTS)} screenshots and the keys table are current.", file=sys.stderr)
        return 0
    for path in generate(args.out):
        print(path)
    if args.out == SCREENSHOTS and update_readme():
        print("README.md: keys table updated")
    print(f"{len(SHOTS)} screenshots in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
