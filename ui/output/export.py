"""Saving a letter as a PDF file: the one way a letter leaves the encrypted
store as a file, so the user is warned and the caller audits it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
import contextlib

FOLDER_KEY = "letters/save_folder"
WARNING = (
    "The saved PDF is outside Harbour's encrypted store: anyone who can open "
    "that folder can read it. Save it only where it is needed, and delete it "
    "when it has been sent. Saving is recorded in the audit trail."
)

AskPath = Callable[["QWidget | None", str], "Path | None"]


def ask_with_dialog(parent: QWidget | None, suggested: str, *, what: str = "letter") -> Path | None:
    """Warn, then ask where to save. None if the user backed out. ``what``
    names the document in the titles ("day sheet", UI-16)."""
    answer = QMessageBox.warning(
        parent, f"Save {what} as PDF", WARNING,
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Ok,
    )
    if answer != QMessageBox.StandardButton.Ok:
        return None
    settings = QSettings()
    folder = str(settings.value(FOLDER_KEY, "", str)) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(parent, f"Save {what} as PDF", str(Path(folder) / suggested),
                                          "PDF documents (*.pdf)")
    if not path:
        return None
    chosen = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    settings.setValue(FOLDER_KEY, str(chosen.parent))
    return chosen


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write ``pdf`` to ``path``, fully or not at all.

    ``ValueError`` with a message staff can act on (disk full, no permission);
    a partly written file is removed so a truncated letter is never left.
    """
    opened = False
    try:
        with open(path, "wb") as f:
            opened = True
            f.write(pdf)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        if opened:  # never remove a file we could not even open
            _remove_partial(path)
        raise ValueError(_message(path, exc)) from exc


def save_pdf(pdf: bytes, parent: QWidget | None = None, *, suggested_name: str = "letter.pdf",
             ask: AskPath = ask_with_dialog) -> Path | None:
    """Ask where, then write. Returns the path, or None if the user cancelled.
    Raises ``ValueError`` if the file could not be written. The caller files
    and audits the export (``filing.file_rendered`` +
    ``letters.record_export``) only after this returns a path."""
    path = ask(parent, suggested_name)
    if path is None:
        return None
    write_pdf(path, pdf)
    return path


def _remove_partial(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _message(path: Path, exc: OSError) -> str:
    where = f"“{path.name}” in {path.parent}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The letter was not saved: the disk is full. Free some space or choose another place than {where}."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"The letter was not saved: Harbour may not write {where}. Choose another folder."
    if exc.errno == errno.ENOENT:
        return f"The letter was not saved: the folder {path.parent} does not exist."
    return f"The letter was not saved to {where}: {exc.strerror or 'the file could not be written'}."
