"""What the wizard starts from: a prefill (a highlighted user, a link to renew) over the remembered
choices over the defaults. Textual-free."""

from __future__ import annotations

from dataclasses import dataclass

from leaf_tui.api.models import (
    ALL_PROVIDERS,
    EXPIRES_IN_DEFAULT,
    PROVIDERS,
    LeafUser,
    LinkKind,
    LinkSettings,
    MagicLink,
)
from leaf_tui.domain.link_draft import LinkDraft, duration_text, renewal_expiry
from leaf_tui.domain.presets import LastUsed


@dataclass(frozen=True)
class WizardPrefill:
    user: LeafUser | None = None
    kind: LinkKind | None = None
    providers: tuple[str, ...] = ()
    expires_in: int | None = None
    settings: LinkSettings | None = None
    renews: MagicLink | None = None
    """The link being renewed: its create does not become the wizard's remembered choices, and
    the old link is offered for deletion afterwards."""

    @classmethod
    def from_link(cls, link: MagicLink, user: LeafUser | None) -> WizardPrefill:
        """Renew: same user, kind, providers, lifetime and branding as the old link."""
        return cls(
            user=user,
            kind=link.kind,
            # a link for "All" providers is renewed offering every one
            providers=PROVIDERS
            if ALL_PROVIDERS in link.providers
            else tuple(p for p in link.providers if p in PROVIDERS),
            expires_in=renewal_expiry(link),
            settings=link.settings,
            renews=link,
        )


def initial_draft(
    prefill: WizardPrefill | None, last: LastUsed, default_expiry: int = EXPIRES_IN_DEFAULT
) -> LinkDraft:
    """The draft the wizard opens with; every value is one `ctrl+s` would accept.
    `default_expiry` is the settings' link expiry, used until one was remembered."""
    prefill = prefill or WizardPrefill()
    providers = tuple(p for p in (prefill.providers or last.providers) if p in PROVIDERS)
    draft = LinkDraft(
        kind=prefill.kind or last.kind or LinkKind.PROVIDER,
        user=prefill.user,
        providers=providers or PROVIDERS,
        provider=providers[0] if providers else PROVIDERS[0],
        expiry=duration_text(prefill.expires_in or last.expires_in or default_expiry),
    )
    if prefill.settings is not None:
        draft.apply_settings(prefill.settings)
    return draft
