"""`ui_work`: Textual's `@work` for a worker that writes to widgets, guarded once for all of them.

A worker awaits a slow answer, then updates its widgets; if its screen was closed meanwhile (the
person went back, switched profile), the widgets are being removed and `query_one` raises
NoMatches (a Users worker ended on `NoMatches('#user-detail-body')`, another on
`NoMatches('#users-count')` as the app closed), which ended the app. With `ui_work` that lookup
failure, when the screen is gone or going, ends the worker quietly (a line in the Textual log);
the same failure on a screen still shown is a real bug and still raises.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from textual import work
from textual.css.query import NoMatches
from textual.dom import DOMNode, NoScreen
from textual.worker import Worker

P = ParamSpec("P")
R = TypeVar("R")


def still_shown(node: DOMNode) -> bool:
    """Whether `node` is in the DOM of a screen that is on the app's stack and not being
    removed. As the app ends, its screens stay on the stack while their widgets go; a screen
    being removed has `display` False (Textual's public reading of a closing node)."""
    if not node.is_attached:
        return False
    try:
        screen = node.screen
    except NoScreen:
        return False
    return screen in node.app.screen_stack and screen.display


def ui_work(
    **work_options: Any,
) -> Callable[[Callable[P, Coroutine[Any, Any, R]]], Callable[P, Worker[R]]]:
    """`@ui_work(exclusive=True, group="...")` on a widget's or screen's async method: `@work`
    with the same options, whose lookups of vanished widgets end it quietly."""

    def decorate(method: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Worker[R]]:
        @functools.wraps(method)
        async def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return await method(*args, **kwargs)
            except (NoMatches, NoScreen):
                node = args[0]
                if isinstance(node, DOMNode) and still_shown(node):
                    raise
                if isinstance(node, DOMNode) and node.is_attached:
                    node.log.debug(f"{method.__qualname__}: its screen closed meanwhile")
                return None

        worker: Callable[P, Worker[R]] = work(**work_options)(guarded)
        return worker

    return decorate
