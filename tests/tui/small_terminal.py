"""The 80x24 snapshot modules: every case of a 120x40 snapshot module, taken again at 80x24
(the default of most terminals and SSH sessions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

SMALL = (80, 24)


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """The plugin's snap_compare, at 80x24 whatever size the case asks for."""

    def at_80x24(app: Any, **options: Any) -> bool:
        return snap_compare(app, **{**options, "terminal_size": SMALL})

    return at_80x24
