"""Small helpers every screen uses to reach the app's services with types."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from leaf_tui.tui.app import LeafApp


def leaf_app(node: DOMNode) -> LeafApp:
    """The running `LeafApp`, typed: `leaf_app(self).client.users.get(...)`."""
    return cast("LeafApp", node.app)
