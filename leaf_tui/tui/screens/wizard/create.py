"""Sending the create request, and finding out whether an uncertain one went through.
Textual-free: the screen decides what to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from leaf_tui.api import LeafClient
from leaf_tui.api.models import CreatedLink, LinkRequest, MagicLink
from leaf_tui.domain.link_draft import LinkDraft

# How far the server's clock may be from ours when matching a link to our attempt.
SKEW = timedelta(minutes=2)


async def send(client: LeafClient, draft: LinkDraft, request: LinkRequest) -> CreatedLink:
    """One POST: for the chosen user, or with user creation by externalId."""
    if draft.new_user:
        return await client.links.create_with_user(
            request,
            draft.external_id,
            name=draft.new_name or None,
            email=draft.new_email or None,
        )
    assert draft.user is not None
    return await client.links.create_for_user(draft.user.id, request)


async def find_created(
    client: LeafClient, draft: LinkDraft, request: LinkRequest, since: datetime
) -> MagicLink | None:
    """After a POST whose answer was lost: the link it made, if it made one.

    Matches the user, the kind, the providers and the lifetime, created since the attempt began
    (allowing for clock skew); the newest match wins."""
    if draft.new_user:
        page = await client.users.list(external_id=draft.external_id, size=5)
        ids = {u.id for u in page.items if u.external_id == draft.external_id}
    else:
        ids = {draft.user.id} if draft.user else set()
    if not ids:
        return None
    wanted_providers = set(
        request.allowed_providers or ((request.provider,) if request.provider else ())
    )
    matches = []
    for link in await client.links.list(request.kind):
        if link.leaf_user_id not in ids or link.created_at is None:
            continue
        if link.created_at < since - SKEW:
            continue
        if set(link.providers) != wanted_providers:
            continue
        if request.expires_in is not None and link.expires_at is not None:
            lifetime = (link.expires_at - link.created_at).total_seconds()
            if abs(lifetime - request.expires_in) > SKEW.total_seconds():
                continue
        matches.append(link)
    return max(matches, key=lambda link: link.created_at or since, default=None)
