"""The in-app letter preview: QtPdf over PDF bytes held in memory.

The document is read from a QBuffer, never a temporary file: a letter is
clinical data and nothing plaintext goes to disk until someone explicitly
saves it (DESIGN.md §3).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0


class PdfPreview(QWidget):
    """Shows one PDF; zoom in/out, fit to width, page through."""

    #: Emitted after a document is shown (page count) or cleared (0).
    loaded = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = b""
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setAccessibleName("Letter preview")

        self.previous = self._button("‹", "Previous page (Page Up)", QKeySequence.StandardKey.MoveToPreviousPage)
        self.next = self._button("›", "Next page (Page Down)", QKeySequence.StandardKey.MoveToNextPage)
        self.page_label = QLabel("No letter")
        self.page_label.setMinimumWidth(90)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out = self._button("−", "Zoom out (Ctrl+−)", QKeySequence.StandardKey.ZoomOut)
        self.zoom_in = self._button("+", "Zoom in (Ctrl++)", QKeySequence.StandardKey.ZoomIn)
        self.fit = self._button("Fit", "Fit the page width to the window", QKeySequence("Ctrl+0"))
        self.previous.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.zoom_in.clicked.connect(lambda: self._zoom_by(ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self._zoom_by(1 / ZOOM_STEP))
        self.fit.clicked.connect(self.fit_width)
        self.view.pageNavigator().currentPageChanged.connect(self._update_controls)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.previous, self.page_label, self.next):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out, self.zoom_in, self.fit):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_controls()

    def _button(self, text: str, tip: str, key: QKeySequence | QKeySequence.StandardKey) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setShortcut(QKeySequence(key))
        b.setAutoRaise(True)
        return b

    # -- the document ----------------------------------------------------

    def set_pdf(self, data: bytes) -> int:
        """Show ``data``; returns the page count. ``ValueError`` if it is not
        a PDF QtPdf can read (the previous document is cleared)."""
        self.clear()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() == 0:
            self.document.close()
            buffer.close()
            buffer.deleteLater()
            self._update_controls()
            raise ValueError("The letter could not be shown: the PDF is damaged or empty.")
        self._buffer, self._data = buffer, data
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.go_to(0)
        self._update_controls()
        self.loaded.emit(self.document.pageCount())
        return self.document.pageCount()

    def clear(self) -> None:
        """Forget the document (on lock, or before showing another)."""
        had = self._buffer is not None
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
            self._buffer.deleteLater()
            self._buffer = None
        self._data = b""
        self._update_controls()
        if had:
            self.loaded.emit(0)

    def pdf(self) -> bytes:
        """The bytes on show (b"" when none)."""
        return self._data

    def page_count(self) -> int:
        return self.document.pageCount() if self._buffer is not None else 0

    # -- navigation and zoom --------------------------------------------

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_controls()

    def zoom(self) -> float:
        return self.view.zoomFactor()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom_by(self, factor: float) -> None:
        if self.page_count() == 0:
            return
        current = self._effective_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))

    def _effective_zoom(self) -> float:
        """In fit mode the zoom factor is not kept up to date; work it out."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        points = self.document.pagePointSize(max(0, self.current_page()))
        if points.width() <= 0:
            return 1.0
        dpi_scale = self.logicalDpiX() / 72.0
        return max(ZOOM_MIN, self.view.viewport().width() / (points.width() * dpi_scale))

    def _update_controls(self, *_: object) -> None:
        count = self.page_count()
        page = self.current_page() if count else 0
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "No letter")
        self.previous.setEnabled(count > 0 and page > 0)
        self.next.setEnabled(count > 0 and page < count - 1)
        for b in (self.zoom_in, self.zoom_out, self.fit):
            b.setEnabled(count > 0)
