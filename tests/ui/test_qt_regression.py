"""PySide6 6.12.0 on CPython 3.11 corrupts the refcount of None: setting a
label's text in a loop aborts the interpreter (DESIGN.md §2). The
dependency pin keeps 6.12 off 3.11; this test fails loudly if it slips."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel


@pytest.mark.gui
def test_set_text_a_hundred_thousand_times(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(100_000):
        label.setText(str(i) if i % 2 else "")
    assert label.text() == "99999"
