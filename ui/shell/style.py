"""Small shared looks: headings, the DEMO banner, chips."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

DEMO_STYLE = "background: #b35900; color: white; font-weight: bold; padding: 6px 10px; border-radius: 3px;"


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def banner(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(DEMO_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName("Demo banner")
    return label
