"""Every snapshot of test_snapshots_wizard, at 80x24."""

from tests.tui.small_terminal import snap_compare  # noqa: F401  (overrides the plugin's)
from tests.tui.test_snapshots_wizard import *  # noqa: F403  (the same cases)
