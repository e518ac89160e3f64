"""Flags as coloured chips beside a person's name."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from clinic.services.people.search import Chip

#: (background, text) per tone; text contrast at least 4.5:1.
TONES = {
    "risk": ("#b00020", "#ffffff"),
    "post": ("#fff3c4", "#5c4400"),
    "family": ("#dcebff", "#0b3d78"),
    "module": ("#cdebd3", "#174a22"),
    "status": ("#d9d9d9", "#333333"),
}


def chip_style(tone: str) -> str:
    background, text = TONES.get(tone, TONES["status"])
    return (f"QLabel {{ background: {background}; color: {text}; border-radius: 8px;"
            " padding: 2px 8px; font-weight: 600; }")


class ChipLabel(QLabel):
    def __init__(self, chip: Chip, parent: QWidget | None = None) -> None:
        super().__init__(chip.label, parent)
        self.tone = chip.tone
        self.setStyleSheet(chip_style(chip.tone))
        self.setAccessibleName(f"flag: {chip.label}")


class ChipRow(QWidget):
    """A row of chips; ``set_chips`` replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)

    def set_chips(self, chips: Iterable[Chip]) -> None:
        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for i, chip in enumerate(chips):
            self._layout.insertWidget(i, ChipLabel(chip, self))

    def labels(self) -> list[str]:
        out = []
        for i in range(self._layout.count()):
            item = self._layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, ChipLabel) and not widget.property("dropping"):
                out.append(widget.text())
        return out
