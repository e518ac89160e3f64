"""Merge two records of one person (managers).

Find the other record, choose which one survives, read what will move,
then merge. The service moves every linked row and audits the merge.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from clinic.services.people import merge as people_merge
from clinic.services.people.records import FIELD_LABELS
from clinic.services.people.merge import Merged, MergePreview
from clinic.services.people.search import PersonHit
from ui.context import AppContext
from ui.operations import people as people_ops
from ui.people.search import PersonSearch


def _describe(hit: PersonHit) -> str:
    return (f"{hit.client_id}  {hit.display_name}, born {uk_date(hit.date_of_birth)}, "
            f"NHS {hit.nhs_number or 'not known'}, {hit.postcode or 'no postcode'} ({hit.status})")


class MergeDialog(QDialog):
    merged = Signal(object)  # Merged

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.other_id: int | None = None
        self.preview: MergePreview | None = None
        self.setWindowTitle("Merge two records of one person")
        self.search = PersonSearch(ctx, self)
        self.search.include_closed.setChecked(True)
        self.search.person_chosen.connect(self._chosen)
        self.keep_this = QRadioButton(self)
        self.keep_other = QRadioButton(self)
        self.keep_this.setChecked(True)
        self.keep_this.toggled.connect(lambda _on: self._load_preview())
        self.what = QLabel("Find the other record above and press Enter.", self)
        self.what.setWordWrap(True)
        self.what.setMinimumHeight(self.what.fontMetrics().lineSpacing() * 3)
        choose = QGroupBox("Which record is kept?", self)
        choose_layout = QVBoxLayout(choose)
        choose_layout.addWidget(self.keep_this)
        choose_layout.addWidget(self.keep_other)
        choose_layout.addWidget(self.what)
        choose.setEnabled(False)
        self.choose = choose
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText("&Merge")
        self.merge_button.setEnabled(False)
        self.merge_button.setAutoDefault(False)
        self.buttons.accepted.connect(self._merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Find the duplicate record:", self))
        layout.addWidget(self.search, 1)
        layout.addWidget(choose)
        layout.addWidget(self.buttons)
        self.resize(820, 560)

    def _chosen(self, other_id: int) -> None:
        if other_id == self.person_id:
            self.what.setText("That is this record; choose the other one.")
            return
        self.other_id = other_id
        self._load_preview()

    def _ids(self) -> tuple[int, int]:
        assert self.other_id is not None
        if self.keep_this.isChecked():
            return self.person_id, self.other_id
        return self.other_id, self.person_id

    def _load_preview(self) -> None:
        if self.other_id is None:
            return
        survivor, other = self._ids()
        actor = self.ctx.actor
        self.merge_button.setEnabled(False)
        self.ctx.query(self, lambda uow: people_merge.preview(uow, actor, survivor, other)) \
            .on_success(self._show_preview).on_failure(self._refused).start()

    def _show_preview(self, preview: MergePreview) -> None:
        self.preview = preview
        this, other = ((preview.survivor, preview.other) if preview.survivor.id == self.person_id
                       else (preview.other, preview.survivor))
        self.keep_this.setText("Keep this record: " + _describe(this))
        self.keep_other.setText("Keep the other: " + _describe(other))
        moving = sum(preview.moving.values())
        tables = ", ".join(f"{n} in {k.split('.')[0].replace('_', ' ')}" for k, n in preview.moving.items())
        filled = ", ".join(FIELD_LABELS.get(f, f) for f in preview.filled)
        self.what.setText(
            f"{preview.other.client_id} will be marked merged into {preview.survivor.client_id}. "
            f"{moving} linked item(s) move" + (f" ({tables})" if tables else "") + ". "
            + (f"Blank details filled from it: {filled}. " if filled else "")
            + "This is audited and cannot be undone here.")
        self.choose.setEnabled(True)
        self.merge_button.setEnabled(True)

    def _refused(self, error: BaseException) -> None:
        self.preview = None
        self.merge_button.setEnabled(False)
        self.choose.setEnabled(False)
        self.what.setText(str(error) if isinstance(error, ValueError) else "The records cannot be merged.")
        if not isinstance(error, ValueError):
            self.ctx.show_error(self, error)

    def _merge(self) -> None:
        if self.preview is None:
            return
        survivor, other = self.preview.survivor.id, self.preview.other.id
        actor = self.ctx.actor
        self.merge_button.setEnabled(False)
        self.ctx.write(self, people_ops.merge(actor, survivor, other)) \
            .on_success(self._done).on_failure(self._refused).start()

    def _done(self, result: Merged) -> None:
        self.merged.emit(result)
        self.accept()
