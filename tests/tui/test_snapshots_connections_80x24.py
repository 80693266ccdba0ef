"""Every snapshot of test_snapshots_connections, at 80x24."""

from tests.tui.small_terminal import snap_compare  # noqa: F401  (overrides the plugin's)
from tests.tui.test_snapshots_connections import *  # noqa: F403  (the same cases)
