"""Take the modules out of the cyclic collector's view once, at the entry point, before the app
starts and before any screen or data exists.

`gc.freeze()` moves every object the collector tracks into a generation it never walks again
(refcounting still frees them): the imported modules (Textual, Rich, httpx) stay all day, and
each full collection walked them all. Only there, never from the app: a freeze also keeps
whatever cyclic garbage exists at that moment, and later it would keep closed screens.
"""

from __future__ import annotations

import gc


def freeze_imports() -> None:
    """Freeze the modules imported so far and those the first row needs (called by `leaf-tui`
    before `App.run`).

    Every start of the dashboard imports the HTTP transport and the first two screens before
    its first user row anyway: imported here, before the freeze, they cost no more time and the
    collector never walks them (the screens: ~1,200 objects, measured with the Sentera log open;
    the transport: ~2,300 when no first page was asked for early, as with --debug)."""
    import httpcore  # noqa: F401  (httpx imports it, and h11 and anyio, at its first client)

    from leaf_tui.tui.screens import connecting, users  # noqa: F401

    gc.freeze()
