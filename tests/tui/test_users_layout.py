"""The Users screen at 80x24, 100x30 and 120x40, checked on what the terminal shows: every
column whole, statuses never cut ("● O"), names and emails cut with "…" only (at a word's end
for names), and the detail pane beside the table where it is readable, else shown alone on `i`
or enter, with the email never broken mid-word."""

from __future__ import annotations

from typing import Any

import pytest

from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.user_detail import UserDetail
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.screen_text import screen_lines

HEADERS = ("Name", "Email", "External ID", "Connections", "Sentera")


def table_rows(app: Any) -> tuple[str, list[str]]:
    """The table's header line and its rows, as shown."""
    lines = screen_lines(app)
    at = next(i for i, line in enumerate(lines) if all(h in line for h in HEADERS))
    rows = [line for line in lines[at + 1 : -1] if "CRM-" in line]
    return lines[at], rows


def check_rows(app: Any, users: dict[str, Any]) -> int:
    """Every shown row's cells are whole or cut with "…" (names at a word's end); returns how
    many rows were checked."""
    header, rows = table_rows(app)
    starts = [header.index(h) for h in HEADERS]
    assert rows
    for row in rows:
        ends = [*starts[1:], starts[-1] + 10]  # the status column, not the scrollbar
        cells = [row[a:b].strip() for a, b in zip(starts, ends, strict=True)]
        name, email, external_id, _providers, sentera = cells
        user = users[external_id]
        assert name == user.name or (
            name.endswith("…") and (user.name + " ").startswith(name[:-1] + " ")
        ), (name, user.name)
        assert email == user.email or (email.endswith("…") and user.email.startswith(email[:-1])), (
            email,
            user.email,
        )
        assert sentera in ("—", "● OK", "● UNAUTH", "● connected"), row  # never "● O"
    return len(rows)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_narrow_terminals_show_the_table_whole_and_the_detail_on_i(
    make_app, ready, wait_for, size
):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        users = {u.external_id: u for u in await app.client.users.list_all()}
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        header, _ = table_rows(app)
        assert header.rstrip().endswith("Sentera")  # the last column whole, on screen
        assert check_rows(app, users) >= size[1] - 7
        detail = screen.query_one(UserDetail)
        assert not detail.display or not detail.region.width  # gave way to the table
        # the longest email of the demo, shown whole in the detail pane on `i`
        user = max(users.values(), key=lambda u: len(u.email or ""))
        table = screen.query_one(UsersTable)
        table.move_cursor(row=table.keys.index(user.id))
        await pilot.pause()
        await pilot.press("i")
        await wait_for(pilot, lambda: detail.has_focus and detail.region.width > 0, what="detail")
        await wait_for(pilot, lambda: any(user.email in line for line in screen_lines(app)))
        assert not any("External ID  Connections" in line for line in screen_lines(app))
        assert any(line.lstrip().startswith(user.display_name) for line in screen_lines(app))
        await pilot.press("escape")  # back to the table, where the cursor was
        await wait_for(pilot, lambda: table.has_focus, what="the table")
        assert check_rows(app, users) and screen.current_user() == user


async def test_at_120_columns_the_detail_pane_is_beside_the_table(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        users = {u.external_id: u for u in await app.client.users.list_all()}
        screen = app.screen
        check_rows(app, users)
        detail = screen.query_one(UserDetail)
        table = screen.query_one(UsersTable)
        assert detail.region.x >= table.region.right and detail.region.right == 120
        assert detail.region.width >= 30
        assert not screen.check_action("show_detail", ())  # nothing to show: it is there
