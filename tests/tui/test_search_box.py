"""The search box on its own: what it shows, what it holds, and the messages it sends, for keys
typed one by one, many in one terminal read, and pasted (bracketed or not)."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App, ComposeResult
from textual.widgets import Static

from leaf_tui.tui.widgets.search_box import SearchBox
from tests.tui.keyboard import BACKSPACE, CTRL_U, ENTER, LEFT, TAB, bracketed, one_read
from tests.tui.screen_text import screen_lines

HOME = "\x1b[H"
END = "\x1b[F"
DELETE = "\x1b[3~"
RIGHT = "\x1b[C"
CTRL_A = "\x01"
CTRL_E = "\x05"
CTRL_K = "\x0b"
CTRL_W = "\x17"
CTRL_LEFT = "\x1b[1;5D"
PLACEHOLDER = "[b]search[/b] name or id"  # markup-like on purpose: shown as typed
WIDTH = 24  # the box: a border column and 2 of padding each side, 18 columns of text


class BoxApp(App[None]):
    CSS = f"SearchBox {{ width: {WIDTH}; }}"

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=PLACEHOLDER, id="first")
        yield SearchBox(id="second")
        yield Static("below the boxes", id="below")

    def on_search_box_changed(self, event: SearchBox.Changed) -> None:
        if event.control.id == "first":
            self.changes.append(event.value)

    def on_search_box_submitted(self, event: SearchBox.Submitted) -> None:
        self.submitted.append(event.value)


def box(app: App[Any], which: str = "first") -> SearchBox:
    return app.query_one(f"#{which}", SearchBox)


def shown(app: App[Any], which: str = "first") -> str:
    """The text line of the box as the terminal shows it (inside its border and padding)."""
    widget = box(app, which)
    region = widget.content_region
    line = screen_lines(app)[region.y]
    return line[region.x : region.right]


def cursor_column(widget: SearchBox) -> int | None:
    """The column of the box's text line drawn in the cursor's colours, if any."""
    cursor = widget.get_component_rich_style("search-box--cursor")
    column = 0
    for segment in widget.render_line(0):
        style = segment.style or Style()
        if style.bgcolor == cursor.bgcolor and style.color == cursor.color:
            return column
        column += segment.cell_length
    return None


async def test_the_placeholder_then_what_is_typed_shows_as_typed() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        assert shown(app).rstrip() == PLACEHOLDER[:18]  # literally: markup is not read
        await pilot.click("#first")
        await pilot.press(*"[red]x")
        assert box(app).value == "[red]x"
        assert shown(app).rstrip() == "[red]x"
        assert app.changes == ["[", "[r", "[re", "[red", "[red]", "[red]x"]


async def test_every_key_of_one_read_lands_in_order() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        box(app).focus()
        await pilot.pause()
        await one_read(pilot, "kowalski q?/n s")
        assert box(app).value == "kowalski q?/n s"
        assert shown(app).rstrip() == "kowalski q?/n s"
        assert app.changes[-1] == "kowalski q?/n s" and len(app.changes) == 15


async def test_editing_keys_act_where_they_were_typed() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        widget.focus()
        await pilot.pause()
        steps = [
            ("abc" + BACKSPACE + "d" + LEFT + "X", "abXd"),
            (HOME + "<" + END + ">", "<abXd>"),
            (CTRL_A + DELETE + CTRL_E + BACKSPACE, "abXd"),
            (HOME + RIGHT + RIGHT + CTRL_K, "ab"),
            (" dale kow" + CTRL_W, "ab dale "),
            (CTRL_LEFT + CTRL_U + "bea", "beadale "),
            (CTRL_U + "carla", "carladale "),
        ]
        for keys, value in steps:
            await one_read(pilot, keys)
            assert widget.value == value, (keys, widget.value)
            assert shown(app).rstrip() == value.rstrip()


async def test_pastes_keep_every_character_in_order() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        widget.focus()
        await pilot.pause()
        await one_read(pilot, bracketed("ava.ulrich\n"))
        assert widget.value == "ava.ulrich"  # the line break a copied line ends with: dropped
        await one_read(pilot, HOME + bracketed("dr "))
        assert widget.value == "dr ava.ulrich"  # at the cursor
        await one_read(pilot, END + bracketed(" a\tb\nc\u202ed"))
        # breaks and tabs as spaces, the bidi override dropped, what follows kept
        assert widget.value == "dr ava.ulrich a b cd"
        widget.value = "x\x1b[31my"  # ESC: dropped, from code too
        assert widget.value == "x[31my"
        await pilot.pause()
        assert shown(app).rstrip() == "x[31my"
        widget.clear()
        await one_read(pilot, "dale kowalski +1 (555) 010-9422")  # unbracketed: keys
        assert widget.value == "dale kowalski +1 (555) 010-9422"


async def test_the_cursor_shows_while_focused_and_follows_the_keys() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        box(app, "second").focus()
        await pilot.pause()
        assert cursor_column(widget) is None
        widget.focus()
        await pilot.pause()
        assert cursor_column(widget) == 0  # on the placeholder's first cell
        await one_read(pilot, "dale")
        assert cursor_column(widget) == 4  # after the text
        await one_read(pilot, LEFT + LEFT)
        assert cursor_column(widget) == 2
        await one_read(pilot, TAB)  # to the second box
        assert box(app, "second").has_focus
        assert cursor_column(widget) is None
        assert cursor_column(box(app, "second")) == 0


async def test_a_long_text_scrolls_to_keep_the_cursor_in_view() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        widget.focus()
        await pilot.pause()
        text = "abcdefghijklmnopqrstuvwxyz0123456789"
        await one_read(pilot, text)
        assert widget.value == text
        assert shown(app) == text[-17:] + " "  # the end, and the cursor after it
        assert cursor_column(widget) == 17
        await one_read(pilot, HOME)
        assert shown(app) == text[:18]
        assert cursor_column(widget) == 0
        await one_read(pilot, CTRL_K)
        assert widget.value == ""
        assert shown(app) == PLACEHOLDER[:18]


async def test_tab_moves_on_before_the_keys_behind_it_and_enter_submits() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        box(app).focus()
        await pilot.pause()
        await one_read(pilot, "bea" + TAB + "dale" + ENTER)
        assert box(app).value == "bea"
        assert box(app, "second").value == "dale"
        assert app.submitted == ["dale"]


async def test_a_value_set_from_code_is_shown_with_the_cursor_at_its_end() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        widget.value = "hx99"
        widget.focus()
        await pilot.pause()
        assert shown(app).rstrip() == "hx99"
        assert widget.cursor_position == 4 and cursor_column(widget) == 4
        assert app.changes == ["hx99"]
        await one_read(pilot, "!")
        assert widget.value == "hx99!"


async def test_a_click_puts_the_cursor_where_it_was_clicked() -> None:
    app = BoxApp()
    async with app.run_test() as pilot:
        widget = box(app)
        widget.value = "kowalski"
        x = widget.content_region.x - widget.region.x
        await pilot.click("#first", offset=(x + 3, 1))
        assert widget.has_focus
        assert widget.cursor_position == 3 and cursor_column(widget) == 3
        await one_read(pilot, "-")
        assert widget.value == "kow-alski"


async def test_typing_keeps_the_layout() -> None:
    """The box has its size from CSS: what is typed never moves or resizes anything."""
    app = BoxApp()
    async with app.run_test() as pilot:
        regions = [w.region for w in app.query("SearchBox, #below")]
        box(app).focus()
        await one_read(pilot, "x" * 40 + BACKSPACE * 40)
        assert [w.region for w in app.query("SearchBox, #below")] == regions
