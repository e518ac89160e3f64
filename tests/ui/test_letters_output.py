"""Tests for ui.output.preview, ui.output.printing and ui.output.export."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas

from ui.output import export, printing
from ui.output.preview import PdfPreview

#: The offscreen platform warns on showing any laid-out window; not a fault.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def two_pages() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for n in (1, 2):
        c.drawString(72, 700, f"Page {n}")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_preview_pages_and_zoom(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(600, 700)
    preview.show()
    assert preview.set_pdf(two_pages()) == 2
    assert preview.page_label.text() == "Page 1 of 2"
    assert not preview.previous.isEnabled() and preview.next.isEnabled()
    preview.next.click()
    assert preview.page_label.text() == "Page 2 of 2"
    before = preview._effective_zoom()
    preview.zoom_in.click()
    assert preview.zoom() == pytest.approx(before * printing_zoom_step())
    preview.fit.click()
    preview.clear()
    assert preview.page_label.text() == "No letter" and preview.pdf() == b""


def printing_zoom_step() -> float:
    from ui.output.preview import ZOOM_STEP
    return ZOOM_STEP


def test_preview_refuses_a_damaged_pdf(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    with pytest.raises(ValueError, match="damaged"):
        preview.set_pdf(b"%PDF-1.4 not really")
    assert preview.page_count() == 0


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def test_print_renders_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    out = tmp_path / "printed.pdf"
    assert printing.print_pdf(two_pages(), None, settings=settings, printer=pdf_printer(out),
                              ask=lambda p, parent: True)
    assert len(PdfReader(out).pages) == 2


def test_cancelled_print_reports_false(qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    out = tmp_path / "never.pdf"
    assert not printing.print_pdf(two_pages(), None, settings=settings, printer=pdf_printer(out),
                                  ask=lambda p, parent: False)
    assert not out.exists()


def test_unprintable_pdf_reports_false(qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ws.ini"), QSettings.Format.IniFormat)
    assert not printing.print_pdf(b"%PDF broken", None, settings=settings,
                                  printer=pdf_printer(tmp_path / "x.pdf"), ask=lambda p, parent: True)


def test_save_writes_exact_bytes(tmp_path: Path) -> None:
    data = two_pages()
    path = export.save_pdf(data, None, ask=lambda parent, name: tmp_path / name, suggested_name="a.pdf")
    assert path == tmp_path / "a.pdf" and path.read_bytes() == data
    assert export.save_pdf(data, None, ask=lambda parent, name: None) is None


def test_disk_full_is_reported_and_leaves_no_partial_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export.os, "fsync", full)
    target = tmp_path / "letter.pdf"
    with pytest.raises(ValueError, match="disk is full"):
        export.write_pdf(target, two_pages())
    assert not target.exists()


def test_no_permission_is_reported_without_touching_the_file(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "theirs.pdf"
    target.write_bytes(b"someone else's file")

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(export, "open", refused, raising=False)
    with pytest.raises(ValueError, match="may not write"):
        export.write_pdf(target, b"%PDF-1.4")
    assert target.read_bytes() == b"someone else's file"


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        export.write_pdf(tmp_path / "gone" / "letter.pdf", b"%PDF-1.4")
