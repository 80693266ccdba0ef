"""Issue 12: keys can be remapped by their id in settings.toml's [keymap], as Posting and
Harlequin allow; an id that names no key is reported with the ids there are."""

from __future__ import annotations

from typing import Any

from leaf_tui.common import paths
from leaf_tui.domain import config
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.users import UsersScreen
from leaf_tui.tui.widgets.users_table import UsersTable
from tests.tui.conftest import SIZE
from tests.tui.screen_text import footer_row
from tests.tui.toasts import toasts

SETTINGS = """
[keymap]
"users.delete" = "ctrl+d"
"users.down" = "ctrl+j,j"
"users.nothing" = "z"
"""


async def test_keys_remapped_in_settings(make_app: Any, ready: Any, wait_for: Any) -> None:
    path = config.settings_path()
    paths.ensure(path.parent)
    path.write_text(SETTINGS, encoding="utf-8")
    assert config.load_settings().keymap["users.delete"] == "ctrl+d"
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        notes = [said for _, said in toasts(app)]
        assert any("users.nothing" in note and "users.delete" in note for note in notes), notes
        table = app.screen.query_one(UsersTable)
        await pilot.press("ctrl+j", "j")
        assert table.cursor_row == 2
        await pilot.press("D")  # no longer delete
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        assert "^d" in footer_row(app)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirm")


def test_a_keymap_entry_that_is_not_keys_is_set_aside(tmp_path: Any) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[keymap]\n"users.delete" = 3\n"users.add" = "A"\n', encoding="utf-8")
    settings = config.load_settings(path)
    assert settings.keymap == {"users.add": "A"}
    assert any("keymap.users.delete" in warning for warning in settings.warnings)


def test_an_unclear_read_only_is_read_only(tmp_path: Any) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[profiles.prod]\nread_only = "yes"\n', encoding="utf-8")
    settings = config.load_settings(path)
    assert settings.profiles["prod"].read_only
    assert any("read_only" in warning for warning in settings.warnings)
