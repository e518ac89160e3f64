"""The one-way layering ui -> clinic -> db, checked on every file."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


FORBIDDEN = {
    "clinic": {"PySide6", "shiboken6", "ui", "cli"},
    "db": {"PySide6", "shiboken6", "ui", "clinic", "cli"},
    "ui": {"db"},
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports(package: str) -> None:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        wrong = imported_roots(path) & FORBIDDEN[package]
        if wrong and not (package == "ui" and path.name == "app.py"):
            bad.append(f"{path.relative_to(ROOT)} imports {sorted(wrong)}")
    assert bad == []
