"""Command palette providers: every action of the current screen and the app, with its key,
and (when profiles are configured) a profile switcher."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

if TYPE_CHECKING:
    from leaf_tui.tui.app import LeafApp


def _ours(node: DOMNode) -> bool:
    """Only our screens/widgets and the app contribute: Textual's own widget bindings
    (cursor keys, input editing) are not "actions" a person looks up."""
    return node is node.app or type(node).__module__.startswith("leaf_tui.")


def _enabled(node: DOMNode, action: str) -> bool:
    name = action.split("(", 1)[0]
    target = node
    if name.startswith("app."):
        target, name = node.app, name[4:]
    elif name.startswith("screen."):
        target, name = node.screen, name[7:]
    return target.check_action(name, ()) is not False


def palette_actions(screen: Any) -> Iterator[tuple[str, str, DOMNode, Binding]]:
    """(title, key display, node, binding) for every described, enabled action reachable from
    `screen`: the focused widget's chain, the screen, then the app (first binding wins)."""
    app = screen.app
    nodes: list[DOMNode] = []
    focused = screen.focused
    if focused is not None:
        nodes.extend(n for n in focused.ancestors_with_self if n is not app and n is not screen)
    nodes.extend([screen, app])
    # One entry per action: the nearest node wins; within it, a binding shown in the footer
    # wins over a hidden one (so Quit shows `q`, not Textual's own ctrl+q).
    chosen: dict[str, tuple[DOMNode, Binding]] = {}
    for node in nodes:
        if not _ours(node):
            continue
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if not binding.description or not _enabled(node, binding.action):
                    continue
                held = chosen.get(binding.action)
                if held is None or (held[0] is node and binding.show and not held[1].show):
                    chosen[binding.action] = (node, binding)
    for node, binding in chosen.values():
        yield binding.description, app.get_key_display(binding), node, binding


class ActionsProvider(Provider):
    """Each action as "Description" with help "key: x" so people learn the shortcut."""

    def _items(self) -> list[tuple[str, str, Any]]:
        app = self.app
        items = []
        for title, key, node, binding in palette_actions(self.screen):
            callback = partial(app.run_action, binding.action, node)
            items.append((title, key, callback))
        return items

    async def discover(self) -> Hits:
        for title, key, callback in self._items():
            yield DiscoveryHit(title, callback, help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, callback in self._items():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=f"key: {key}")


class ProfilesProvider(Provider):
    """ "Switch profile: NAME" for every configured profile except the active one."""

    def _profiles(self) -> list[str]:
        try:
            from leaf_tui import config
        except ImportError:
            return []
        lister = getattr(config, "profile_names", None)
        if lister is None:
            return []
        try:
            names = list(lister())
        except Exception:
            return []
        app: LeafApp = self.app  # type: ignore[assignment]
        current = getattr(app.session, "profile_name", None)
        return [name for name in names if name != current]

    async def discover(self) -> Hits:
        app: LeafApp = self.app  # type: ignore[assignment]
        for name in self._profiles():
            yield DiscoveryHit(
                f"Switch profile: {name}", partial(app.switch_profile, name), help="reconnect"
            )

    async def search(self, query: str) -> Hits:
        app: LeafApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for name in self._profiles():
            title = f"Switch profile: {name}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.switch_profile, name))
