"""The Users screen's detail pane keeps the Leaf ID on one line, and `y` copies it whole."""

from __future__ import annotations

from typing import Any

from leaf_tui.tui.screens.help import HelpScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.user_detail import UserDetail
from tests.tui.test_sentera import SIZE, screen_text
from tests.tui.toasts import toast_says


def detail_lines(app: Any) -> list[str]:
    """The detail pane's lines as shown (the part of the screen right of the table)."""
    pane = app.screen.query_one(UserDetail).region
    lines = screen_text(app).splitlines()[pane.y : pane.bottom]
    return [line[pane.x : pane.right].strip() for line in lines]


async def test_the_leaf_id_is_one_line_and_y_copies_it(
    make_app, ready, wait_for, clipboard_backend
):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        await wait_for(pilot, lambda: screen.current_user() is not None, what="a user")
        user = screen.current_user()
        assert user is not None
        await wait_for(
            pilot, lambda: any(line.startswith("ID ") for line in detail_lines(app)), what="ID"
        )
        lines = detail_lines(app)
        at = next(i for i, line in enumerate(lines) if line.startswith("ID "))
        shown = lines[at].removeprefix("ID").strip()
        # the pane (29 columns at 120) is narrower than an ID: one line, cut with an ellipsis,
        # and the next line is the key that copies it, not the ID's tail
        assert shown.endswith("…") and user.id.startswith(shown[:-1])
        assert lines[at + 1] == "y copies the ID"

        await pilot.press("y")
        await wait_for(pilot, lambda: clipboard_backend == [user.id], what="the copy")
        await wait_for(
            pilot,
            lambda: toast_says(app, f"Leaf ID of {user.display_name}"),
            what="the notification",
        )
        # hidden from the full footer, but listed in help
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert any(
            " y " in f" {line} " and "Copy the Leaf ID" in line
            for line in screen_text(app).splitlines()
        )
