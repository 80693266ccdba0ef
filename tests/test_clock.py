from datetime import UTC, datetime

import pytest

from leaf_tui.common import clock


def test_frozen_clock_and_restore() -> None:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with clock.frozen(at):
        assert clock.now() == at
    assert clock.now() != at
    assert clock.now().tzinfo is not None


def test_freeze_rejects_naive_time() -> None:
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 3, 2))
