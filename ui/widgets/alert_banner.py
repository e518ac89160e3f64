"""A banner that cannot be missed: white on dark red, bold, full width."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

STYLE = ("QLabel { background: #8b0000; color: white; font-weight: bold; padding: 8px 10px;"
         " border-radius: 3px; }")


class AlertBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.setWordWrap(True)
        self.setAccessibleName("alert")
        self.hide()

    def show_alert(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    @property
    def alert(self) -> str:
        return "" if self.isHidden() else self.text()
