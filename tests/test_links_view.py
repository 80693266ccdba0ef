"""The Links screen's view state (leaf_tui.domain.links_view), without Textual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leaf_tui.api.models import LinkKind, MagicLink
from leaf_tui.domain.link_filters import LinkFilters, StateFilter
from leaf_tui.domain.links_view import LinksView

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def link(
    link_id: str, *, user: str = "u1", created_hours_ago: float = 1, expires_in: float = 3600
) -> MagicLink:
    return MagicLink.from_json(
        {
            "id": link_id,
            "leafUserId": user,
            "widget": "PROVIDER",
            "createdAt": (NOW - timedelta(hours=created_hours_ago)).isoformat(),
            "expiresAt": (NOW + timedelta(seconds=expires_in)).isoformat(),
            "usageCount": 0,
            "maxUsage": 3,
            "link": f"https://example.test/{link_id}",
        },
        LinkKind.PROVIDER,
    )


def test_an_answer_is_kept_newest_first_and_the_same_answer_is_told_apart() -> None:
    view = LinksView()
    old, new = link("a", created_hours_ago=5), link("b", created_hours_ago=1)
    first = view.answered([old, new], NOW)
    assert not first.same and not first.reconnected
    assert list(view.links) == ["b", "a"]
    assert view.polls == 1 and view.updated_at == NOW
    again = view.answered([old, new], NOW + timedelta(seconds=5))
    assert again.same, "the very same objects: nothing to sort or diff"
    changed = view.answered([old, link("b", created_hours_ago=1)], NOW)
    assert not changed.same


def test_failures_back_off_up_to_the_cap_and_are_reported_once_per_streak() -> None:
    view = LinksView(poll_seconds=5.0, max_backoff_seconds=60.0)
    assert view.next_delay() == 5.0
    assert view.failed("ServerError") is True
    assert view.next_delay() == 10.0
    assert view.failed("ServerError") is False  # the same streak: say it once
    assert view.next_delay() == 20.0
    assert view.failed("Unreachable") is True  # a new kind of failure is news
    for _ in range(10):
        view.failed("Unreachable")
    assert view.next_delay() == 60.0
    status = view.status(0)
    assert status.failing == " · last poll failed (Unreachable); retrying in 60s"
    assert view.answered([], NOW).reconnected
    assert view.failures == 0 and view.status(0).failing is None


def test_the_status_line_says_what_is_shown() -> None:
    view = LinksView()
    assert view.status(0).summary == "Loading links…"
    view.failed("Unreachable")
    assert view.status(0).summary == "Could not load links"
    view.answered([], NOW)
    assert view.status(0).summary == "No magic links yet: n creates one."
    view.answered([link("a"), link("b")], NOW)
    assert view.status(2).summary == "2 links"
    assert view.status(1).summary == "1 of 2 links"
    assert view.status(0).summary == "No links match these filters (2 in all): x clears them."
    assert view.status(2).updated == " · updated 09:00:00 UTC"


def test_rows_shown_follow_the_filters_and_the_clock() -> None:
    view = LinksView()
    view.answered([link("soon", expires_in=600), link("later", expires_in=86_400)], NOW)
    assert not view.depends_on_time()
    view.filters = LinkFilters(state=StateFilter.EXPIRING)
    assert view.depends_on_time()
    assert [x.id for x in view.shown(NOW)] == ["soon"]
    assert view.shown(NOW + timedelta(hours=1)) == []  # expired by then
    view.forget("soon")
    assert list(view.links) == ["later"]


def test_names_come_from_what_is_known_and_the_rest_are_asked_for() -> None:
    view = LinksView(LinkFilters(user_id="u2-very-long-id"))
    view.answered([link("a", user="u1"), link("b", user="u2-very-long-id")], NOW)
    assert view.user_label() == "u2-very-…"  # the short id until the name is known
    unknown = view.learn_names({"u1": "Ada Farms"}.get)
    assert unknown == ["u2-very-long-id"] and view.name_of("u1") == "Ada Farms"
    view.names["u2-very-long-id"] = "Bo Ranch"
    assert view.user_label() == "Bo Ranch"
    assert view.learn_names(lambda _id: None) == []
    view.filters = LinkFilters(user_text="ada")
    assert [x.id for x in view.shown(NOW)] == ["a"]
