"""The Users screen's view model, without Textual: rows, cursor identity, merges, caches.

The index is the real one, read from the sandbox (no app): what the model decides follows what
the server holds, as on screen."""

from __future__ import annotations

from collections.abc import Sequence

from leaf_tui.api import LeafClient, UserIndex
from leaf_tui.api.models import LeafUser
from leaf_tui.api.user_index import ID, UserRecord, record_of, user_of
from leaf_tui.domain.users_view import NOT_ASKED, Count, UsersView, merge
from tests.tui.sentera_users import with_sentera


async def loaded_view(client: LeafClient) -> UsersView:
    index = UserIndex(client)
    await index.load()
    view = UsersView(lambda: index)
    view.first_page_loaded_with((await client.users.list(page=0, size=100)).items)
    return view


def ids(users: Sequence[UserRecord | LeafUser]) -> list[str]:
    return [u.id if isinstance(u, LeafUser) else u[ID] for u in users]


async def test_before_the_index_loads_the_first_page_is_searched_and_the_server_asked(
    leaf_client: LeafClient,
) -> None:
    index = UserIndex(leaf_client)  # not loaded
    view = UsersView(lambda: index)
    assert view.show().count is None  # nothing to count yet
    page = (await leaf_client.users.list(page=0, size=10)).items
    shown = view.first_page_loaded_with(page)
    assert ids(shown.users) == ids(page)
    assert shown.count == Count(f"{len(page)} users (indexing…)")
    assert shown.ask_server is None  # no query: nothing to ask
    # a user the first page does not hold: only the server's exact search finds it
    late = await leaf_client.users.create(name="Late Arrival", external_id="LATE-001")
    shown = view.typed(" LATE-001 ")
    assert shown.users == [] and shown.ask_server == "LATE-001"
    assert shown.nothing == "No user matches 'LATE-001'"
    by_external = (await leaf_client.users.list(external_id="LATE-001")).items
    assert view.server_answered("LATE-001", [], by_external)
    shown = view.show()
    assert ids(shown.users) == [late.id] and shown.ask_server is None  # asked once
    # an answer for a query no longer typed is kept, not shown
    view.typed("zz")
    assert not view.server_answered("LATE-001", by_external)


async def test_a_new_query_puts_the_cursor_on_the_first_row_anything_else_keeps_it(
    leaf_client: LeafClient,
) -> None:
    view = await loaded_view(leaf_client)
    everyone = view.show()
    total = len(view.index)
    assert everyone.count == Count(f"{total} users", f"{total} of {total} users")
    second = user_of(everyone.users[1])
    assert view.highlight(second.id)  # the detail must follow
    assert not view.highlight(second.id)  # already there
    again = view.show()  # e.g. the links or a server answer arrived
    assert not again.first_row and again.keep == second.id
    piece = (second.name or second.email or "").split()[-1][:3]
    narrowed = view.typed(piece)
    assert narrowed.first_row and narrowed.keep == narrowed.users[0][ID]
    assert narrowed.count is not None
    assert narrowed.count.text.startswith(f"{len(narrowed.users)} of")
    assert not view.typed(piece + " ").first_row  # the same query, spaces aside


async def test_after_a_reload_the_cursor_stays_on_the_same_user(leaf_client: LeafClient) -> None:
    view = await loaded_view(leaf_client)
    shown = view.show()
    target, gone = user_of(shown.users[5]), user_of(shown.users[2])
    view.highlight(target.id)
    # elsewhere, meanwhile: a user who sorts first appears, one above the cursor goes
    new = await leaf_client.users.create(name="Aaaa First", external_id="CRM-FIRST")
    await leaf_client.users.delete(gone.id)
    await view.index.load()  # what `r` does
    view.reloading()
    reloaded = view.show()
    assert not reloaded.first_row and reloaded.keep == target.id
    assert reloaded.users[0][ID] == new.id and gone.id not in ids(reloaded.users)
    assert view.detail_for is None  # the detail asks for the highlighted user's Sentera again


async def test_saved_and_deleted_users_change_the_rows_at_once(leaf_client: LeafClient) -> None:
    view = await loaded_view(leaf_client)
    first = user_of(view.show().users[0])
    changed = await leaf_client.users.update(first, name="Zed Renamed")
    view.saved(changed)
    shown = view.show()
    assert shown.keep == changed.id and record_of(changed) in shown.users
    assert shown.users[0][ID] != changed.id  # by name: no longer first, the cursor follows it
    view.sentera.answered(changed.id, None)
    await leaf_client.users.delete(changed.id)
    view.removed(changed.id)
    assert changed.id not in ids(view.show().users)
    assert changed.id not in view.sentera and changed.id not in ids(view.first_page)


