"""What the Connections and provider-events screens do to one connection: copy an
authentication magic link, delete the credential (confirmed), copy a redacted summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.screen import Screen

from leaf_tui.api.errors import NotFound
from leaf_tui.api.models import LeafUser, LinkKind, LinkRequest
from leaf_tui.api.providers import Provider, ProviderCredential, ProviderEvent
from leaf_tui.domain.provider_diagnosis import Diagnosis, summary
from leaf_tui.tui.base import leaf_app
from leaf_tui.tui.screens.confirm import ConfirmScreen


async def copy_auth_link(screen: Screen[Any], user: LeafUser, p: Provider) -> None:
    """Create an authentication magic link for `p` and `user`, and copy it. Never retried (a
    POST): a failure says so and the person presses the key again."""
    app = leaf_app(screen)
    if not p.magic_link:
        screen.notify(
            f"Magic links do not cover {p.display}: press n to create the credential again "
            "from the grower's details.",
            title="No authentication link",
            severity="warning",
            markup=False,
        )
        return
    request = LinkRequest(kind=LinkKind.AUTHENTICATION, provider=p.name)
    try:
        created = await app.client.links.create_for_user(user.id, request)
    except Exception as exc:
        app.show_error(exc, f"create a {p.display} authentication link")
        return
    if not created.link:
        screen.notify("Leaf created the link but sent no URL.", severity="error", markup=False)
        return
    await app.copy_and_notify(
        created.link, f"{p.display} authentication link for {user.display_name}"
    )


def confirm_delete(
    screen: Screen[Any],
    user: LeafUser,
    credential: ProviderCredential,
    done: Callable[[], object],
) -> None:
    """Ask (naming the profile, the grower and the provider), then delete and call `done`."""
    app = leaf_app(screen)
    p = credential.provider
    session = app.session
    profile = session.profile_name if session is not None else "?"
    question = (
        f"Delete the {p.display} credential of {user.display_name} (profile {profile})? "
        "Leaf stops syncing it and its event log is lost."
    )

    async def delete() -> None:
        try:
            await app.client.credentials.delete(p, user.id)
        except NotFound:
            pass  # already gone
        except Exception as exc:
            app.show_error(exc, f"delete the {p.display} credential")
            return
        screen.notify(f"Deleted the {p.display} credential of {user.display_name}", markup=False)
        done()

    def answered(yes: bool | None) -> None:
        if yes:
            screen.run_worker(delete(), group="connection-delete", exit_on_error=False)

    app.push_screen(ConfirmScreen(question, "Delete"), answered)


def copy_summary(
    screen: Screen[Any],
    user: LeafUser,
    credential: ProviderCredential,
    diagnosis: Diagnosis,
    events: Sequence[ProviderEvent],
) -> None:
    text = summary(user.display_name, credential, diagnosis, events)
    leaf_app(screen).copy_in_background(text, "Problem summary")


def open_credential_form(
    screen: Screen[Any],
    user: LeafUser,
    p: Provider,
    existing: ProviderCredential | None,
    done: Callable[[], object],
) -> None:
    """The form built from `p`'s documented fields; Sentera keeps its own screen's forms."""
    if p.name == "Sentera":
        screen.notify("Sentera: enter opens its screen, where c connects and r recreates.")
        return
    if not p.fields:
        screen.notify(f"Leaf documents no fields for {p.display}.", markup=False)
        return
    from leaf_tui.tui.screens.credential_form import CredentialFormScreen

    def created(credential: ProviderCredential | None) -> None:
        if credential is not None:
            screen.notify(
                f"Created the {p.display} credential of {user.display_name} "
                f"(status {credential.status or 'none'})",
                markup=False,
            )
            done()

    leaf_app(screen).push_screen(CredentialFormScreen(user, p, existing), created)
