"""Where leaf-tui keeps its files. `LEAF_TUI_HOME` moves all of them (tests isolate through it)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "leaf-tui"


def _home() -> Path | None:
    home = os.environ.get("LEAF_TUI_HOME")
    return Path(home) if home else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME))


def ensure(path: Path) -> Path:
    """Create a private directory (0700) if missing and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
