"""Keep httpx's command-line tool out of start-up.

`import httpx` also imports `httpx._main`, its `httpx` CLI, whenever click, rich and pygments are
installed — and they are, since Textual needs rich. That costs about half a second at start-up
(click, rich.progress, rich.syntax, pygments lexers) for a tool this app never runs. Before httpx
is first imported, register a stand-in `httpx._main` whose `main()` loads the real one on demand,
so `httpx.main` still works for anyone who calls it.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


def _main(*args: Any, **kwargs: Any) -> Any:
    sys.modules.pop("httpx._main", None)
    real = importlib.import_module("httpx._main")
    return real.main(*args, **kwargs)


def install() -> None:
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return  # too late (or already done): nothing to save
    stand_in = types.ModuleType("httpx._main", "httpx's CLI, loaded on first use")
    stand_in.main = _main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


install()
