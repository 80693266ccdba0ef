"""Take the modules out of the cyclic collector's view once, at the entry point, before the app
starts and before any screen or data exists.

`gc.freeze()` moves every object the collector tracks into a generation it never walks again
(refcounting still frees them): the imported modules (Textual, Rich, httpx) stay all day, and
each full collection walked them all. Only there, never from the app: a freeze also keeps
whatever cyclic garbage exists at that moment, and later it would keep closed screens.
"""

from __future__ import annotations

import gc
import importlib

FIRST_ROW_MODULES = (
    "httpcore",  # httpx imports its transport (and h11, anyio) only when a client is made
    "leaf_tui.tui.screens.connecting",
    "leaf_tui.tui.screens.users",
)
"""What every start of the dashboard imports before its first user row anyway: imported here,
before the freeze, they cost no more time and the collector never walks them (the screens:
~1,200 objects, measured with the Sentera log open; the transport: ~2,300 when no first page
was asked for early, as with --debug)."""


def freeze_imports() -> None:
    """Freeze the modules imported so far and those the first row needs (called by `leaf-tui`
    before `App.run`)."""
    for name in FIRST_ROW_MODULES:
        importlib.import_module(name)
    gc.freeze()
