"""After a renewal: the old link still works (Leaf cannot extend one), so offer to delete it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.common import clock
from leaf_tui.common.formatting import countdown
from leaf_tui.domain.link_filters import LinkState, link_state
from leaf_tui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from leaf_tui.api.models import MagicLink
    from leaf_tui.tui.app import LeafApp


def offer_to_delete_renewed(app: LeafApp, old: MagicLink, user_name: str | None) -> None:
    """Ask whether to delete `old` when it can still be used; say so when it cannot."""
    state = link_state(old, clock.now())
    if state in (LinkState.EXPIRED, LinkState.USED_UP) or old.kind is None:
        app.notify(f"The old link is {state.value}: nothing to delete.", markup=False)
        return
    left, _ = countdown(old.expires_at, clock.now())
    question = (
        f"The old {old.kind.label.lower()} link for {user_name or 'this user'} still works"
        f" (expires in {left}).\n{old.link}\nDelete it, so only the new link works?"
    )

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(_delete(app, old), group="renew-delete", exit_on_error=False)
        else:
            app.notify("The old link stays live until it expires.", markup=False)

    app.push_screen(ConfirmScreen(question, "Delete old link"), answered)


async def _delete(app: LeafApp, old: MagicLink) -> None:
    assert old.kind is not None
    try:
        await app.client.links.delete(old.kind, old.id)
    except NotFound:
        app.notify("The old link was already gone.", severity="warning", markup=False)
    except LeafError as exc:
        app.show_error(exc, "delete the old link")
    else:
        app.notify("Old link deleted: only the new one works.", markup=False)
