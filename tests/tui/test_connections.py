"""A grower's Connections screen and the triage queue, against the sandbox."""

from __future__ import annotations

from typing import Any, TypeVar

from leaf_tui.api.models import LeafUser, LinkKind
from leaf_tui.tui.screens.confirm import ConfirmScreen
from leaf_tui.tui.screens.connections import ConnectionsScreen
from leaf_tui.tui.screens.provider_events import ProviderEventsScreen
from leaf_tui.tui.screens.sentera import SenteraScreen
from leaf_tui.tui.screens.triage import TriageScreen
from tests.tui.screen_text import screen_lines

T = TypeVar("T")
SIZE = (120, 40)
GROWER = ("grower@sentera.example", "harvest-2026", "Prairie Farms")


def text(app: Any) -> str:
    return "\n".join(screen_lines(app))


async def grower_with(app: Any, *keys: str) -> LeafUser:
    for user in await app.client.users.list_all():
        if all(k in user.credentials for k in keys):
            return user
    raise AssertionError(f"no demo grower with {keys}")


async def sentera_grower(app: Any) -> LeafUser:
    """A new grower connected to Sentera (Leaf's user object does not carry Sentera)."""
    user = await app.client.users.create(name="Sentera Grower", external_id="crm-conn-1")
    await app.client.sentera.create(user.id, *GROWER)
    return user


async def loaded(pilot: Any, wait_for: Any, kind: type[T], what: str) -> T:
    """The screen on top once it is a `kind` that has loaded."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.loaded, what=what)
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


async def open_connections(pilot: Any, wait_for: Any, user: LeafUser) -> ConnectionsScreen:
    pilot.app.open_connections(user)
    return await loaded(pilot, wait_for, ConnectionsScreen, "the Connections screen to load")


async def open_triage(pilot: Any, wait_for: Any) -> TriageScreen:
    await pilot.press("t")
    return await loaded(pilot, wait_for, TriageScreen, "the triage queue")


def highlight(screen: ConnectionsScreen, provider_name: str) -> None:
    names = [c.provider.name for c in screen.connections]
    screen.table.move_cursor(row=names.index(provider_name))


async def on_john_deere(pilot: Any, wait_for: Any) -> LeafUser:
    """The Connections of a demo grower with John Deere, on that row; the grower."""
    user = await grower_with(pilot.app, "johnDeereCredentials")
    highlight(await open_connections(pilot, wait_for, user), "JohnDeere")
    return user


async def on_connection(pilot: Any, wait_for: Any, provider_name: str, what: str) -> None:
    """Wait for the grower's Connections, loaded, on this provider's row."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ConnectionsScreen)
            and app.screen.loaded
            and app.screen.highlighted is not None
            and app.screen.highlighted.provider.name == provider_name
        ),
        what=what,
    )


async def auth_link_copied(pilot: Any, wait_for: Any, user: LeafUser, provider_name: str) -> None:
    """a copies an authentication link: the sandbox holds it, for this grower and provider."""
    app = pilot.app
    await pilot.press("a")
    await wait_for(pilot, lambda: bool(app.clipboard), what="the link in the clipboard")
    links = await app.client.links.list(LinkKind.AUTHENTICATION)
    made = [lk for lk in links if lk.link == app.clipboard]
    assert made and made[0].leaf_user_id == user.id and made[0].provider == provider_name


async def test_c_on_users_opens_every_connection_of_the_highlighted_grower(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("c")
        screen = await loaded(pilot, wait_for, ConnectionsScreen, "Connections from Users")
        shown = text(app)
        assert f"Connections · {screen.user.display_name}" in shown
        assert "Provider" in shown and "Fails 24h" in shown and "Diagnosis" in shown
        # one row per provider the grower has, named as people say them
        assert screen.table.row_count == len(screen.connections)
        for conn in screen.connections:
            assert conn.provider.display in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConnectionsScreen))


async def test_auth_link_for_a_john_deere_row_lands_in_the_clipboard(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await on_john_deere(pilot, wait_for)
        await pilot.pause()
        assert "John Deere:" in text(app)  # the highlighted row's diagnosis line
        await auth_link_copied(pilot, wait_for, user, "JohnDeere")


async def test_enter_opens_the_provider_log_with_masked_card_and_diagnosis(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await on_john_deere(pilot, wait_for)
        await pilot.press("enter")
        await loaded(pilot, wait_for, ProviderEventsScreen, "the John Deere log")
        shown = text(app)
        assert f"John Deere · {user.display_name}" in shown
        assert app.screen.diagnosis is not None
        assert app.screen.diagnosis.message.splitlines()[0][:30] in shown
        for secret in app.screen.credential.secrets if app.screen.credential else ():
            assert secret not in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionsScreen))


