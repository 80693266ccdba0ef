"""Issue 13: a worker whose screen closes while it awaits a slow answer. A Users worker ended in
NoMatches('#user-detail-body'): the screen's widgets are removed first, the screen (and the
cancelling of its workers) last, and an answer landing in between found its widget gone. Every
worker that writes to widgets goes through `ui_work`, which ends such a worker quietly."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import WorkerFailed, WorkerState

from leaf_tui.tui.workers import ui_work

pytestmark = pytest.mark.edge("screen closed under a worker")


class Body(Static):
    """Tells the test when it is removed: the answer arrives at exactly that moment."""

    def __init__(self, removed: asyncio.Event) -> None:
        super().__init__("waiting", id="body")
        self.removed = removed

    def on_unmount(self) -> None:
        self.removed.set()


class SlowScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.removed = asyncio.Event()
        self.wrote = False

    def compose(self) -> ComposeResult:
        yield Body(self.removed)

    async def _answer_then_write(self) -> str:
        await self.removed.wait()  # the slow answer lands as the screen's widgets go
        self.query_one("#body", Static).update("answer")
        self.wrote = True
        return "done"

    @ui_work(exit_on_error=False)
    async def guarded(self) -> str:
        return await self._answer_then_write()

    @work(exit_on_error=False)
    async def unguarded(self) -> str:
        return await self._answer_then_write()


class Host(App[None]):
    pass


async def _pop_during_answer(which: str) -> Any:
    app = Host()
    async with app.run_test() as pilot:
        screen = SlowScreen()
        await app.push_screen(screen)
        worker = getattr(screen, which)()
        await pilot.pause()
        app.pop_screen()
        for _ in range(50):
            await pilot.pause()
            if worker.is_finished:
                break
        return worker, screen, app


async def test_without_the_guard_the_race_is_real() -> None:
    """The check that the staging is faithful: a plain @work fails with NoMatches."""
    worker, screen, _ = await _pop_during_answer("unguarded")
    assert worker.state is WorkerState.ERROR
    assert type(worker.error).__name__ == "NoMatches"
    assert not screen.wrote


async def test_a_worker_whose_screen_closed_ends_quietly() -> None:
    worker, screen, _ = await _pop_during_answer("guarded")
    assert worker.state is WorkerState.SUCCESS  # it ran to the lookup, which was forgiven
    assert worker.error is None
    assert not screen.wrote


class Exiting(SlowScreen):
    """The same race as the app ends: the screen stays on the stack while its widgets go
    (CI once failed on `NoMatches('#users-count')` as a test's app closed)."""

    @ui_work()
    async def guarded_ending_the_app(self) -> str:
        return await self._answer_then_write()

    @work()
    async def unguarded_ending_the_app(self) -> str:
        return await self._answer_then_write()


async def _end_app_during_answer(which: str) -> Exiting:
    app = Host()
    async with app.run_test() as pilot:
        screen = Exiting()
        await app.push_screen(screen)
        getattr(screen, which)()
        await pilot.pause()
    return screen


async def test_without_the_guard_the_race_at_the_end_is_real() -> None:
    with pytest.raises(WorkerFailed, match="NoMatches"):
        await _end_app_during_answer("unguarded_ending_the_app")


async def test_a_worker_whose_app_is_ending_ends_quietly() -> None:
    screen = await _end_app_during_answer("guarded_ending_the_app")
    assert not screen.wrote


async def test_a_missing_widget_on_a_shown_screen_still_raises() -> None:
    """The guard is for screens that went away, not for a bug on a screen still shown."""

    class Broken(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("x")

        @ui_work(exit_on_error=False)
        async def write(self) -> None:
            self.query_one("#nowhere", Static).update("y")

    app = Host()
    async with app.run_test() as pilot:
        screen = Broken()
        await app.push_screen(screen)
        worker = screen.write()
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        assert type(worker.error).__name__ == "NoMatches"


async def test_users_screen_closed_during_a_slow_answer_keeps_the_app_running(
    make_app: Any, sandbox_control: Any, ready: Any, wait_for: Any
) -> None:
    """The real screen: the detail's Sentera answer is slow (sandbox latency) and the Users
    screen is closed while it is on its way; the app carries on with no worker error."""
    from leaf_tui.tui.screens.users import UsersScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        users = app.screen
        assert isinstance(users, UsersScreen)
        await sandbox_control.post("/_sandbox/faults", json={"latency_ms": 300})
        await pilot.press("down", "down")
        await pilot.pause()
        app.pop_screen()
        await wait_for(pilot, lambda: not users.is_attached, what="the Users screen to close")
        await asyncio.sleep(0.5)  # the slow answers land after the screen went
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


def test_every_worker_of_a_screen_or_widget_goes_through_ui_work() -> None:
    """The guard is in one place; a new screen gets it by using `ui_work` instead of `work`."""
    import re
    from pathlib import Path

    import leaf_tui.tui

    root = Path(leaf_tui.tui.__file__).parent
    plain = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("screens", "widgets")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(r"\s*@work\b", line)
    ]
    assert plain == [], f"use @ui_work (leaf_tui/tui/workers.py) in: {plain}"
