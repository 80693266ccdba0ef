"""`uv tool install .` puts a working `leaf-tui` on the PATH, sandbox included: the installed
command (not this checkout) answers, its embedded sandbox starts as a child process, and the
dashboard, styles and all, shows the first grower. Installed from uv's cache (`--offline`)
where `uv sync` has filled it enough, else with the index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The installed package (the tool's own python, run outside the checkout) shows the dashboard
# on its embedded sandbox; headless, so an SVG of the screen stands for the terminal.
SHOW_FIRST_ROW = """
import asyncio, sys
import leaf_tui
from leaf_tui.domain.session import open_session
from leaf_tui.tui.app import LeafApp

async def main():
    app = LeafApp(connect=lambda: open_session())
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(150):
            await asyncio.sleep(0.2)
            if app.connected:
                await pilot.pause()
                if sys.argv[1] in app.export_screenshot().replace("&#160;", " "):
                    print("shown", leaf_tui.__file__)
                    return
    print("not shown")

asyncio.run(main())
"""


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on the PATH")
def test_uv_tool_install_gives_a_working_leaf_tui(tmp_path: Path) -> None:
    tools, bin_dir, home = tmp_path / "tools", tmp_path / "bin", tmp_path / "home"
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(tools),
        "UV_TOOL_BIN_DIR": str(bin_dir),
        "LEAF_TUI_HOME": str(home),
    }
    for name in ("LEAF_PROFILE", "LEAF_API_URL", "LEAF_TOKEN", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)

    def install(*how: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["uv", "tool", "install", *how, "--compile-bytecode", str(ROOT)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    # From uv's cache where it can; a fresh machine's `uv sync --locked` fetched the locked files
    # but not the index pages a tool install resolves against, so there it asks the index.
    installed = install("--offline")
    if installed.returncode != 0 and "network was disabled" in installed.stderr:
        installed = install()
    assert installed.returncode == 0, installed.stderr
    leaf_tui = bin_dir / "leaf-tui"
    assert leaf_tui.exists()

    def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,  # away from the checkout: only the installed package can answer
            timeout=120,
        )

    version = run(leaf_tui, "--version")
    assert version.returncode == 0 and version.stdout.startswith("leaf-tui "), version.stderr

    links = run(leaf_tui, "link", "list", "--json")  # on the embedded sandbox
    assert links.returncode == 0, links.stderr
    assert len(json.loads(links.stdout)) > 0
    assert all(x["link"].startswith("http://127.0.0.1:") for x in json.loads(links.stdout))

    python = next((tools / "leaf-tui" / "bin").glob("python*"))
    first = "Ava Anderson"  # the demo's first grower by name (seed 7)
    shown = run(python, "-c", SHOW_FIRST_ROW, first)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("shown "), shown.stdout + shown.stderr
    assert str(tools) in shown.stdout  # the tool's copy, not this checkout
    assert str(ROOT) not in shown.stdout
