"""Tests for ui.shell.single_instance: one Harbour per data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.shell.single_instance import SingleInstance

pytestmark = pytest.mark.gui


def test_second_launch_is_refused_and_wakes_the_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = SingleInstance(tmp_path), SingleInstance(tmp_path)
    assert first.acquire()
    with qtbot.waitSignal(first.activated, timeout=3000):
        assert not second.acquire()
    first.release()
    third = SingleInstance(tmp_path)
    assert third.acquire()
    third.release()


def test_other_folders_are_independent(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = SingleInstance(tmp_path / "a"), SingleInstance(tmp_path / "b")
    assert a.acquire() and b.acquire()
    a.release()
    b.release()
