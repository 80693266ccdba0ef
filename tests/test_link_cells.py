"""link_cells: what each cell of the Links table says (plain text, no Textual)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

from leaf_tui.api.models import LinkKind
from leaf_tui.domain.link_cells import (
    COLUMNS,
    TABLE_WIDTH,
    WIDTHS,
    ago_coarse,
    column_label,
    column_widths,
    fit,
    fit_providers,
    live_cells,
    narrow,
    short_id,
    signature,
    static_cells,
)
from tests.test_link_filters import NOW, make_link


def test_fit_and_short_id() -> None:
    assert fit("Ann", 18) == "Ann"
    assert fit("Christensen Maple Farms", 18) == "Christensen Maple…"
    assert len(fit("x" * 40, 18)) == 18
    assert short_id("0b5e1c2d-aaaa-bbbb") == "0b5e1c2d…"
    assert short_id(None) == "—"


def test_providers_fit_with_a_count_of_the_rest() -> None:
    assert fit_providers((), 22) == "—"
    assert fit_providers(("JohnDeere", "CNHI"), 22) == "JohnDeere, CNHI"
    many = ("ClimateFieldView", "RavenSlingshot", "Stara")
    assert fit_providers(many, 22) == "ClimateFieldView +2"
    assert all(len(fit_providers(many[:n], 22)) <= 22 for n in range(1, 4))


def test_ago_coarse_keeps_the_largest_unit() -> None:
    assert ago_coarse(None, NOW) == "never"
    assert ago_coarse(NOW - timedelta(seconds=2), NOW) == "just now"
    assert ago_coarse(NOW - timedelta(seconds=40), NOW) == "<1m ago"
    assert ago_coarse(NOW - timedelta(seconds=725), NOW) == "12m ago"
    assert ago_coarse(NOW - timedelta(hours=3, minutes=7), NOW) == "3h ago"
    assert ago_coarse(NOW - timedelta(days=6, hours=4), NOW) == "6d ago"


def test_cells_of_a_link() -> None:
    link = make_link(kind=LinkKind.AUTHENTICATION, left=600, used=3)
    cells = static_cells(link, "Ann Lindqvist")
    assert cells["user"] == ("Ann Lindqvist", "")
    assert cells["kind"] == ("authentication", "")
    assert cells["providers"] == ("CNHI", "")
    assert cells["uses"] == ("3/3 ██████", "links-table--used-up")
    assert static_cells(link, None)["user"] == ("user-1", "links-table--dim")
    live = live_cells(link, NOW)
    assert live["expires"] == ("10m 00s", "links-table--soon")
    assert live_cells(link, NOW + timedelta(minutes=11))["expires"] == (
        "expired",
        "links-table--expired",
    )
    assert all(len(text) <= WIDTHS[column] for column, (text, _) in {**cells, **live}.items())


def test_signature_changes_only_with_what_is_shown() -> None:
    link = make_link()
    same = replace(link, extra={"unknownField": 1}, link="http://elsewhere/x")
    assert signature(link, "Ann") == signature(same, "Ann")
    assert signature(link, "Ann") != signature(link, "Bob")
    assert signature(link, "Ann") != signature(replace(link, usage_count=2), "Ann")


def test_module_stays_textual_free() -> None:
    code = "import sys, leaf_tui.domain.link_cells; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_columns_narrow_least_needed_first() -> None:
    assert column_widths(TABLE_WIDTH) == WIDTHS  # room for all: as designed
    at_80 = column_widths(78)  # an 80-column terminal, its scrollbar aside
    assert at_80["created"] == 0  # dropped first
    assert sum(w + 2 for w in at_80.values() if w) <= 78
    # the expiry, uses, user and kind stay readable; each header fits whole (short or full)
    assert at_80["kind"] == WIDTHS["kind"] and at_80["uses"] == WIDTHS["uses"]
    assert at_80["expires"] >= len("expired") and at_80["user"] >= 12
    for key, label, _ in COLUMNS:
        if at_80[key]:
            assert len(column_label(key, label, at_80[key])) <= at_80[key]


def test_a_narrowed_providers_cell_uses_short_names() -> None:
    link = replace(make_link(), allowed_providers=("RavenSlingshot", "ClimateFieldView", "CNHI"))
    full = static_cells(link, None)["providers"][0]
    assert narrow("providers", full, link, 12) == "Raven +2"
    assert narrow("user", "Christensen Maple Farms", link, 14) == "Christensen…"
