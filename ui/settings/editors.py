"""One editor per declared setting, chosen from its declaration
(clinic.settings): a number box within its bounds, a list of its choices,
a multi-line box for multi-line text, a line limited to its length.

Every editor offers ``widget``, ``value()``, ``set_value(v)``,
``set_read_only(b)`` and a ``changed`` callback hook, so the page is built
from the declarations alone; a new setting appears without UI work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QWidget,
)

from clinic.settings import Setting
from ui.settings.closures import ClosureDatesEditor
from ui.settings.logo import LogoEditor

class Editor:
    def __init__(self, widget: QWidget, get: Callable[[], Any], put: Callable[[Any], None],
                 read_only: Callable[[bool], None]) -> None:
        self.widget, self._get, self._put, self._read_only = widget, get, put, read_only

    def value(self) -> Any:
        return self._get()

    def set_value(self, value: Any) -> None:
        self._put(value)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only(read_only)


def editor_for(setting: Setting, on_change: Callable[[], None]) -> Editor:
    key = setting.key
    if key == "site.logo_png_base64":
        logo = LogoEditor()
        logo.changed.connect(on_change)
        return Editor(logo, logo.value, logo.set_value, logo.setReadOnly)
    if key == "workdays.closures":
        closures = ClosureDatesEditor()
        closures.changed.connect(on_change)
        return Editor(closures, closures.value, closures.set_value, closures.setReadOnly)
    if setting.type is int:
        assert setting.minimum is not None and setting.maximum is not None
        spin = QSpinBox()
        spin.setRange(setting.minimum, setting.maximum)
        spin.setMaximumWidth(120)
        spin.valueChanged.connect(lambda _: on_change())
        return Editor(spin, spin.value, spin.setValue, spin.setReadOnly)
    if setting.choices:
        combo = QComboBox()
        combo.setMaximumWidth(320)
        for value, label in setting.choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _: on_change())
        return Editor(combo, combo.currentData, lambda v: combo.setCurrentIndex(max(0, combo.findData(v))),
                      lambda ro: combo.setEnabled(not ro))
    if setting.multiline:
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 14)
        text.textChanged.connect(on_change)
        return Editor(text, lambda: text.toPlainText().strip(), text.setPlainText, text.setReadOnly)
    if key.endswith(".folder"):
        return _folder_editor(on_change, setting.max_length)
    line = QLineEdit()
    line.setMaxLength(setting.max_length)
    line.textChanged.connect(lambda _: on_change())
    return Editor(line, lambda: line.text().strip(), line.setText, line.setReadOnly)


def _folder_editor(on_change: Callable[[], None], max_length: int) -> Editor:
    box = QWidget()
    line = QLineEdit()
    line.setMaxLength(max_length)
    line.setPlaceholderText("none")
    choose = QPushButton("Choose folder…")
    choose.setAutoDefault(False)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(line, 1)
    row.addWidget(choose)
    box.setFocusProxy(line)

    def pick() -> None:
        dialog = QFileDialog(box, "Choose a folder", line.text() or str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(line.setText)
        dialog.open()

    choose.clicked.connect(pick)
    line.textChanged.connect(lambda _: on_change())

    def read_only(ro: bool) -> None:
        line.setReadOnly(ro)
        choose.setEnabled(not ro)

    return Editor(box, lambda: line.text().strip(), line.setText, read_only)
