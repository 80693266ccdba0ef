"""The installed Textual's version, for the workaround guarded by it (styles_cache_fix), read
without importing importlib.metadata.

`textual.__version__` asks importlib.metadata, whose import (email, zipfile, csv...) cost 10-25 ms
of every start (benchmarks/README.md, start-up). The version is in the name of the
`textual-X.Y.Z.dist-info` folder beside the package, which is where importlib.metadata reads it;
when that folder is not found once and only once (another kind of install), importlib.metadata
answers after all.
"""

from __future__ import annotations

import os
from functools import cache

import textual


@cache
def installed() -> str:
    """E.g. "8.2.8"."""
    site = os.path.dirname(os.path.dirname(os.path.realpath(textual.__file__)))
    found = [n for n in os.listdir(site) if n.startswith("textual-") and n.endswith(".dist-info")]
    if len(found) == 1:
        return found[0].removeprefix("textual-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("textual")
