"""Register a new person, keyboard only, with the duplicate check.

Enter saves. If the service finds likely duplicates the dialog lists them:
"Open existing" (Alt+O) opens the chosen one, "This is a different person"
(Alt+D) saves anyway. A same-NHS-number match offers no override: that
number belongs to the existing record.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from clinic.services.people import records as people
from clinic.services.people.records import (
    DuplicateCandidate,
    InvalidDetails,
    LikelyDuplicates,
    PersonDetails,
    Registered,
)
from ui.context import AppContext
from ui.operations import people as people_ops
from ui.people.form import PersonForm


class RegisterDialog(QDialog):
    """``registered(person_id)`` after saving; ``open_existing(person_id)``
    when the user picks a duplicate instead."""

    registered = Signal(int)
    open_existing = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Register a new person")
        self.form = PersonForm(ctx.clinic.clock.today(), self)
        self.duplicates = QWidget(self)
        self.duplicates_text = QLabel(self.duplicates)
        self.duplicates_text.setWordWrap(True)
        self.duplicates_text.setStyleSheet("color: #8a5300; font-weight: 600;")
        self.candidates = QListWidget(self.duplicates)
        self.candidates.setAccessibleName("Possible duplicates")
        self.candidates.setFixedHeight(self.candidates.fontMetrics().lineSpacing() * 5 + 8)
        self.open_button = QPushButton("&Open existing record", self.duplicates)
        self.different_button = QPushButton("This is a di&fferent person", self.duplicates)
        self.open_button.setAutoDefault(False)
        self.different_button.setAutoDefault(False)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.open_button)
        buttons_row.addWidget(self.different_button)
        buttons_row.addStretch(1)
        dup_layout = QVBoxLayout(self.duplicates)
        dup_layout.setContentsMargins(0, 0, 0, 0)
        dup_layout.addWidget(self.duplicates_text)
        dup_layout.addWidget(self.candidates)
        dup_layout.addLayout(buttons_row)
        self.duplicates.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Register")
        save.setDefault(True)
        self.buttons.accepted.connect(lambda: self.save(confirmed=False))
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_chosen)
        self.candidates.itemActivated.connect(lambda _item: self._open_chosen())
        self.different_button.clicked.connect(lambda: self.save(confirmed=True))
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.buttons)
        self._load_practices()
        self.form.surname.setFocus()
        # the duplicate check also runs as soon as a name and date of birth are in (UI-10)
        for field in (self.form.surname, self.form.forename, self.form.date_of_birth, self.form.nhs_number):
            field.editingFinished.connect(self._check_early)

    def _check_early(self) -> None:
        surname, forename = self.form.surname.text().strip(), self.form.forename.text().strip()
        dob = self.form.typed_date_of_birth()
        if not (surname and forename and dob):
            return
        details = PersonDetails(surname=surname, forename=forename, date_of_birth=dob,
                                nhs_number=self.form.nhs_number.text().strip())
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people.find_duplicates(uow, actor, details)) \
            .on_success(self._early_result).on_failure(lambda _exc: None).start()

    def _early_result(self, candidates: list[DuplicateCandidate]) -> None:
        if candidates and not self.busy:
            self._show_duplicates(candidates, certain=any(c.certain for c in candidates))
        elif not candidates:
            self.duplicates.hide()

    def _load_practices(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people.gp_practices(uow, actor)) \
            .on_success(self.form.set_gp_practices).start()

    def save(self, *, confirmed: bool) -> None:
        details = self.form.details()
        if details is None:
            if (field := self.form.first_error_field()) is not None:
                field.setFocus()
            return
        if self.busy:
            return
        self.busy = True
        actor = self.ctx.actor
        self.ctx.write(self, people_ops.register(actor, details, confirmed_not_duplicate=confirmed)) \
            .on_success(self._saved).on_failure(lambda exc: self._refused(exc, details)).start()

    def _saved(self, result: Registered) -> None:
        self.busy = False
        self.registered.emit(result.person_id)
        self.accept()

    def _refused(self, error: BaseException, details: PersonDetails) -> None:
        self.busy = False
        if isinstance(error, LikelyDuplicates):
            self._show_duplicates(list(error.candidates), certain=error.certain)
        elif isinstance(error, InvalidDetails):
            self.form.show_messages(error.errors, {})
        else:
            self.ctx.show_error(self, error)

    def _show_duplicates(self, candidates: list[DuplicateCandidate], *, certain: bool) -> None:
        self.candidates.clear()
        for c in candidates:
            h = c.hit
            status = "" if h.status == "open" else f" — {h.status}"
            item = QListWidgetItem(f"{h.display_name}   born {uk_date(h.date_of_birth)}   {h.client_id}"
                                   f"   {h.nhs_number or 'no NHS number'}{status}   ({c.reason})")
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.candidates.addItem(item)
        self.candidates.setCurrentRow(0)
        if certain:
            self.duplicates_text.setText("This NHS number is already on the register. Open that record, "
                                         "or correct the NHS number if it was mistyped.")
        else:
            self.duplicates_text.setText("This person may already be registered. Open the existing record, "
                                         "or confirm this is a different person.")
        self.different_button.setVisible(not certain)
        self.duplicates.show()
        self.adjustSize()
        self.candidates.setFocus()

    def _open_chosen(self) -> None:
        item = self.candidates.currentItem()
        if item is not None:
            self.open_existing.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
