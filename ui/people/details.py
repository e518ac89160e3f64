"""The Details tab: edit demographics, contact, consent, GP, emergency contact.

Save sends the version the form was filled from. If another workstation
saved in between, ``ConflictDialog`` shows what they changed (field, new
value, who, when) and offers to reload; nothing is overwritten silently.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.permissions import Permission
from clinic.services.people import records as people
from clinic.services.people.records import InvalidDetails, StaleRecord, Updated
from clinic.services.people.summary import PersonRecord
from clinic.dates import uk_date_time
from ui.context import AppContext
from ui.operations import people as people_ops
from ui.people.form import PersonForm
from ui.widgets.read_only import set_read_only


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == "":
        return "(blank)"
    return str(value).replace("\n", ", ")


class ConflictDialog(QDialog):
    """"Someone else changed this record": what, to what, who and when."""

    def __init__(self, error: StaleRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This record was changed by someone else")
        text = QLabel(
            "While you were editing, someone else saved changes to this record. Your changes "
            "have not been saved. Reload to see their version, then make your changes again.", self)
        text.setWordWrap(True)
        self.changes = QTreeWidget(self)
        self.changes.setHeaderLabels(["What", "Now", "Changed by", "At"])
        self.changes.setRootIsDecorated(False)
        for c in error.changed:
            self.changes.addTopLevelItem(QTreeWidgetItem(
                [c.label, _shown(c.value), c.by, uk_date_time(c.at)]))
        for column in range(4):
            self.changes.resizeColumnToContents(column)
        buttons = QDialogButtonBox(self)
        self.reload_button = buttons.addButton("&Reload their version", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("&Keep editing", QDialogButtonBox.ButtonRole.RejectRole)
        self.reload_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.changes)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)


class DetailsTab(QWidget):
    saved = Signal(object)  # Updated
    conflict = Signal(object)  # the ConflictDialog, once open (tests)

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.version: int | None = None
        self.form = PersonForm(ctx.clinic.clock.today(), self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.message = QLabel(self)
        self.save_button = QPushButton("Sa&ve changes", self)
        self.revert_button = QPushButton("Und&o my edits", self)
        self.save_button.setDefault(True)
        editable = ctx.can(Permission.PERSON_EDIT)
        set_read_only(self.form, not editable)
        self.save_button.setVisible(editable)
        self.revert_button.setVisible(editable)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._record: PersonRecord | None = None
        self._dirty = False
        self.form.edited.connect(self._edited)
        self._load_practices()

    def _load_practices(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people.gp_practices(uow, actor)).on_success(self._practices).start()

    def _practices(self, practices: list[people.Practice]) -> None:
        self.form.set_gp_practices(practices, self._record.details.gp_practice_id if self._record else None)

    def show_record(self, record: PersonRecord) -> None:
        """Fill the form, unless the user is part-way through editing it, or
        left a draft here when the screen locked or they were signed out."""
        if self._dirty and self.version is not None:
            return
        self._record = record
        self.version = record.version
        draft = self.ctx.drafts.take(self.ctx.actor.staff_id, self._draft_key)
        if draft is not None:
            self._restore(record, *draft)
            return
        practice_id = record.details.gp_practice_id
        if practice_id is not None and self.form.gp_practice.findData(practice_id) < 0:
            self.form.gp_practice.addItem(record.gp_practice_name or "(retired practice)", practice_id)
        self.form.set_details(record.details)
        self._allow_edits(self.ctx.can(Permission.PERSON_EDIT) and record.hit.status != "merged")
        self._dirty = False

    def _allow_edits(self, editable: bool) -> None:
        """Read-only, not disabled, for those who may only look (UI-43)."""
        self.form.setEnabled(True)  # drop() disabled the emptied form while locked
        set_read_only(self.form, not editable)

    def _edited(self, *_: Any) -> None:
        self._dirty = True
        self.message.setText("")

    def _revert(self) -> None:
        self._dirty = False
        if self._record is not None:
            self.show_record(self._record)

    def save(self) -> None:
        details = self.form.details()
        if details is None or self.version is None:
            if (field := self.form.first_error_field()) is not None:
                field.setFocus()
            return
        actor, pid, version = self.ctx.actor, self.person_id, self.version
        self.save_button.setEnabled(False)
        self.ctx.write(self, people_ops.update(actor, pid, version, details)) \
            .on_success(self._saved).on_failure(self._refused).start()

    def _saved(self, result: Updated) -> None:
        self.save_button.setEnabled(True)
        self._dirty = False
        self.version = result.version
        warnings = "; ".join(result.warnings.values())
        self.message.setText("Saved." + (f" Please check: {warnings}" if warnings else ""))
        self.form.show_messages({}, result.warnings)
        self.saved.emit(result)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, StaleRecord):
            dialog = ConflictDialog(error, self)
            dialog.accepted.connect(self._reload)
            dialog.open()
            self.conflict.emit(dialog)
        elif isinstance(error, InvalidDetails):
            self.form.show_messages(error.errors, {})
            self.message.setText("Not saved: please correct the fields marked in red.")
        else:
            self.ctx.show_error(self, error)

    def _reload(self) -> None:
        from clinic.services.people import summary as people_summary

        self._dirty = False
        self.version = None
        actor, pid = self.ctx.actor, self.person_id
        self.ctx.query(self, lambda uow: people_summary.refresh_record(uow, actor, pid)) \
            .on_success(self._reloaded).start()

    def _reloaded(self, record: PersonRecord) -> None:
        self.show_record(record)
        self.message.setText("Reloaded the saved version.")

    @property
    def _draft_key(self) -> str:
        return f"person-details:{self.person_id}"

    def _restore(self, record: PersonRecord, version: int, details: people.PersonDetails) -> None:
        """The draft keeps the version it was typed against, so saving it
        still meets the conflict check if someone saved in between."""
        self.version = version
        self.form.set_details(details)
        self._allow_edits(self.ctx.can(Permission.PERSON_EDIT) and record.hit.status != "merged")
        self._dirty = True
        self.message.setText("Your unsaved changes from before the screen locked are back: save or undo them.")

    def drop(self) -> None:
        if self._dirty and self.version is not None and (details := self.form.details()) is not None:
            self.ctx.drafts.keep(self.ctx.actor.staff_id, self._draft_key, (self.version, details))
        self._record = None
        self.version = None
        self._dirty = False
        self.form.setEnabled(False)
        self.form.clear()
