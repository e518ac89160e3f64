"""The letterhead logo: choose a PNG or JPEG, see it, store it as PNG.

The file is checked by actually loading it (QImage), converted to PNG
(letters need PNG), scaled down if it is far larger than a letterhead
needs, and kept as base64 text in the site settings.
"""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets.form_row import FieldError

MAX_SIDE = 1200  # pixels; a letterhead logo is printed a few centimetres wide
_FORMATS = {b"png", b"jpeg", b"jpg"}


def png_base64_from_file(path: Path) -> str:
    """The image at ``path`` as base64 PNG, or ``ValueError`` saying why not."""
    reader = QImageReader(str(path))
    if bytes(reader.format().data()) not in _FORMATS:
        raise ValueError("Choose a PNG or JPEG image file.")
    image = reader.read()
    if image.isNull():
        raise ValueError("That image could not be read (the file may be damaged). Choose another.")
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stubs (and its own signature text) say bytes for the format; the binding takes only str.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return base64.b64encode(bytes(data.data())).decode("ascii")


class LogoEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = ""
        self.preview = QLabel()
        self.preview.setMinimumSize(240, 80)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.choose_button = QPushButton("Choose image…")
        self.choose_button.setAutoDefault(False)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAutoDefault(False)
        self.error = FieldError()
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.preview)
        column.addLayout(buttons)
        column.addWidget(self.error)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(lambda: self._set(""))
        self.setFocusProxy(self.choose_button)
        self._show()

    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        self._value = value
        self.error.clear_message()
        self._show()

    def choose(self) -> None:
        dialog = QFileDialog(self, "Choose the letterhead logo", str(Path.home()), "Images (*.png *.jpg *.jpeg)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        dialog.open()

    def load_file(self, path: Path) -> bool:
        try:
            encoded = png_base64_from_file(path)
        except ValueError as exc:
            self.error.show_message(str(exc))
            return False
        self._set(encoded)
        return True

    def _set(self, value: str) -> None:
        self.error.clear_message()
        if value != self._value:
            self._value = value
            self._show()
            self.changed.emit()

    def _show(self) -> None:
        self.remove_button.setEnabled(bool(self._value))
        if not self._value:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo: letters carry the service name only.")
            return
        image = QImage.fromData(base64.b64decode(self._value), "PNG")  # type: ignore[arg-type]  # str, as save
        if image.isNull():
            self.preview.setText("The stored logo cannot be read. Choose another.")
            return
        pixmap = QPixmap.fromImage(image).scaled(240, 80, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(pixmap)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self.choose_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only and bool(self._value))
