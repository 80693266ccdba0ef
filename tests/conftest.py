"""Root fixtures: the Leaf sandbox, in process (ASGITransport) and on a real loopback port."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings
from reliability.tally import TALLY
from starlette.applications import Starlette

from leaf_tui.api import LeafClient
from leaf_tui.sandbox.app import SandboxConfig, create_app
from leaf_tui.sandbox.server import RunningSandbox, start_in_thread
from tests.seeded_copy import seeded_copy

# CI (.ci/run sets CI=1) draws the property tests' examples from a fixed seed, so a run there can
# be repeated here example for example; elsewhere each run draws new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

FROZEN_NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
SANDBOX_BASE = "http://sandbox.test"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real config, data or log directories."""
    monkeypatch.setenv("LEAF_TUI_HOME", str(tmp_path / "leaf-tui-home"))


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """In-memory sandbox, clock frozen at 2026-03-02T09:00:00Z, seed 7, activity off."""
    return SandboxConfig(db_path=":memory:", seed=7, activity=False, now=lambda: FROZEN_NOW)


@pytest.fixture
def sandbox_app(sandbox_config: SandboxConfig) -> Iterator[Starlette]:
    with seeded_copy(sandbox_config) as cfg:
        app = create_app(cfg)
    yield app
    app.state.sandbox.close()


@pytest.fixture
async def asgi_http(sandbox_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A raw httpx client on the sandbox app (no auth), base http://sandbox.test."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=SANDBOX_BASE) as client:
        yield client


@pytest.fixture
def live_sandbox(sandbox_config: SandboxConfig) -> Iterator[RunningSandbox]:
    """The sandbox served by uvicorn on 127.0.0.1 at a free port, in a daemon thread."""
    with seeded_copy(sandbox_config) as cfg:
        running = start_in_thread(cfg, host="127.0.0.1", port=0)
    yield running
    running.stop()


# --- the service layer on the sandbox (API engineer) ---------------------------------------------
DEMO_OWNER = ("support@sandbox.local", "sandbox")


@pytest.fixture
async def leaf_client(sandbox_app: Starlette) -> AsyncIterator[LeafClient]:
    """A LeafClient over ASGITransport, signed in as the demo owner."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with LeafClient(SANDBOX_BASE, transport=transport) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        yield client


@pytest.fixture
async def live_client(live_sandbox: RunningSandbox) -> AsyncIterator[LeafClient]:
    """A LeafClient on the loopback sandbox (real sockets), signed in as the demo owner."""
    async with LeafClient(live_sandbox.base_url) as client:
        await client.auth.authenticate(*DEMO_OWNER)
        yield client


# --- issue 6's counts, one summary for the whole run --------------------------------------------


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its share of the counts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["leaf_tally"] = TALLY.to_json()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """The controller adds up what each worker counted."""
    share = getattr(node, "workeroutput", {}).get("leaf_tally")
    if share:
        TALLY.merge(share)


# The long tier (files, or single tests as path::name): minutes each, and they drive the whole app
# many times over. Out of the default run so it stays under 5 minutes on 2 cores (CI once took
# 5m16); `uv run pytest -m slow` runs them, .ci/run both.
LONG_TIER = (
    "tests/reliability/test_soak.py",
    "tests/reliability/test_fault_matrix.py",
    "tests/reliability/test_properties_inputs.py",
    "tests/reliability/test_properties_sandbox.py",
    "tests/reliability/test_edges_properties.py",
    "tests/test_packaging.py",
    # every text field, three ways each: ~30 s of the default run's CPU; the default tier keeps
    # the typing-in-order, search-box and custom-expiry tests of the same keyboard paths
    "tests/tui/test_fields_keep_every_key.py::test_wizard_fields",
    "tests/tui/test_fields_keep_every_key.py::test_user_form_fields",
    "tests/tui/test_fields_keep_every_key.py::test_sentera_connect_form_fields",
    "tests/tui/test_fields_keep_every_key.py::test_login_fields",
)


LONG_TIER_TIMEOUT = 1500  # seconds a long-tier test may take before it fails (pyproject: 300)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        path = item.path.relative_to(root).as_posix()
        if path in LONG_TIER or f"{path}::{item.name}" in LONG_TIER:
            item.add_marker(pytest.mark.slow)
            # the soak takes 2 minutes on a quiet machine and 8 under heavy load
            item.add_marker(pytest.mark.timeout(LONG_TIER_TIMEOUT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: the long tier, left out by default; `uv run pytest -m slow` runs it"
    )
    config.addinivalue_line(
        "markers", "edge(kind): a failure at the edges (issue 13), counted in the tally by kind"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Each passing test marked `edge(kind)` counts one case of that kind in the tally."""
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("edge")
    if marker is not None and report.when == "call" and report.passed:
        TALLY.edge_cases[str(marker.args[0])] += 1


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    TALLY.write_summary(terminalreporter)
