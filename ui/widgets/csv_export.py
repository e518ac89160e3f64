"""Exporting a CSV out of the encrypted store: warn first, then ask where,
then write (from a worker, beside the audit row that records it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def confirm_then_choose(parent: QWidget, *, title: str, warning: str, suggested_name: str,
                        on_path: Callable[[Path], None]) -> QMessageBox:
    """Show the warning; "Choose file…" opens a save dialog that hands the
    chosen path to ``on_path``. Returns the (open, non-blocking) warning box."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, warning, QMessageBox.StandardButton.Cancel, parent)
    choose = box.addButton("Choose file…", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(choose)

    def ask_path() -> None:
        dialog = QFileDialog(parent, title, str(Path.home() / suggested_name), "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda path: on_path(Path(path)))
        dialog.open()

    choose.clicked.connect(ask_path)
    box.open()
    return box


def write_csv(path: Path, text: str) -> None:
    """Write the file; a failure becomes a message staff can act on."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as exc:
        raise ValueError(f"The file could not be written ({exc.strerror or type(exc).__name__}). "
                         "Choose another folder.") from exc
