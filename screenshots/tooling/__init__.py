"""The README's screenshots and keys table, made by driving the real app: never by hand.

`uv run python -m screenshots.tooling` drives the app by keys against the deterministic demo
sandbox (in process, seed 7) with both clocks frozen, at 120x40, writes one SVG per main state into
`screenshots/`, and regenerates the README's table of keys from the screens' BINDINGS.
`--check` only compares (tests/test_screenshots.py does the same).

Running it twice gives byte-identical files:
- both clocks are frozen, the demo data comes from one seed, and the ids of links created during a
  tour come from a seeded generator instead of uuid4;
- cursors do not blink, and LEAF_TUI_HOME is an empty temporary directory, so the reader's theme,
  presets and remembered wizard choices never leak in;
- the system clipboard is a stand-in list (a tour never touches the real one);
- Rich names the SVG's ids after a hash of its content, so equal screens give equal files.
No secret can appear: the header shows only the token's expiry, the authToken is masked.
"""

from screenshots.tooling.camera import SHOTS, Shot
from screenshots.tooling.run import README, SCREENSHOTS, generate, stale

__all__ = ["README", "SCREENSHOTS", "SHOTS", "Shot", "generate", "stale"]