async def test_sentera_statuses_are_asked_once_and_a_cancelled_ask_is_forgotten(
    leaf_client: LeafClient,
) -> None:
    view = await loaded_view(leaf_client)
    users = [user_of(record) for record in view.show().users]
    connected = (await with_sentera(leaf_client, users[:40]))[0]
    bare = (await with_sentera(leaf_client, users[:40], connected=False))[0]
    statuses = view.sentera
    assert statuses.not_asked([connected.id, bare.id]) == [connected.id, bare.id]
    assert statuses.state_of(bare.id) == NOT_ASKED  # the detail says "checking…"
    statuses.asking(connected.id)
    statuses.asking(bare.id)
    assert statuses.loading([connected.id]) and statuses.known() == {}
    statuses.settle(bare.id)  # cancelled without an answer: asked again later
    assert statuses.not_asked([bare.id]) == [bare.id]
    cred = await leaf_client.sentera.get(connected.id)
    statuses.answered(connected.id, cred)
    statuses.settle(connected.id)  # an answer stays
    statuses.answered(bare.id, None)
    assert statuses.known() == {connected.id: cred.status, bare.id: None}
    assert statuses.has_credential(connected.id) and not statuses.has_credential(bare.id)
    statuses.failed(bare.id, "Leaf answered 503")
    assert bare.id not in statuses.known()  # not known: the table keeps "…"
    view.reloading()
    assert statuses.not_asked([connected.id]) == [connected.id]


async def test_the_detail_is_drawn_again_only_when_what_it_shows_changed(
    leaf_client: LeafClient,
) -> None:
    view = await loaded_view(leaf_client)
    links = await leaf_client.links.list_all()
    linked = {lk.leaf_user_id for lk in links}
    user = next(user_of(r) for r in view.show().users if r[ID] in linked)
    first = view.detail(user)
    assert first is not None and first[2] is None  # links not loaded yet
    assert view.detail(user) is None  # the same: not drawn again
    view.links_loaded(links)
    detail = view.detail(user)
    assert detail is not None and detail[2] and {lk.leaf_user_id for lk in detail[2]} == {user.id}
    view.detail_cleared()  # the pane showed a message meanwhile
    assert view.detail(user) == detail
    view.links_failed("Leaf answered 503")
    after = view.detail(user)
    assert after is not None and after[2] == detail[2] and after[3] == "Leaf answered 503"


async def test_settled_once_everything_the_first_view_needs_arrived(
    leaf_client: LeafClient,
) -> None:
    view = await loaded_view(leaf_client)
    visible = ids(view.show().users[:3])
    assert not view.settled(visible)  # rows not asked, links not loaded
    for uid in visible:
        view.sentera.answered(uid, None)
    view.links_loaded([])
    assert view.settled(visible)
    view.highlight(visible[0])
    view.sentera.asking(visible[0])
    assert not view.settled(visible)


def test_merge_keeps_the_first_of_each_user() -> None:
    a, b = record_of(LeafUser(id="a", name="A")), record_of(LeafUser(id="b"))
    a2 = record_of(LeafUser(id="a", name="A again"))
    assert merge([a2], [a, b]) == [a2, b]


async def test_a_redraw_keeps_the_user_the_table_is_on_and_moves_only_on_purpose(
    leaf_client: LeafClient,
) -> None:
    view = await loaded_view(leaf_client)
    users = view.show().users
    first, third = users[0][ID], users[2][ID]
    view.highlight(first)  # the table's Highlighted message for the first row came
    # The cursor went down two rows; its Highlighted message has not come yet, a background
    # answer redraws: the screen tells where the table's cursor is, and that is kept.
    view.cursor_on(third)
    assert view.show().keep == third and view.again().keep == third
    assert not view.show().first_row
    # a save moves the cursor on purpose, whatever the table was on
    saved = await leaf_client.users.update(user_of(users[5]), name="Moved Here")
    view.saved(saved)
    view.cursor_on(third)
    assert view.show().keep == saved.id
    view.cursor_on(saved.id)
    assert view.show().keep == saved.id  # once: later redraws keep what the table says
    view.cursor_on(first)
    assert view.show().keep == first
