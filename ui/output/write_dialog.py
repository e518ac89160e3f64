"""Write a letter: type -> pre-filled form -> preview -> print or save.

What is printed or saved is exactly what was previewed; editing the form
after a preview asks for a new preview first. The letter is filed only
after printing or saving succeeded, so a cancelled print or a full disk
never leaves a letter marked as sent out. A "no post" person's letter is
held for collection instead of printed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from clinic.services.letters import writing
from clinic.services.letters.filing import Filed
from ui.operations import letters as letters_ops
from ui.output import export, printing
from ui.output.preview import PdfPreview

NOTICE_STYLE = "background: #fff4ce; border: 1px solid #e0c060; padding: 6px;"


class WriteLetterDialog(QDialog):
    #: The form for a type is shown (pre-filled from the record).
    drafted = Signal()
    #: A preview is on show (page count).
    previewed = Signal(int)
    #: The letter was filed (clinic.services.letters.filing.Filed).
    filed_letter = Signal(object)

    def __init__(self, ctx: Any, person_id: int, parent: QWidget | None = None, *,
                 letter_type: str | None = None, supersedes: int | None = None,
                 preset: dict[str, Any] | None = None) -> None:
        """``preset`` is passed to the draft as given, e.g. ``{"appointment_id": 12}``
        from the appointment book."""
        super().__init__(parent)
        self.preset = dict(preset or {})
        self.ctx, self.person_id, self.supersedes = ctx, person_id, supersedes
        self.data: Any = None
        self.pdf = b""
        self.filed: Filed | None = None
        self.print_fn = printing.print_pdf  # replaceable: tests have no printer
        self.save_fn = export.save_pdf
        self._wanted_type = letter_type
        self._edits: dict[str, QPlainTextEdit] = {}
        self._loading = False
        self.setWindowTitle("Write a correction" if supersedes else "Write letter")
        self.resize(1100, 760)

        self.type_box = QComboBox(self)
        self.type_box.setAccessibleName("Letter type")
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        self.form = QFormLayout()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.preview = PdfPreview(self)
        self.preview_button = QPushButton("Pre&view", self)
        self.preview_button.setShortcut(QKeySequence("F5"))
        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("&Save as PDF…", self)
        self.close_button = QPushButton("Close", self)
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.make_preview)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        self.close_button.clicked.connect(self.reject)
        self.type_box.currentIndexChanged.connect(self._type_chosen)
        self._layout()
        self._set_ready(False)
        self._load_types()

    def _layout(self) -> None:
        left = QWidget(self)
        column = QVBoxLayout(left)
        type_row = QFormLayout()
        label = QLabel("Letter &type", left)
        label.setBuddy(self.type_box)
        type_row.addRow(label, self.type_box)
        column.addLayout(type_row)
        column.addWidget(self.notice)
        column.addLayout(self.form)
        column.addStretch(1)
        column.addWidget(self.status)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 680])
        QVBoxLayout(self).addWidget(split)

    # -- choosing a type and filling the form --------------------------------

    def _load_types(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: writing.letter_types(actor)).on_success(self._show_types).start()

    def _show_types(self, types: list[writing.LetterType]) -> None:
        self._loading = True
        self.type_box.clear()
        for t in types:
            self.type_box.addItem(t.title, t.key)
        if not types:
            self._loading = False
            self.status.setText("Your role cannot write letters to a person.")
            return
        wanted = self.type_box.findData(self._wanted_type) if self._wanted_type else 0
        self.type_box.setCurrentIndex(max(wanted, 0))
        self._loading = False
        self._type_chosen()  # once: a second draft would wipe what the user typed
        self.type_box.setFocus()

    def letter_type(self) -> str | None:
        key = self.type_box.currentData()
        return str(key) if key else None

    def _type_chosen(self, *_: object) -> None:
        key = self.letter_type()
        if self._loading or key is None:
            return
        self._set_ready(False)
        pid, actor = self.person_id, self.ctx.actor
        preset = dict(self.preset)
        self.ctx.query(self, lambda uow: writing.draft(uow, actor, pid, key, **preset)) \
            .on_success(lambda data: self._show_form(key, data)) \
            .on_failure(self._failed).start()

    def _show_form(self, key: str, data: Any) -> None:
        if key != self.letter_type():
            return  # the user has already chosen another type
        while self.form.rowCount():
            self.form.removeRow(0)
        self._edits = {}
        texts = writing.values_to_form(key, data)
        for field in writing.form_fields(key):
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setPlainText(texts[field.name])
            edit.setPlaceholderText(field.hint)
            edit.setAccessibleName(field.label)
            lines = 12 if field.kind == "paragraphs" else 4
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
            edit.textChanged.connect(self._form_edited)
            self._edits[field.name] = edit
            caption = QLabel(f"&{field.label}", self)
            caption.setBuddy(edit)
            self.form.addRow(caption, edit)
        self._show_notice(data)
        self.drafted.emit()
        if self._edits:
            self.status.setText("Write the letter, then Preview (F5).")
            next(iter(self._edits.values())).setFocus()
            self.preview.clear()
        else:
            self.make_preview()

    def _show_notice(self, data: Any) -> None:
        r = data.recipient
        notes = []
        if r.no_post:
            notes.append("No post: this letter is held for collection at reception, not printed.")
        elif not r.address_lines:
            notes.append("No postal address on the record: the letter is marked for collection.")
        if r.discreet:
            notes.append("Discreet envelope: no service name or logo on the letter.")
        self.notice.setText("\n".join(notes))
        self.notice.setVisible(bool(notes))
        self.print_button.setText("&Hold for collection" if r.no_post else "&Print…")

    def form_values(self) -> dict[str, str]:
        return {name: edit.toPlainText() for name, edit in self._edits.items()}

    def _form_edited(self) -> None:
        if self.pdf:
            self._set_ready(False)
            self.status.setText("The letter has changed: Preview (F5) again before printing or saving.")

    # -- preview ---------------------------------------------------------------

    def make_preview(self) -> None:
        key = self.letter_type()
        if key is None:
            return
        pid, actor, form = self.person_id, self.ctx.actor, self.preset | self.form_values()
        self.status.setText("Making the preview…")
        self.ctx.query(self, lambda uow: writing.draft_and_render(uow, actor, pid, key, **form)) \
            .on_success(self._previewed).on_failure(self._failed).start()

    def _previewed(self, result: tuple[Any, bytes]) -> None:
        self.data, self.pdf = result
        pages = self.preview.set_pdf(self.pdf)
        self._set_ready(True)
        self.status.setText(f"Preview ready: {pages} page{'s' if pages != 1 else ''}, "
                            f"reference {self.data.reference}.")
        self.previewed.emit(pages)

    def _failed(self, error: BaseException) -> None:
        self._set_ready(False)
        self.preview.clear()
        self.status.setText("The letter could not be made.")
        self.ctx.show_error(self, error)

    def _set_ready(self, ready: bool) -> None:
        if not ready:
            self.data, self.pdf = None, b""
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # -- print, save, file -------------------------------------------------------

    def print_letter(self) -> None:
        if not self.pdf or self.data is None:
            return
        if self.data.recipient.no_post:
            self._file("printed")  # filed as held: the service routes it
            return
        if not self.print_fn(self.pdf, self):
            self.status.setText("Not printed, so nothing was filed.")
            return
        self._file("printed")

    def save_letter(self) -> None:
        if not self.pdf or self.data is None:
            return
        name = f"{self.data.reference.replace('/', '-')} {self.type_box.currentText()}.pdf"
        try:
            path = self.save_fn(self.pdf, self, suggested_name=name)
        except ValueError as exc:
            self.status.setText("Not saved, so nothing was filed.")
            self.ctx.show_error(self, exc)
            return
        if path is None:
            self.status.setText("Not saved, so nothing was filed.")
            return
        self._file("saved", exported=True)

    def _file(self, disposition: str, *, exported: bool = False) -> None:
        key, pid, actor, pdf, ref, old = (self.letter_type() or "", self.person_id, self.ctx.actor, self.pdf,
                                          self.data.reference, self.supersedes)
        self._set_buttons_enabled(False)
        self.ctx.write(self, letters_ops.file_rendered(
            actor, pid, key, pdf, disposition, reference=ref, supersedes=old, exported=exported)) \
            .on_success(self._filed).on_failure(self._file_failed).start()

    def _filed(self, filed: Filed) -> None:
        self.filed = filed
        how = {"printed": "printed and filed", "saved": "saved and filed",
               "held": "filed and held for collection"}[filed.letter.disposition]
        self.status.setText(f"Letter {filed.letter.reference} {how}.")
        self.filed_letter.emit(filed)
        self.accept()

    def _file_failed(self, error: BaseException) -> None:
        self._set_buttons_enabled(True)
        self.status.setText("The letter went out but could not be filed: try again, or tell the administrator.")
        self.ctx.show_error(self, error)

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(enabled)