async def test_sentera_row_opens_the_sentera_screen_and_delete_is_confirmed(
    make_app, ready, wait_for
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await sentera_grower(app)
        screen = await open_connections(pilot, wait_for, user)
        names = [c.provider.name for c in screen.connections]
        assert "Sentera" in names  # not in the user object: fetched
        highlight(screen, "Sentera")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SenteraScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionsScreen))
        highlight(screen, "Sentera")
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = " ".join(text(app).replace("█", " ").replace("│", " ").split())
        assert "Sentera credential of" in question and "profile sandbox" in question
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ConnectionsScreen)
                and "Sentera" not in [c.provider.name for c in app.screen.connections]
            ),
            what="the Sentera row gone after delete",
        )
        from leaf_tui.api.errors import NotFound

        try:
            await app.client.sentera.get(user.id)
        except NotFound:
            pass
        else:
            raise AssertionError("the credential is still there")


async def test_copy_problem_summary_has_no_secret(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        user = await sentera_grower(app)
        screen = await open_connections(pilot, wait_for, user)
        highlight(screen, "Sentera")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Provider: Sentera" in (app.clipboard or ""))
        token = (await app.client.sentera.get(user.id)).auth_token
        assert token and token not in app.clipboard
        assert f"Grower: {user.display_name}" in app.clipboard


async def test_triage_queue_says_what_it_could_not_check(make_app, ready, wait_for):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_triage(pilot, wait_for)
        shown = text(app)
        assert "Triage" in shown
        # the sandbox's user objects carry Sentera (Leaf documents them without it)
        assert "not checked: Agvance (not in the user object)" in " ".join(shown.split())
        # every row is a grower whose credential is not OK, the most recent failure first
        assert screen.items and all(not i.connection.credential.healthy for i in screen.items)
        whens = [i.when for i in screen.items if i.when is not None]
        assert whens == sorted(whens, reverse=True)
        first = screen.items[0]
        assert first.user.display_name in shown
        await pilot.press("enter")
        await on_connection(
            pilot, wait_for, first.connection.provider.name, "enter goes to that connection"
        )


async def test_broken_john_deere_in_triage_then_fixed_link_in_two_keys(
    make_app, ready, wait_for, sandbox_control
):
    """Break a healthy John Deere connection through /_sandbox/; the triage queue lists it
    first, enter opens the grower's Connections on it with the diagnosis, a copies the link."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        users = await app.client.users.list_all()
        user = next(
            u
            for u in users
            if (u.credentials.get("johnDeereCredentials") or {}).get("status") == "OK"
        )
        for step, body in (("break", {"problem": "revoked"}), ("sync", None)):
            answer = await sandbox_control.post(
                f"/_sandbox/providers/JohnDeere/{user.id}/{step}", json=body
            )
            assert answer.status_code < 300, answer.text
        queue = await open_triage(pilot, wait_for)
        # shown first from the index the Users screen loaded, then from a fresh one
        await wait_for(
            pilot, lambda: any(i.user.id == user.id for i in queue.items), what="the fresh index"
        )
        first = queue.items[0]
        assert first.user.id == user.id and first.connection.provider.name == "JohnDeere"
        assert first.connection.status == "UNAUTHENTICATED"
        assert user.display_name in text(app) and "access revoked" in text(app)
        # the highlight stayed on the grower it was on before the fresh index: go to the top
        queue.table.move_cursor(row=0)
        await pilot.pause()
        await pilot.press("enter")
        await on_connection(pilot, wait_for, "JohnDeere", "the grower's Connections on John Deere")
        shown = " ".join(text(app).split())
        assert "John Deere: The grower revoked Leaf's access" in shown
        await auth_link_copied(pilot, wait_for, user, "JohnDeere")


async def test_lindsay_is_created_again_from_its_documented_fields(make_app, ready, wait_for):
    """Magic links do not cover Lindsay: N opens a form from its documented fields; an
    unknown clientEnvironment is refused at the field; ctrl+s deletes and creates."""
    from textual.widgets import Input

    from leaf_tui.api.providers import provider
    from leaf_tui.tui.screens.credential_form import CredentialFormScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        lindsay = provider("Lindsay")
        user = next(
            (u for u in await app.client.users.list_all() if lindsay.user_field in u.credentials),
            None,
        )
        if user is None:
            user = await app.client.users.create(name="Lindsay Grower", external_id="crm-lin-1")
        before = None
        if lindsay.user_field in user.credentials:
            before = (await app.client.credentials.get(lindsay, user.id)).id
        screen = await open_connections(pilot, wait_for, user)
        if before is not None:
            highlight(screen, "Lindsay")
            await pilot.pause()
            await pilot.press("N")
        else:
            from leaf_tui.tui.connection_actions import open_credential_form

            open_credential_form(screen, user, lindsay, None, screen.poll)
        await wait_for(pilot, lambda: isinstance(app.screen, CredentialFormScreen))
        form = app.screen
        values = {
            "clientId": "lindsay-app-1",
            "clientSecret": "lindsay-secret-123456",
            "refreshToken": "lindsay-refresh-abcdef",
            "clientEnvironment": "stage",
        }
        for name, value in values.items():
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CredentialFormScreen)
        assert "clientEnvironment must be PRODUCTION or STAGE" in text(app)
        assert "lindsay-secret-123456" not in text(app)
        form.query_one("#field-clientEnvironment", Input).value = "STAGE"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionsScreen), what="created")
        after = await app.client.credentials.get(lindsay, user.id)
        assert after.id != before and after.raw.get("clientId") == "lindsay-app-1"


def _row_shown_whole(lines: list[str], *cells: str) -> bool:
    return any(all(cell in line for cell in cells) for line in lines)


async def test_at_80x24_every_row_shows_its_provider_and_status_whole(make_app, ready, wait_for):
    """80x24 is first-class: no sideways scrolling to read what is wrong with a connection."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        user = await grower_with(app, "johnDeereCredentials", "climateFieldViewCredentials")
        screen = await open_connections(pilot, wait_for, user)
        await pilot.pause()
        lines = screen_lines(app)
        assert screen.table.max_scroll_x == 0
        assert screen.connections
        for conn in screen.connections:
            assert _row_shown_whole(lines, conn.provider.display, conn.status), conn.status
        await pilot.press("escape")
        triage = await open_triage(pilot, wait_for)
        await pilot.pause()
        lines = screen_lines(app)
        assert triage.table.max_scroll_x == 0
        # the rows on screen (the table is shorter than the queue)
        visible = triage.items[: triage.table.scrollable_content_region.height - 1]
        assert len(visible) >= 5
        for item in visible:
            conn = item.connection
            assert _row_shown_whole(lines, conn.provider.display, conn.status), conn.status


async def test_a_new_failure_above_keeps_the_highlight_on_the_same_grower(
    make_app, ready, wait_for, sandbox_control
):
    """The queue is most recent failure first: a grower who breaks now comes in at the top and
    every row moves down. The highlight stays on the grower the person was on (it stayed on the
    row number, i.e. on someone else), and enter opens that grower."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        queue = await open_triage(pilot, wait_for)
        assert len(queue.items) >= 2
        queue.table.move_cursor(row=1)
        await pilot.pause()
        chosen = queue.highlighted
        assert chosen is not None
        healthy = next(
            u
            for u in await app.client.users.list_all()
            if (u.credentials.get("johnDeereCredentials") or {}).get("status") == "OK"
        )
        for step, body in (("break", {"problem": "revoked"}), ("sync", None)):
            answer = await sandbox_control.post(
                f"/_sandbox/providers/JohnDeere/{healthy.id}/{step}", json=body
            )
            assert answer.status_code < 300, answer.text
        await pilot.press("ctrl+r")
        await wait_for(
            pilot,
            lambda: queue.items[0].user.id == healthy.id,
            timeout=15,
            what="the new failure at the top",
        )
        await pilot.pause()
        now = queue.highlighted
        assert now is not None
        assert (now.user.id, now.connection.provider.name) == (
            chosen.user.id,
            chosen.connection.provider.name,
        )
        assert queue.table.cursor_row == 2  # moved down with its grower
        await pilot.press("enter")
        await on_connection(
            pilot, wait_for, chosen.connection.provider.name, "enter opens the same grower"
        )
        assert app.screen.user.id == chosen.user.id
