"""Issue 12, what k9s and lazygit users expect: j/k/g/G in every table (the Links kind filter
moved to K), and sorting the Users and Links tables by column with a visible indicator."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.test_links import open_links


async def test_j_k_g_G_move_the_users_cursor(make_app: Any, ready: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        assert table.has_focus and table.cursor_row == 0
        await pilot.press("j", "j", "j")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_j_k_g_G_move_the_links_cursor_and_K_filters_by_kind(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        table = screen.table
        keys = table.keys

        def row() -> int:
            link = table.current_link
            assert link is not None
            return keys.index(link.id)

        assert row() == 0
        await pilot.press("j", "j")
        assert row() == 2
        await pilot.press("k")
        assert row() == 1
        await pilot.press("G")
        assert row() == len(keys) - 1
        await pilot.press("g")
        assert row() == 0
        assert screen.filters.kind is None  # k moved the cursor, it filtered nothing
        await pilot.press("K")
        assert screen.filters.kind is not None


def header_line(app: Any, table: Any) -> str:
    from tests.tui.screen_text import screen_lines

    return screen_lines(app)[table.region.y]


async def test_users_sort_by_column_with_an_arrow_in_the_header(make_app: Any, ready: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.screen.query_one(UsersTable)
        await pilot.press("j", "j")
        highlighted = table.highlighted_key
        users = table.users

        def column(attribute: str) -> list[str]:
            return [(getattr(users[key], attribute) or "").casefold() for key in table.keys]

        await pilot.press("S")  # by name
        assert "Name ▲" in header_line(app, table)
        names = column("name")
        assert names == sorted(names)
        assert table.highlighted_key == highlighted  # the same grower stays highlighted
        await pilot.press("S")  # by email
        line = header_line(app, table)
        assert "Email ▲" in line and "Name ▲" not in line
        emails = column("email")
        assert emails == sorted(emails)
        await pilot.press("I")  # the other way round
        assert "Email ▼" in header_line(app, table)
        assert column("email") == sorted(emails, reverse=True)
        assert table.highlighted_key == highlighted


async def test_links_sort_by_column_with_an_arrow_in_the_header(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_links(pilot, ready, wait_for)
        table = screen.table
        await pilot.press("j")
        highlighted = table.current_link
        await pilot.press("S")  # by expiry, soonest first
        assert "Expires ▲" in header_line(app, table)
        expiries = [table.links[key].expires_at for key in table.keys]
        assert expiries == sorted(expiries)
        assert table.current_link is not None and table.current_link.id == highlighted.id
        await pilot.press("I")
        assert "Expires ▼" in header_line(app, table)
        assert [table.links[key].expires_at for key in table.keys] == sorted(expiries, reverse=True)
        for _ in range(3):
            await pilot.press("S")  # accessed, uses, user
        line = header_line(app, table)
        assert "User ▲" in line and "Expires ▼" not in line
        names = [screen.names.get(table.links[key].leaf_user_id or "", "") for key in table.keys]
        assert [n.casefold() for n in names] == sorted(n.casefold() for n in names)
