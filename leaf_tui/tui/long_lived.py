"""Take what lives all day out of the cyclic collector's view, once per process.

`gc.freeze()` moves every object the collector tracks into a generation it never walks again
(refcounting still frees them). After the first user index arrives that is the imported modules
and the index: full collections walked them on every pass (104 ms; benchmarks/README.md).

Once, never again: a freeze also takes whatever cyclic garbage exists at that moment, and frozen
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
