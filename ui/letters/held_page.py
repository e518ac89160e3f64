"""Letters held for collection: people flagged "no post" collect them at
reception. Print the filed copy when they arrive, then mark it collected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.services.letters import writing as letter_writing
from ui.operations import letters as letters_ops
from ui.output import printing
from ui.output.preview import PdfPreview
from ui.letters.table import LetterTable
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

COLUMNS = ("Date", "Person", "Letter", "Reference", "Author")


class HeldLettersPage(QWidget):
    loaded = Signal()

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: Replaceable so tests (and other front ends) need no printer.
        self.print_fn = printing.print_pdf
        self.title = title_label("Letters held for collection", self)
        self.empty = QLabel("No letters are waiting to be collected.", self)
        self.table = LetterTable(COLUMNS, self)
        self.table.setAccessibleName("Letters held for collection")
        self.preview = PdfPreview(self)
        self.open_button = QPushButton("&Open", self)
        self.print_button = QPushButton("&Print filed copy…", self)
        self.collected_button = QPushButton("Mark &collected", self)
        self.open_button.clicked.connect(self.open_current)
        self.print_button.clicked.connect(self.print_current)
        self.collected_button.clicked.connect(self.mark_collected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda *_: self.open_current())

        buttons = QHBoxLayout()
        for b in (self.open_button, self.print_button, self.collected_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)

        ctx.changes_applied.connect(self._on_changes)
        ctx.locked.connect(self._on_locked)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: letter_writing.held_letters(uow, actor)).on_success(self._show).start()

    def _show(self, rows: list[letter_writing.LetterRow]) -> None:
        self.table.set_rows(rows)
        self.empty.setVisible(not rows)
        self._update_buttons()
        self.loaded.emit()

    def _on_changes(self, changes: Changes, initiator: object) -> None:
        if changes.touches("letters"):
            self.refresh()

    def _on_locked(self) -> None:
        self.table.set_rows([])
        self.preview.clear()

    def _update_buttons(self) -> None:
        has = self.table.current() is not None
        for b in (self.open_button, self.print_button, self.collected_button):
            b.setEnabled(has)

    def _with_filed_copy(self, then: Any) -> None:
        row = self.table.current()
        if row is None:
            return
        letter_id, actor = row.id, self.ctx.actor
        self.ctx.write(self, letters_ops.filed_pdf(actor, letter_id)).on_success(then).start()

    def open_current(self) -> None:
        self._with_filed_copy(self.preview.set_pdf)

    def print_current(self) -> None:
        def print_it(pdf: bytes) -> None:
            self.preview.set_pdf(pdf)
            if not self.print_fn(pdf, self):
                self.ctx.show_error(self, ValueError("The letter was not printed."))
        self._with_filed_copy(print_it)

    def mark_collected(self) -> None:
        row = self.table.current()
        if row is None:
            return
        letter_id, actor = row.id, self.ctx.actor
        self.ctx.write(self, letters_ops.mark_collected(actor, letter_id)).start()
