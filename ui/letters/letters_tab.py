"""A person's Letters tab: every filed letter, the filed copy on reopening.

Reopening shows the bytes that were filed, never a re-render: what the
court or the GP received is what staff see. Letters are corrected by
writing a new one that supersedes the old (both stay filed).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from clinic.changes import Changes
from clinic.services.letters import writing as letter_writing
from ui.operations import letters as letters_ops
from ui.output.preview import PdfPreview
from ui.letters.sent_dialog import MarkSentDialog
from ui.letters.table import LetterTable
from ui.output.write_dialog import WriteLetterDialog

COLUMNS = ("Date", "Letter", "Reference", "Author", "How", "Status")


class LettersTab(QWidget):
    #: After the list has been (re)loaded.
    loaded = Signal()
    #: After a filed copy is on show (its letter id).
    opened = Signal(int)

    def __init__(self, ctx: Any, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id = ctx, person_id
        self.table = LetterTable(COLUMNS, self)
        self.table.setAccessibleName("Filed letters")
        self.preview = PdfPreview(self)
        self.caption = QLabel("Open a letter to see the copy that was filed.", self)
        self.caption.setWordWrap(True)

        self.write_button = QPushButton("Write &letter…", self)
        self.open_button = QPushButton("&Open filed copy", self)
        self.sent_button = QPushButton("Mark &sent…", self)
        self.returned_button = QPushButton("Mark &returned", self)
        self.correct_button = QPushButton("Write &correction…", self)
        self.write_button.clicked.connect(self.write_letter)
        self.open_button.clicked.connect(self.open_current)
        self.sent_button.clicked.connect(self.mark_sent)
        self.returned_button.clicked.connect(self.mark_returned)
        self.correct_button.clicked.connect(self.write_correction)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda *_: self.open_current())
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.open_current,
                  Qt.ShortcutContext.WidgetShortcut)

        buttons = QHBoxLayout()
        for b in (self.write_button, self.open_button, self.sent_button, self.returned_button, self.correct_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.caption)
        right_layout.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        ctx.changes_applied.connect(self._on_changes)
        ctx.locked.connect(self._on_locked)
        self._update_buttons()
        self.refresh()

    # -- loading ---------------------------------------------------------

    def refresh(self) -> None:
        pid, actor = self.person_id, self.ctx.actor
        self.ctx.query(self, lambda uow: letter_writing.filed_letters(uow, actor, pid)).on_success(
            self._show_rows).start()

    def _show_rows(self, rows: list[letter_writing.LetterRow]) -> None:
        self.table.set_rows(rows)
        self._update_buttons()
        self.loaded.emit()

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if changes.touches("letters") and (not changes.person_ids or self.person_id in changes.person_ids):
            self.refresh()

    def _on_locked(self) -> None:
        self.table.set_rows([])
        self.preview.clear()

    def _update_buttons(self) -> None:
        row = self.table.current()
        status = row.letter.status if row else None
        self.open_button.setEnabled(row is not None)
        self.sent_button.setEnabled(status in ("filed", "returned"))
        self.returned_button.setEnabled(status == "sent")
        self.correct_button.setEnabled(row is not None and status != "superseded")

    # -- actions ---------------------------------------------------------

    def open_current(self) -> None:
        row = self.table.current()
        if row is None:
            return
        letter_id, actor = row.id, self.ctx.actor
        # Reading the filed copy is audited ("letter.opened"), hence a write.
        self.ctx.write(self, letters_ops.filed_pdf(actor, letter_id)).on_success(
            lambda pdf: self._show_filed(row, pdf)).start()

    def _show_filed(self, row: letter_writing.LetterRow, pdf: bytes) -> None:
        self.preview.set_pdf(pdf)
        self.caption.setText(f"Filed copy of {row.letter.reference}: {row.letter.title}, "
                             f"SHA-256 {row.letter.sha256[:12]}…")
        self.opened.emit(row.id)

    def mark_sent(self) -> MarkSentDialog | None:
        row = self.table.current()
        if row is None:
            return None
        dialog = MarkSentDialog(self.ctx, row.id, self.ctx.clinic.clock.today(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def mark_returned(self) -> None:
        row = self.table.current()
        if row is None:
            return
        letter_id, actor = row.id, self.ctx.actor
        self.ctx.write(self, letters_ops.mark_returned(actor, letter_id)).start()

    def write_letter(self) -> WriteLetterDialog:
        dialog = WriteLetterDialog(self.ctx, self.person_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def write_correction(self) -> WriteLetterDialog | None:
        row = self.table.current()
        if row is None:
            return None
        dialog = WriteLetterDialog(self.ctx, self.person_id, self, letter_type=row.letter.letter_type,
                                   supersedes=row.id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
