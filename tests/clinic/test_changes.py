"""Tests for clinic.changes."""

from __future__ import annotations

import ast
from pathlib import Path

from clinic.changes import Area, Changes

ROOT = Path(__file__).resolve().parents[2]


def test_a_change_touches_its_areas_and_everything_touches_all() -> None:
    changes = Changes.of(Area.APPOINTMENTS, Area.PROBATION, person_id=7)
    assert changes.touches("appointments") and changes.touches(Area.PROBATION)
    assert not changes.touches(Area.OST)
    assert changes.person_ids == frozenset({7})
    assert all(Changes.everything().touches(a) for a in Area)


def _areas_named_in(path: Path) -> set[str]:
    """String literals a screen passes to ``touches(...)`` or lists in ``AREAS``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "touches":
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "AREAS" for t in node.targets):
            found |= {e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return found


def test_every_area_a_screen_listens_for_is_one_a_write_can_touch() -> None:
    named = {area: path for path in (ROOT / "ui").rglob("*.py") for area in _areas_named_in(path)}
    unknown = {area: str(path.relative_to(ROOT)) for area, path in named.items() if area not in list(Area)}
    assert named and unknown == {}
