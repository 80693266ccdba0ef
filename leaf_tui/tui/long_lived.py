"""Take what lives all day out of the cyclic collector's view: the modules before the app
starts, and the first user index once it arrives.

`gc.freeze()` moves every object the collector tracks into a generation it never walks again
(refcounting still frees them). Full collections walked the modules and the index on every pass
(104 ms; benchmarks/README.md), and during start-up they ran 30-40 ms before the first row.

Only at those two moments: a freeze also takes whatever cyclic garbage exists then, and frozen
garbage is never freed. Each Users reload used to freeze the Sentera and Links screens closed a
moment before (whole widget trees, ~3-4 MB a cycle in the soak test, invisible to gc.get_objects).
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_once() -> bool:
    """Freeze now if this process has not yet; True when it did."""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.freeze()
    return True


def freeze_imports() -> None:
    """Freeze the modules imported so far, before the app starts and before any screen exists."""
    gc.freeze()
