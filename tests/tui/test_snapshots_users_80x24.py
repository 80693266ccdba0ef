"""Every snapshot of test_snapshots_users, at 80x24."""

from tests.tui.small_terminal import snap_compare  # noqa: F401  (overrides the plugin's)
from tests.tui.test_snapshots_users import *  # noqa: F403  (the same cases)


def test_users_detail_alone(snap_compare, make_app):  # noqa: F811  (the fixture, at 80x24)
    """At 80 columns the detail pane gave way to the table; `i` shows it alone."""
    assert snap_compare(make_app(), run_before=steps(press("i")))  # noqa: F405
