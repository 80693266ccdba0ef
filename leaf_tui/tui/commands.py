"""Command palette providers: every action of the current screen and the app, with its key,
and a profile switcher (which, with no other profile, says how to add one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape

if TYPE_CHECKING:
    from leaf_tui.tui.app import LeafApp


def _declared(node: DOMNode) -> dict[str, str]:
    """{action: tooltip} for BINDINGS of our own classes in `node`'s MRO. Textual's inherited
    bindings (tab, ctrl+c, cursor keys) are not actions a person looks up here."""
    actions: dict[str, str] = {}
    for klass in type(node).__mro__:
        if not klass.__module__.startswith("leaf_tui."):
            continue
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                actions.setdefault(item.action, item.tooltip)
            elif isinstance(item, tuple) and len(item) >= 2:
                actions.setdefault(item[1], "")
    return actions


def group_name(node: DOMNode) -> str:
    """The words help uses for the screen a node belongs to ("Users", "Magic links"), never a
    class name; the app's own actions are "Everywhere"."""
    from leaf_tui.tui.key_reference import SCREENS

    if node is node.app:
        return "Everywhere"
    names = {klass.__name__ for klass in type(node).__mro__}
    for title, classes in SCREENS:
        if any(name in names for _, name in classes):
            return title
    screen = getattr(node, "screen", None)
    if screen is not None and screen is not node:
        return group_name(screen)  # a widget of ours: the screen it is on
    return "This screen"


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
    # wins over a hidden one (so Quit shows `q`, not Textual's own ctrl+q). A key taken by a
    # nearer node shadows the farther binding (on Users, `l` is the user's links, not all links).
    chosen: dict[str, tuple[DOMNode, Binding]] = {}
    claimed: set[str] = set()
    for node in nodes:
        declared = _declared(node)
        keys_here: set[str] = set()
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                if binding.action not in declared or not binding.description:
                    continue
                if key in claimed or not _enabled(node, binding.action):
                    continue
                keys_here.add(key)
                held = chosen.get(binding.action)
                if held is None or (held[0] is node and binding.show and not held[1].show):
                    chosen[binding.action] = (node, binding)
        claimed |= keys_here
    for node, binding in chosen.values():
        title = _declared(node).get(binding.action) or binding.description
        yield title, app.get_key_display(binding), node, binding


class ActionsProvider(Provider):
    """Each action as "Description" with help "key: x" so people learn the shortcut."""

    def _items(self) -> list[tuple[str, str, Any]]:
        app = self.app
        items = []
        for title, key, node, binding in palette_actions(self.screen):
            callback = partial(app.run_action, binding.action, node)
            items.append((title, f"key: {key} · {group_name(node)}", callback))
        return items

    async def discover(self) -> Hits:
        for title, help_text, callback in self._items():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._items():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


ADD_PROFILE = "leaf-tui login --profile NAME --username EMAIL"


class ProfilesProvider(Provider):
    """ "Switch profile: NAME" for every profile except the active one; with none, one "Switch
    profile" that says how to add one (the README promises a switcher)."""

    def _profiles(self) -> list[str]:
        from leaf_tui.domain import config

        try:
            names = list(config.load_settings().all_profiles())
        except Exception:  # a broken settings file: no profiles to offer, rather than no palette
            return []
        app: LeafApp = self.app  # type: ignore[assignment]
        current = getattr(app.session, "profile_name", None)
        return [name for name in names if name != current]

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """(title, callback, help) for each offer."""
        app: LeafApp = self.app  # type: ignore[assignment]
        others = self._profiles()
        if others:
            return [
                (f"Switch profile: {escape(name)}", partial(app.switch_profile, name), "reconnect")
                for name in others
            ]
        return [("Switch profile", self._no_other_profile, f"add one first: {ADD_PROFILE} …")]

    def _no_other_profile(self) -> None:
        app: LeafApp = self.app  # type: ignore[assignment]
        current = getattr(app.session, "profile_name", None) or "this one"
        self.app.notify(
            f"There is no other profile than {current} yet. Add one in a shell with "
            f"`{ADD_PROFILE}` (and --base-url URL for a server other than Leaf's), then "
            "choose Switch profile again.",
            title="Switch profile",
            timeout=12,
            markup=False,
        )

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
