"""Branding presets and the wizard's remembered choices, stored under the config dir."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from leaf_tui.api.models import LinkKind, LinkSettings
from leaf_tui.common import paths
from leaf_tui.domain.presets import FILE_NAME, LastUsed, PresetStore

BRAND = LinkSettings(
    background_color="#27AE60",
    company_name="Prairie Co-op",
    company_logo="https://example.com/logo.png",
    header_image="https://example.com/header.jpg",
    show_leaf_user_name=True,
    disconnect_enabled=True,
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PresetStore:
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path))
    return PresetStore()


def test_empty_store(store: PresetStore) -> None:
    assert store.branding() == []
    assert store.last_used() == LastUsed()
    assert not store.path.exists()


def test_branding_saved_under_config_dir_and_read_back(store: PresetStore) -> None:
    saved = store.save_branding("  Prairie  ", BRAND)
    assert saved.name == "Prairie"
    assert store.path == paths.config_dir() / FILE_NAME
    assert store.path.is_file()
    # A fresh store (next session) offers it; disconnectEnabled is per link, not per brand.
    again = PresetStore().branding()
    assert [p.name for p in again] == ["Prairie"]
    assert again[0].settings.company_name == "Prairie Co-op"
    assert again[0].settings.background_color == "#27AE60"
    assert again[0].settings.show_leaf_user_name is True
    assert again[0].settings.disconnect_enabled is None


def test_branding_sorted_replaced_and_deleted(store: PresetStore) -> None:
    store.save_branding("zeta", LinkSettings(company_name="Z"))
    store.save_branding("Alpha", LinkSettings(company_name="A"))
    store.save_branding("zeta", LinkSettings(company_name="Z2"))
    assert [(p.name, p.settings.company_name) for p in store.branding()] == [
        ("Alpha", "A"),
        ("zeta", "Z2"),
    ]
    assert store.get_branding("zeta") is not None
    store.delete_branding("zeta")
    assert [p.name for p in store.branding()] == ["Alpha"]
    assert store.get_branding("zeta") is None


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the preset a name"), ("   ", "Give the preset a name"), ("x" * 61, "60")],
)
def test_bad_names_rejected(store: PresetStore, name: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.save_branding(name, BRAND)
    assert store.branding() == []


def test_last_used_remembered(store: PresetStore) -> None:
    store.remember(LinkKind.AUTHENTICATION, ("Trimble",), 3600)
    assert PresetStore().last_used() == LastUsed(LinkKind.AUTHENTICATION, ("Trimble",), 3600)
    # A file-upload link has no providers: the earlier ones stay remembered.
    store.remember(LinkKind.FILE_UPLOAD, (), 86400)
    assert store.last_used() == LastUsed(LinkKind.FILE_UPLOAD, ("Trimble",), 86400)


def test_presets_and_last_used_coexist(store: PresetStore) -> None:
    store.save_branding("Prairie", BRAND)
    store.remember(LinkKind.PROVIDER, ("JohnDeere", "CNHI"), 900)
    assert [p.name for p in store.branding()] == ["Prairie"]
    assert store.last_used().providers == ("JohnDeere", "CNHI")


def test_damaged_file_is_set_aside_not_fatal(store: PresetStore) -> None:
    paths.ensure(store.path.parent)
    store.path.write_text("{not json", encoding="utf-8")
    assert store.branding() == []
    assert store.path.with_suffix(".json.bad").read_text(encoding="utf-8") == "{not json"
    store.save_branding("Prairie", BRAND)
    assert [p.name for p in store.branding()] == ["Prairie"]


def test_hand_edited_nonsense_is_ignored(store: PresetStore) -> None:
    paths.ensure(store.path.parent)
    store.path.write_text(
        json.dumps(
            {
                "branding": {"ok": {"companyName": "Fine"}, "bad": 3},
                "lastUsed": {"kind": "teleport", "providers": ["JohnDeere", 7], "expiresIn": 5},
            }
        ),
        encoding="utf-8",
    )
    assert [p.name for p in store.branding()] == ["ok"]
    assert store.last_used() == LastUsed(None, ("JohnDeere",), None)


def test_write_leaves_no_temp_files(store: PresetStore) -> None:
    store.save_branding("A", BRAND)
    store.remember(LinkKind.PROVIDER, ("Stara",), 900)
    assert sorted(os.listdir(store.path.parent)) == [FILE_NAME]
