"""Issue 12: the grower is on the phone: search finds them by phone number typed in any common
format (digits compared)."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.test_users import search


async def test_a_phone_number_in_any_format_finds_the_grower(
    make_app: Any, ready: Any, wait_for: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await app.client.users.list_all()
        grower = next(u for u in users if u.phone)
        digits = "".join(c for c in grower.phone if c.isdigit())
        local = digits[-10:]  # without the country code
        table = app.screen.query_one(UsersTable)
        for typed in (
            grower.phone,
            f"({local[:3]}) {local[3:6]}-{local[6:]}",
            f"{local[:3]}.{local[3:6]}.{local[6:]}",
            local,
            f"+{digits}",
        ):
            await search(pilot, typed)
            await wait_for(
                pilot, lambda: table.keys[:1] == [grower.id], what=f"{grower.name} for {typed!r}"
            )
            await pilot.press("escape")
