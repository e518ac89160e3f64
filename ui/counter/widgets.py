"""Small widgets the counter's screens share."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget


def choice(options: dict[str, str], *, preset: str | None = None) -> QComboBox:
    """A combo whose first entry is empty: nothing is assumed."""
    combo = QComboBox()
    combo.addItem("", None)
    for key, label in options.items():
        combo.addItem(label, key)
    if preset is not None:
        combo.setCurrentIndex(max(0, combo.findData(preset)))
    return combo


def stretch_column(t: QTableWidget, column: int) -> None:
    """The column with the long text takes the spare width, not the last one."""
    t.horizontalHeader().setStretchLastSection(False)
    t.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def right_aligned(button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    return row
