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


class CannotCreate(OSError):
    """A directory of ours cannot be made (a file in the way, no permission); the message names
    it and, when LEAF_TUI_HOME placed it, says so."""


def ensure(path: Path) -> Path:
    """Create `path` and any missing parents private (0700, whatever the umask) and return it.
    Directories that exist already are left as they are: they are the person's to set."""
    missing: list[Path] = []
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    try:
        for directory in reversed(missing):
            try:
                directory.mkdir(mode=0o700)
            except FileExistsError:
                continue  # made meanwhile by another process: theirs to set
            directory.chmod(0o700)  # mkdir's mode passes through the umask
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)  # raises the clear error below
    except OSError as exc:
        raise CannotCreate(f"cannot create the folder {path}: {why(exc)}{home_hint()}") from None
    return path


def why(exc: OSError) -> str:
    """The reason in words: "a file is in the way" rather than errno 17 or 20."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a file is in the way"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def home_hint() -> str:
    home = _home()
    if home is None:
        return ""
    return f" (LEAF_TUI_HOME={str(home)!r} must be a folder you can write to, or unset)"
