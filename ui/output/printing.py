"""Printing a letter: QPrintDialog, then each PDF page drawn at printer
resolution with QtPdf. The chosen printer is remembered per workstation.

``print_pdf`` returns True only when every page reached the printer; a
cancelled dialog, an unavailable printer or a failed page returns False and
the caller must not file the letter as printed (DESIGN.md §7).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSettings, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

log = logging.getLogger(__name__)

PRINTER_KEY = "letters/printer"
#: A4 at 600 dpi is ~140 MB per page as an image; more adds nothing on paper.
MAX_DPI = 600

AskPrinter = Callable[[QPrinter, "QWidget | None"], bool]


def ask_with_dialog(printer: QPrinter, parent: QWidget | None, *, what: str = "letter") -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {what}")
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_pdf(
    pdf: bytes,
    parent: QWidget | None = None,
    *,
    settings: QSettings | None = None,
    printer: QPrinter | None = None,
    ask: AskPrinter = ask_with_dialog,
    copies_title: str = "Harbour letter",
) -> bool:
    """Print ``pdf``; True only if every page was sent to the printer."""
    settings = settings if settings is not None else QSettings()
    printer = printer if printer is not None else QPrinter(QPrinter.PrinterMode.HighResolution)
    remembered = str(settings.value(PRINTER_KEY, "", str))
    if remembered and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        printer.setPrinterName(remembered)
    printer.setDocName(copies_title)
    printer.setFullPage(True)  # the letter's own margins, not the driver's
    if not ask(printer, parent):
        return False
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
        settings.setValue(PRINTER_KEY, printer.printerName())
    return render_to(printer, pdf)


def render_to(printer: QPrinter, pdf: bytes) -> bool:
    """Draw every page of ``pdf`` on ``printer``; False on any failure."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            for page in range(document.pageCount()):
                if page and not printer.newPage():
                    printer.abort()
                    return False
                if not _draw_page(painter, printer, document, page):
                    printer.abort()
                    return False
        finally:
            painter.end()
        return printer.printerState() != QPrinter.PrinterState.Error
    finally:
        document.close()
        buffer.close()


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> bool:
    target = painter.viewport()
    points = document.pagePointSize(page)
    if points.width() <= 0 or target.width() <= 0:
        return False
    dpi = min(printer.resolution(), MAX_DPI)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    image = document.render(page, size)
    if image.isNull():
        return False
    # Keep the page's proportions inside the printable rectangle.
    scale = min(target.width() / points.width(), target.height() / points.height())
    w, h = round(points.width() * scale), round(points.height() * scale)
    painter.drawImage(QRect(target.x(), target.y(), w, h), image)
    return True
