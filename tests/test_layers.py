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


#: Packages of ui/ every screen may use; every other folder of ui/ is a feature.
UI_SHARED = {"widgets", "shell", "output", "operations"}  # operations: named user actions (ui/operations)


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "ui" or len(parts) < 2 or parts[1] in UI_SHARED or not (ROOT / "ui" / parts[1]).is_dir():
        return None
    return parts[1]


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_ui_feature_imports_another() -> None:
    """A screen another feature needs (the booking dialog, the letter writer)
    lives in a shared package; a record's tabs are imported by name at run time."""
    bad = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        own = _feature_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue
        others = {f for m in _imported_modules(path) if (f := _feature_of(m)) not in (None, own)}
        if others:
            bad.append(f"{path.relative_to(ROOT)} imports ui.{sorted(others)}")
    assert bad == []


def test_no_module_imports_another_modules_private_names() -> None:
    bad = []
    for package in ("clinic", "db", "ui", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    private = [a.name for a in node.names if a.name.startswith("_")]
                    if private and node.module.split(".")[0] in FORBIDDEN:
                        bad.append(f"{path.relative_to(ROOT)}: {node.module} {private}")
    assert bad == []


def test_the_appointment_book_reaches_probation_only_through_its_watcher() -> None:
    """The one seam between the two (``clinic/services/appointments/watchers.py``):
    probation books appointments, so the book never imports probation."""
    book = ROOT / "clinic" / "services" / "appointments"
    bad = [f"{p.name}: {m}" for p in sorted(book.glob("*.py")) for m in _imported_modules(p)
           if m.startswith("clinic.services.probation")]
    assert bad == []
