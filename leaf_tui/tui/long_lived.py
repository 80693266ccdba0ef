"""Take the modules out of the cyclic collector's view once, at the entry point, before the app
starts and before any screen or data exists.

`gc.freeze()` moves every object the collector tracks into a generation it never walks again
(refcounting still frees them): the imported modules (Textual, Rich, httpx: ~200,000 objects)
stay all day, and each full collection walked them all. Only there, never from the app: a freeze
also keeps whatever cyclic garbage exists at that moment, and later it would keep closed screens.
"""

from __future__ import annotations

import gc


def freeze_imports() -> None:
    """Freeze the modules imported so far (called by `leaf-tui` before `App.run`)."""
    gc.freeze()
