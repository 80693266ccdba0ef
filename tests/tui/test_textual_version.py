"""textual_version reads the installed Textual's version as importlib.metadata does (the
workaround styles_cache_fix is guarded by it)."""

from __future__ import annotations

from importlib.metadata import version

from leaf_tui.tui import textual_version


def test_the_version_is_the_one_importlib_metadata_reads() -> None:
    assert textual_version.installed() == version("textual")
