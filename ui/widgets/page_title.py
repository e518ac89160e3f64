"""The one page title (UI-48): a title and an optional grey line under it,
styled by the application style sheet (``QLabel#pageTitle`` and
``QLabel#pageSubtitle`` in resources/harbour.qss)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def page_title(title: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    box.setObjectName("pageHeader")
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 0, 0, 8)
    col.setSpacing(2)
    label = QLabel(title, box)
    label.setObjectName("pageTitle")
    label.setAccessibleName("page title")
    col.addWidget(label)
    if subtitle:
        sub = QLabel(subtitle, box)
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        col.addWidget(sub)
    return box


def title_label(text: str, parent: QWidget | None = None) -> QLabel:
    """Just the title, for a page that lays out its own header row."""
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    label.setAccessibleName("page title")
    return label
