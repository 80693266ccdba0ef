"""Hold off the cyclic garbage collector while a large answer is decoded.

Decoding 20,000 events makes ~40,000 short-lived dicts and lists. With the collector on, they
outlive several young collections while the decode runs, get promoted to the oldest generation
and set off full collections, each of which walks every tracked object with the GIL held: the
UI loop froze for 30-70 ms at a time while polling. Paused, they die by reference counting as
soon as they are converted, and nothing is promoted. Process-wide, so nested and concurrent
holders (worker threads) share one count; a collector someone else disabled stays disabled.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_enable_after = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _holders, _enable_after
    with _lock:
        if _holders == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _enable_after:
                gc.enable()
