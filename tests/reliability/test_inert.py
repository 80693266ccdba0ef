"""The one sanitising step (leaf_tui.common.inert) over the whole hostile corpus, and the two
places that apply it: the TUI's line filter and the CLI's output streams."""

from __future__ import annotations

import io
import json

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color

from leaf_tui.cli.output import InertStream, inert_output, raw
from leaf_tui.common.inert import BIDI_CONTROLS, UNSAFE, inert, is_inert
from leaf_tui.tui.inert_filter import INERT_TEXT

from .hostile import CORPUS, MARKERS
from .tally import Tally

CASES = list(CORPUS.items())


def acts_on_a_terminal(text: str) -> bool:
    return any(marker in text.encode() for marker in MARKERS) or bool(UNSAFE.search(text))


@pytest.mark.parametrize(("name", "text"), CASES, ids=[n for n, _ in CASES])
def test_inert_leaves_nothing_a_terminal_acts_on(name: str, text: str, tally: Tally) -> None:
    shown = inert(text)
    assert not acts_on_a_terminal(shown), (name, shown)
    assert is_inert(shown)
    assert inert(shown) == shown, "idempotent"
    if "\x1b" in text:
        assert "␛" in shown, "ESC is shown, not dropped"
        assert shown.count("␛") == text.count("\x1b")
    # one visible cell per control; bidi controls are removed; everything else is kept as is
    bidi = sum(text.count(c) for c in BIDI_CONTROLS)
    assert len(shown) == len(text) - bidi
    kept = [c for c in text if not UNSAFE.match(c)]
    assert [
        c
        for c in shown
        if not UNSAFE.match(c) and c not in "␀␛�␡" and not 0x2400 <= ord(c) <= 0x241F
    ] == [c for c in kept if c not in "␛"]
    tally.inert_checks["inert() unit"] += 1


def test_markup_and_plain_text_pass_unchanged() -> None:
    for text in ("[/] [@click=app.quit]x[/]", "Ann Lee", "Zoë Ørsted שלום", "a  b", ""):
        assert inert(text) == text


def test_keep_keeps_newlines_only_where_asked() -> None:
    assert inert("a\nb\tc") == "a␊b␉c"
    assert inert("a\nb\tc", keep="\n") == "a\nb␉c"
    assert inert("\x1b[2J\n", keep="\n") == "␛[2J\n"


@pytest.mark.parametrize(("name", "text"), CASES, ids=[n for n, _ in CASES])
def test_json_output_round_trips_exactly_and_is_inert(name: str, text: str) -> None:
    dumped = json.dumps({"name": text, "links": [text]}, indent=2)  # as --json prints it
    assert json.loads(dumped) == {"name": text, "links": [text]}
    assert not acts_on_a_terminal(dumped.replace("\n", ""))
    stream = io.StringIO()
    InertStream(stream).write(dumped + "\n")  # the CLI's stdout leaves JSON as it is
    assert stream.getvalue() == dumped + "\n"


@pytest.mark.parametrize(("name", "text"), CASES, ids=[n for n, _ in CASES])
def test_the_tui_line_filter_keeps_the_laid_out_width(name: str, text: str, tally: Tally) -> None:
    line = text.replace("\n", " ")[:200]
    padding = " " * (3 + len(UNSAFE.findall(line)))  # a cell's filler, wider than the stand-ins
    width = cell_len(line) + 3 + len(padding)
    segments = [
        Segment("▊ ", Style(color="blue")),
        Segment(line, Style(bold=True)),
        Segment(padding, None),
        Segment("▎", Style(color="blue")),
    ]
    out = INERT_TEXT.apply(segments, Color(0, 0, 0))
    joined = "".join(s.text for s in out)
    assert not acts_on_a_terminal(joined)
    assert sum(cell_len(s.text) for s in out) == width
    assert joined.endswith("▎"), "the right edge stays; blanks give way first"
    if not UNSAFE.search(line):
        assert out is segments, "clean lines are passed through untouched"
    tally.inert_checks["TUI line filter unit"] += 1


def test_the_cli_streams_are_inert_inside_main_and_raw_for_deliberate_escapes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    with inert_output():
        print(CORPUS["osc 52 clipboard"])
        print(CORPUS["clear screen"], file=sys.stderr)
        raw(sys.stderr).write("\x1b]52;c;b2s=\x07")  # the OSC 52 writer's own sequence
    out = capsys.readouterr()
    assert "\x1b" not in out.out and "␛]52;c;" in out.out
    assert out.err.startswith("Di ␛[2J")
    assert out.err.endswith("\x1b]52;c;b2s=\x07")
