"""Small shared looks: headings, the DEMO banner, chips."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

DEMO_STYLE = "background: #b35900; color: white; font-weight: bold; padding: 6px 10px; border-radius: 3px;"


def heading(text: str) -> QLabel:
    """The one title style (``QLabel#pageTitle`` in resources/harbour.qss)."""
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def banner(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(DEMO_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName("Demo banner")
    return label
