"""A terminal rendering of the page the grower will see, redrawn from the draft on every change:
background colour, header image and logo (as placeholders with their URLs), company name, the
user's name when shown, the providers as buttons, and the disconnect option when enabled."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static

from leaf_tui.api.models import DEFAULT_BACKGROUND, LinkKind
from leaf_tui.domain.link_draft import LinkDraft, validate_hex_color, validate_url

TITLES = {
    LinkKind.PROVIDER: "Connect your farm data: choose your provider",
    LinkKind.AUTHENTICATION: "Connect your {provider} account",
    LinkKind.FILE_UPLOAD: "Upload your machine files",
}


def _line(id_: str, classes: str = "") -> Static:
    return Static("", id=id_, classes=f"pv-line {classes}".strip(), markup=False)


class LinkPreview(Vertical):
    """`update_from(draft)` redraws it; each part has an id so tests can read it."""

    def __init__(self, draft: LinkDraft) -> None:
        super().__init__(id="preview")
        self.draft = draft
        self.border_title = "What the grower sees"
        self.parts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield _line("pv-header", "pv-image")
        yield _line("pv-brand")
        yield _line("pv-user")
        yield _line("pv-title")
        yield _line("pv-providers")
        yield _line("pv-disconnect")
        yield _line("pv-footer")

    def on_mount(self) -> None:
        self.update_from(self.draft)

    @property
    def background(self) -> str:
        """The colour the page uses: the draft's when valid, else Leaf's default."""
        colour = self.draft.background_color
        return colour if colour and validate_hex_color(colour) is None else DEFAULT_BACKGROUND

    def update_from(self, draft: LinkDraft) -> None:
        self.draft = draft
        background = Color.parse(self.background)
        self.styles.background = background
        self.styles.color = background.get_contrast_text(1.0)
        self._set("pv-header", self._image("header image", draft.header_image))
        brand = Text()
        logo = self._image("logo", draft.company_logo)
        if logo:
            brand.append(logo + "  ")
        brand.append(draft.company_name or "", style="bold")
        self._set("pv-brand", brand if brand.plain.strip() else "")
        name = draft.user_name
        self._set("pv-user", f"Hello, {name}" if draft.show_leaf_user_name and name else "")
        provider = draft.offered_providers[0] if draft.offered_providers else "provider"
        self._set("pv-title", TITLES[draft.kind].format(provider=provider))
        self._set("pv-providers", self._buttons(draft))
        disconnect = draft.disconnect_enabled and draft.kind is not LinkKind.FILE_UPLOAD
        self._set("pv-disconnect", "☐ Disconnect from the provider when done" if disconnect else "")
        note = f"background {self.background}"
        if draft.background_color and self.background != draft.background_color:
            note += " (default: the colour typed is not valid)"
        self._set("pv-footer", Text(f"powered by Leaf · {note}", style="dim"))

    @staticmethod
    def _image(what: str, url: str) -> str:
        if not url:
            return ""
        return f"[{what}: {url}]" if validate_url(url) is None else f"[{what}: invalid URL]"

    @staticmethod
    def _buttons(draft: LinkDraft) -> Text | str:
        if draft.kind is LinkKind.FILE_UPLOAD:
            return Text(" Choose files… ", style="reverse bold")
        if not draft.offered_providers:
            return "(no provider chosen)"
        text = Text()
        for i, provider in enumerate(draft.offered_providers):
            if i:
                text.append("  ")
            text.append(f" {provider} ", style="reverse bold")
        return text

    def _set(self, id_: str, content: Text | str) -> None:
        plain = content.plain if isinstance(content, Text) else content
        if self.parts.get(id_) == plain:
            return  # unchanged: skip the re-layout an update costs
        self.parts[id_] = plain
        line = self.query_one(f"#{id_}", Static)
        line.update(content)
        line.display = bool(plain)

    def text(self) -> str:
        """The visible lines as plain text, top to bottom (what a test reads)."""
        return "\n".join(plain for plain in self.parts.values() if plain)
