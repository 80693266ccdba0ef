"""The app shell: start-up, navigation by keys, help, palette, errors and login-and-resume."""

from __future__ import annotations

from leaf_tui.tui.screens.users import UsersScreen

SIZE = (120, 40)


async def test_starts_on_users_with_header(make_app, ready):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, UsersScreen)
        header = app.screen.query_one("LeafHeader")
        rendered = str(header.render())
        assert "SANDBOX" in rendered
        assert "http://sandbox.test" in rendered
        assert "expires in" in rendered
