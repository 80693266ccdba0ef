"""Footer: one line of the keys the screen offers, drawn by one widget.

Textual's Footer mounts a widget per key and recomposes on every binding refresh (three or four
times before the Users screen's first rows), and it lays out every key however narrow the
terminal, cutting the last ones mid-word under the `^p palette` key. This one reads the public
`Screen.active_bindings` when `Screen.bindings_updated_signal` says they changed, and draws the
keys that fit: when they do not all fit, the least important ones (by `footer_ranks`) go first,
so `n`, `?` and `q` stay at 80 columns. The rest are listed by `?` and the palette.

On a modal screen the active bindings are the modal's own (Textual stops the chain at the
modal), so a modal's footer lists only its keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from leaf_tui.tui.footer_ranks import DEFAULT_RANK, PALETTE_RANK, rank_of

SEPARATOR = "▏"  # before the palette key, docked at the right


@dataclass(frozen=True)
class FooterKey:
    """One key as the footer shows it: `key` is what a click presses."""

    key: str
    display: str
    description: str
    enabled: bool
    rank: int

    @property
    def width(self) -> int:
        """ " k Description " """
        return 1 + cell_len(self.display) + 1 + cell_len(self.description) + 1


def fit(keys: list[FooterKey], palette: FooterKey | None, width: int) -> list[FooterKey]:
    """The keys to show in `width` columns, in their order: the highest rank (least important)
    goes first, the last of a rank before the earlier ones. The palette key (placed at the right,
    one more column for its separator) counts as rank PALETTE_RANK."""
    shown = [*keys, *([palette] if palette else [])]

    def used() -> int:
        return sum(k.width for k in shown) + (1 if palette in shown else 0)

    while shown and used() > width:
        worst = max(range(len(shown)), key=lambda i: (shown[i].rank, i))
        del shown[worst]
    return shown


class Footer(Widget):
    """`yield Footer()` in a screen's compose; it follows that screen's bindings."""

    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    Footer > .footer--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    Footer > .footer--description {
        color: $footer-description-foreground;
    }
    Footer > .footer--separator {
        color: $foreground 20%;
    }
    """
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--separator"}
    ALLOW_SELECT = False

    def __init__(self, *, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self.keys: list[FooterKey] = []  # every key offered, in the screen's order
        self.palette: FooterKey | None = None
        self._spans: list[tuple[int, int, FooterKey]] = []  # where the last render drew each key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        keys, palette = self._read_bindings(screen)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def _read_bindings(self, screen: Screen[object]) -> tuple[list[FooterKey], FooterKey | None]:
        app = self.app
        keys: list[FooterKey] = []
        palette: FooterKey | None = None
        actions: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.key == app.COMMAND_PALETTE_BINDING and binding.action.endswith(
                "command_palette"
            ):
                if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
                    palette = self._key(binding, active.enabled, PALETTE_RANK)
                continue
            if not binding.show or binding.action in actions:
                continue  # one key per action, as Textual's footer shows them
            actions.add(binding.action)
            keys.append(self._key(binding, active.enabled, rank_of(binding.id)))
        return keys, palette

    def _key(self, binding: Binding, enabled: bool, rank: int = DEFAULT_RANK) -> FooterKey:
        return FooterKey(
            key=binding.key,
            display=self.app.get_key_display(binding),
            description=binding.description,
            enabled=enabled,
            rank=rank,
        )

    def shown(self) -> list[FooterKey]:
        """The keys drawn at the current width, the palette's last."""
        return fit(self.keys, self.palette, self.size.width)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        separator_style = self.get_component_rich_style("footer--separator")
        shown = self.shown()
        palette = self.palette if self.palette in shown else None
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, FooterKey]] = []

        def draw(key: FooterKey) -> None:
            start = line.cell_len
            dim = Style(dim=not key.enabled)
            line.append(f" {key.display} ", key_style + dim)
            line.append(f"{key.description} ", description_style + dim)
            spans.append((start, line.cell_len, key))

        for key in shown:
            if key is not palette:
                draw(key)
        if palette is not None:
            gap = self.size.width - line.cell_len - palette.width - 1
            line.append(" " * max(gap, 0))
            line.append(SEPARATOR, separator_style)
            draw(palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
