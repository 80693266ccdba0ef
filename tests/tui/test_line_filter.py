"""Every drawn line passes through one filter: strangers' text made inert, then Textual's own
enabled filters (tui/inert_filter.py `InertThen`; Textual keeps a new Strip per filter per line,
so two filters cost each line two copies). It must do what the two did in turn."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color

from leaf_tui.tui.inert_filter import INERT_TEXT

BACKGROUND = Color(10, 10, 10)


def textuals_own_filters(app: App[object]) -> list:
    """What Textual's own hook gives (its enabled filters), without ours."""
    return list(App.get_line_filters(app))


def hostile_line() -> list[Segment]:
    return [
        Segment("name: ", Style(color="red", dim=True)),  # an ANSI colour: Textual's filter's job
        Segment("evil\x1b]52;c;aGk=\x07 ", Style(color="green")),  # OSC 52: ours
        Segment("     ", None),
    ]


async def test_one_filter_does_what_inert_then_textual_s_filters_did(make_app, ready):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        filters = app.get_line_filters()
        assert len(filters) == 1
        textual_filters = textuals_own_filters(app)
        assert textual_filters, "Textual's ANSI-to-truecolor filter is on by default"

        expected = INERT_TEXT.apply(hostile_line(), BACKGROUND)
        for textual_filter in textual_filters:
            expected = textual_filter.apply(expected, BACKGROUND)
        shown = filters[0].apply(hostile_line(), BACKGROUND)
        assert shown == expected
        assert "␛" in "".join(s.text for s in shown) and "\x1b" not in "".join(
            s.text for s in shown
        )
        assert all(s.style is None or s.style.color is None or s.style.color.triplet for s in shown)


async def test_the_filter_is_the_same_object_until_textual_switches_one_of_its_own(make_app, ready):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        first = app.get_line_filters()[0]
        assert app.get_line_filters()[0] is first  # Textual caches filtered lines per object
        app.ansi_color = True  # the terminal's own palette: no conversion to truecolor
        await pilot.pause()
        native = app.get_line_filters()[0]
        assert native is not first
        shown = native.apply(hostile_line(), BACKGROUND)
        assert shown[0].style is not None and shown[0].style.color is not None
        assert shown[0].style.color.triplet is None, "ANSI red is left to the terminal"
        assert "␛" in "".join(s.text for s in shown)
        app.ansi_color = False
        await pilot.pause()
        assert app.get_line_filters()[0] is first
