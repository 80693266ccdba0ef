"""How the benchmarks start the programs they measure: the floor app, and leaf-tui pointed at
the seeded sandbox the way a real profile would be (LEAF_API_URL + LEAF_TOKEN, an empty
LEAF_TUI_HOME so nothing from this machine's config leaks in)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from common import HERE, PYTHON
from floor_app import READY_TEXT as FLOOR_TEXT
from floor_http_app import READY_TEXT as FLOOR_HTTP_TEXT

__all__ = [
    "FLOOR_HTTP_TEXT",
    "FLOOR_TEXT",
    "Command",
    "floor_command",
    "floor_http_command",
    "leaf_command",
    "sandbox_command",
]


@dataclass
class Command:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


# What a modern terminal emulator says about itself: Textual then writes 24-bit colour.
TERMINAL_ENV = {"COLORTERM": "truecolor"}


def floor_command() -> Command:
    return Command([PYTHON, str(HERE / "floor_app.py")], dict(TERMINAL_ENV))


def floor_http_command(base_url: str, token: str) -> Command:
    """The floor plus the HTTP stack: one GET of the first users page before its label."""
    url = f"{base_url}/services/usermanagement/api/users?page=0&size=100"
    return Command([PYTHON, str(HERE / "floor_http_app.py"), url, token], dict(TERMINAL_ENV))


_HOME: tempfile.TemporaryDirectory[str] | None = None


def _home() -> str:
    global _HOME
    if _HOME is None:
        _HOME = tempfile.TemporaryDirectory(prefix="leaf-bench-home-")
    return _HOME.name


_SANDBOX_HOME: tempfile.TemporaryDirectory[str] | None = None


def _sandbox_home() -> str:
    global _SANDBOX_HOME
    if _SANDBOX_HOME is None:
        _SANDBOX_HOME = tempfile.TemporaryDirectory(prefix="leaf-bench-sandbox-home-")
    return _SANDBOX_HOME.name


def _tree_env() -> dict[str, str]:
    """LEAF_BENCH_TREE=PATH measures the leaf_tui of another checkout (e.g. a commit before a
    change, `git worktree add --detach`) with the same interpreter and dependencies."""
    tree = os.environ.get("LEAF_BENCH_TREE")
    # PYTHONSAFEPATH: `-m` (and the sandbox child's) puts the working directory first on the
    # path, before PYTHONPATH: run from the repo's root, the checkout's leaf_tui was measured
    # instead of the tree's
    return {"PYTHONPATH": tree, "PYTHONSAFEPATH": "1"} if tree else {}


def leaf_command(base_url: str, token: str, *args: str) -> Command:
    """`python -m leaf_tui` (what the `leaf-tui` script runs) against base_url with token."""
    env = {
        **TERMINAL_ENV,
        "LEAF_API_URL": base_url,
        "LEAF_TOKEN": token,
        "LEAF_TUI_HOME": _home(),
        "LEAF_PROFILE": "",
        **_tree_env(),
    }
    env = {k: v for k, v in env.items() if v or k not in os.environ}
    return Command([PYTHON, "-m", "leaf_tui", *args], env)


def sandbox_command() -> Command:
    """`python -m leaf_tui` with no profile: the embedded sandbox (the default), on data kept
    from the run before (one home for all runs, seeded by the first), as a user's second start."""
    env = {
        **TERMINAL_ENV,
        "LEAF_API_URL": "",
        "LEAF_TOKEN": "",
        "LEAF_TUI_HOME": _sandbox_home(),
        "LEAF_PROFILE": "",
        **_tree_env(),
    }
    return Command([PYTHON, "-m", "leaf_tui"], env)
