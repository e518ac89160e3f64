"""A list for a clinical answer: it starts at "(choose)" and a form refuses
to save until an answer is chosen (UI-19: a result, a decision or an
assessment answer is never pre-filled, so one hurried Enter cannot record
"Negative" or "no change")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

CHOOSE = "(choose)"


def choice_box(items: Iterable[tuple[str, Any]], parent: QWidget | None = None) -> QComboBox:
    """``items`` are (label, value) pairs; the box starts on "(choose)"."""
    box = QComboBox(parent)
    box.addItem(CHOOSE, None)
    for label, value in items:
        box.addItem(label, value)
    box.setCurrentIndex(0)
    return box


def chosen(box: QComboBox) -> Any:
    """The value chosen, or None while the box is still at "(choose)"."""
    return box.currentData()
