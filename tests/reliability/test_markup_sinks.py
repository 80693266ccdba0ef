"""Data never goes through Textual or Rich markup: a string built from values (an f-string, a
concatenation, .format, %) is never handed to a widget or notification that parses markup,
unless it says `markup=False` or is wrapped (Text, Content, escape). A new screen that forgets
fails here; what it shows is made inert by the line filter either way (test_inert.py)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "leaf_tui" / "tui"
SINKS = {"notify", "Label", "Static", "Button", "Option", "Hit", "DiscoveryHit", "RadioButton"}
ALLOW = "# markup: static"  # a line whose built string holds no data (say why next to it)


def built(node: ast.expr) -> bool:
    """A string put together from values at run time."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return built(node.left) or built(node.right) or isinstance(node.op, ast.Mod)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format"
    if isinstance(node, ast.IfExp):
        return built(node.body) or built(node.orelse)
    return False


def offenders() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in SINKS:
                continue
            markup_off = any(
                k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in node.keywords
            )
            # (a notification's title is never parsed: Textual shows it as plain text)
            args = [] if markup_off else node.args[:1]
            if any(built(a) for a in args) and ALLOW not in lines[node.lineno - 1]:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:90]}")
    return found


def test_no_string_built_from_data_is_parsed_as_markup() -> None:
    assert offenders() == []


def test_the_check_finds_what_it_looks_for() -> None:
    tree = ast.parse('app.notify(f"Saved {user.name}")').body[0]
    assert isinstance(tree, ast.Expr) and isinstance(tree.value, ast.Call)
    assert built(tree.value.args[0])
    assert not built(ast.parse('"plain"').body[0].value)  # type: ignore[attr-defined]
