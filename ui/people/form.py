"""The person form shared by Register and the Details tab.

Every field has a message line under it: red for what stops a save, amber
for a warning (an international phone, an odd postcode) that does not.
The checks are the pure rules in ``clinic.people``, run as the user leaves
a field and again by the service on save.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic import people as rules
from clinic.dates import age_on, parse_date, uk_long
from clinic.services.people.records import PersonDetails, Practice

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5300;"
GENDERS = ("", "Female", "Male", "Non-binary", "Prefer not to say")


class FieldMessage(QLabel):
    """The line under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str, *, warning: bool = False) -> None:
        self.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        self.setText(text)
        self.setVisible(bool(text))

    @property
    def message(self) -> str:
        return "" if self.isHidden() else self.text()


class PersonForm(QWidget):
    """Demographics, contact, consent, flags, GP and emergency contact.

    ``edited`` fires when the user changes anything (not when filled in code).
    """

    edited = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.messages: dict[str, FieldMessage] = {}
        self._touched: set[str] = set()
        self._filling = False
        self.surname = QLineEdit(self)
        self.forename = QLineEdit(self)
        self.preferred_name = QLineEdit(self)
        self.date_of_birth = QLineEdit(self)
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.gender = QComboBox(self)
        self.gender.setEditable(True)
        self.gender.addItems(GENDERS)
        self.nhs_number = QLineEdit(self)
        self.nhs_number.setPlaceholderText("optional, e.g. 943 476 5919")
        self.address_lines = QPlainTextEdit(self)
        self.address_lines.setTabChangesFocus(True)
        self.address_lines.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.postcode = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.consent_to_text = QCheckBox("Consents to &text messages", self)
        self.consent_to_voicemail = QCheckBox("Consents to voicemai&l messages", self)
        self.no_post = QCheckBox("No post (hold letters for collection)", self)
        self.discreet_envelope = QCheckBox("Discreet envelope", self)
        self.children_in_household = QCheckBox("Children in the household", self)
        self.injects = QCheckBox("Injects", self)
        self.risk_notes = QLineEdit(self)
        self.risk_notes.setPlaceholderText("Risk or safety flag shown to all staff; leave blank if none")
        self.gp_practice = QComboBox(self)
        self.emergency_contact_name = QLineEdit(self)
        self.emergency_contact_phone = QLineEdit(self)
        self.dob_hint = QLabel(self)
        self.dob_hint.setStyleSheet("color: palette(placeholder-text);")
        self.dob_hint.hide()
        self._lay_out()
        self.date_of_birth.editingFinished.connect(self._check_dob)
        for name in ("surname", "forename", "nhs_number", "phone", "postcode", "emergency_contact_phone"):
            getattr(self, name).editingFinished.connect(lambda name=name: self._left(name))
        self._report_edits()

    def _report_edits(self) -> None:
        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(self._user_edit)
        for box in self.findChildren(QCheckBox):
            box.toggled.connect(self._user_edit)
        self.address_lines.textChanged.connect(self._user_edit)
        for combo in (self.gender, self.gp_practice):
            combo.currentIndexChanged.connect(self._user_edit)
        self.gender.editTextChanged.connect(self._user_edit)

    def _user_edit(self, *_: object) -> None:
        if not self._filling:
            self.edited.emit()

    # ---- layout ---------------------------------------------------------------
    def _row(self, form: QFormLayout, label: str, name: str, extra: QWidget | None = None) -> None:
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(getattr(self, name))
        if extra is not None:
            column.addWidget(extra)
        message = FieldMessage(cell)
        column.addWidget(message)
        self.messages[name] = message
        form.addRow(label, cell)
        field_label = form.labelForField(cell)
        if isinstance(field_label, QLabel):
            field_label.setBuddy(getattr(self, name))

    def _lay_out(self) -> None:
        person = QGroupBox("Person", self)
        pf = QFormLayout(person)
        self._row(pf, "&Surname", "surname")
        self._row(pf, "First &name", "forename")
        self._row(pf, "&Preferred name", "preferred_name")
        self._row(pf, "&Date of birth", "date_of_birth", self.dob_hint)
        self._row(pf, "Gend&er", "gender")
        self._row(pf, "NHS n&umber", "nhs_number")
        contact = QGroupBox("Contact", self)
        cf = QFormLayout(contact)
        self._row(cf, "&Address", "address_lines")
        self._row(cf, "Post&code", "postcode")
        self._row(cf, "P&hone", "phone")
        consent = QVBoxLayout()
        consent.setSpacing(2)
        consent.addWidget(self.consent_to_text)
        consent.addWidget(self.consent_to_voicemail)
        cf.addRow("", consent)
        self._row(cf, "GP pract&ice", "gp_practice")
        self._row(cf, "E&mergency contact", "emergency_contact_name")
        self._row(cf, "Emergenc&y phone", "emergency_contact_phone")
        flags = QGroupBox("Flags", self)
        ff = QGridLayout(flags)
        ff.addWidget(self.no_post, 0, 0)
        ff.addWidget(self.discreet_envelope, 0, 1)
        ff.addWidget(self.children_in_household, 1, 0)
        ff.addWidget(self.injects, 1, 1)
        risk_label = QLabel("&Risk / safety:", self)
        risk_label.setBuddy(self.risk_notes)
        ff.addWidget(risk_label, 2, 0)
        ff.addWidget(self.risk_notes, 3, 0, 1, 2)
        for group in (person, contact):
            form = group.layout()
            assert isinstance(form, QFormLayout)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left = QVBoxLayout()
        left.addWidget(person)
        left.addWidget(flags)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(contact)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    # ---- values ------------------------------------------------------------------
    def set_gp_practices(self, practices: list[Practice], current: int | None = None) -> None:
        self._filling = True
        try:
            self._set_practices(practices, current)
        finally:
            self._filling = False

    def _set_practices(self, practices: list[Practice], current: int | None) -> None:
        self.gp_practice.clear()
        self.gp_practice.addItem("Not known / none", None)
        for practice in practices:
            self.gp_practice.addItem(practice.name, practice.id)
        if current is not None and self.gp_practice.findData(current) < 0:
            self.gp_practice.addItem("(retired practice)", current)
        self.gp_practice.setCurrentIndex(max(self.gp_practice.findData(current), 0))

    def clear(self) -> None:
        """Empty every field and message (the screen locked)."""
        self._filling = True
        try:
            for edit in self.findChildren(QLineEdit):
                edit.clear()
            for box in self.findChildren(QCheckBox):
                box.setChecked(False)
            self.address_lines.clear()
            self._set_dob_hint(None)
            self._touched.clear()
            self.show_messages({}, {})
        finally:
            self._filling = False

    def set_details(self, d: PersonDetails) -> None:
        self._filling = True
        try:
            self._fill(d)
        finally:
            self._filling = False
        self.check()

    def _fill(self, d: PersonDetails) -> None:
        for name in ("surname", "forename", "preferred_name", "nhs_number", "postcode", "phone",
                     "risk_notes", "emergency_contact_name", "emergency_contact_phone"):
            getattr(self, name).setText(getattr(d, name))
        self.date_of_birth.setText(d.date_of_birth.strftime("%d/%m/%Y"))
        self.gender.setCurrentText(d.gender)
        self.address_lines.setPlainText(d.address_lines)
        for name in ("consent_to_text", "consent_to_voicemail", "no_post", "discreet_envelope",
                     "children_in_household", "injects"):
            getattr(self, name).setChecked(getattr(d, name))
        index = self.gp_practice.findData(d.gp_practice_id)
        self.gp_practice.setCurrentIndex(max(index, 0))
        self._set_dob_hint(d.date_of_birth)

    def typed_date_of_birth(self) -> date | None:
        """The date of birth if what is typed reads as one (no message shown)."""
        return self._dob()[0]

    def _dob(self) -> tuple[date | None, str]:
        text = self.date_of_birth.text()
        if not text.strip():
            return None, "Enter a date of birth, like 03/07/1985"
        try:
            return parse_date(text, today=self.today), ""
        except ValueError as exc:
            return None, str(exc)

    def _left(self, name: str) -> None:
        self._touched.add(name)
        self.check(full=False)

    def _check_dob(self) -> None:
        dob, _ = self._dob()
        self._set_dob_hint(dob)
        self._left("date_of_birth")

    def _set_dob_hint(self, dob: date | None) -> None:
        text = f"{uk_long(dob)}, age {age_on(dob, self.today)}" if dob and dob <= self.today else ""
        self.dob_hint.setText(text)
        self.dob_hint.setVisible(bool(text))

    def check(self, *, full: bool = True) -> bool:
        """Show the fields' messages (only those already left, unless
        ``full``); True if nothing stops a save."""
        dob, dob_error = self._dob()
        checked = rules.check_details(
            surname=self.surname.text(), forename=self.forename.text(), date_of_birth=dob,
            nhs_number=self.nhs_number.text(), phone=self.phone.text(), postcode=self.postcode.text(),
            emergency_contact_phone=self.emergency_contact_phone.text(), today=self.today)
        errors = dict(checked.errors)
        if dob_error:
            errors["date_of_birth"] = dob_error
        if full:
            self._touched |= set(self.messages)
        shown = {k: v for k, v in errors.items() if k in self._touched}
        self.show_messages(shown, {k: v for k, v in checked.warnings.items() if k in self._touched})
        return not errors

    def show_messages(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        for name, message in self.messages.items():
            if name in errors:
                message.say(errors[name])
            else:
                message.say(warnings.get(name, ""), warning=True)

    def first_error_field(self) -> QWidget | None:
        for name, message in self.messages.items():
            if message.message and message.styleSheet() == ERROR_STYLE:
                widget = getattr(self, name)
                return widget if isinstance(widget, QWidget) else None
        return None

    def details(self) -> PersonDetails | None:
        """The form as a command, or None (with messages shown) if it has errors."""
        if not self.check():
            return None
        dob, _ = self._dob()
        assert dob is not None
        data = self.gp_practice.currentData()
        return PersonDetails(
            surname=self.surname.text().strip(), forename=self.forename.text().strip(),
            date_of_birth=dob, preferred_name=self.preferred_name.text().strip(),
            gender=self.gender.currentText().strip(), nhs_number=self.nhs_number.text().strip(),
            address_lines=self.address_lines.toPlainText(), postcode=self.postcode.text().strip(),
            phone=self.phone.text().strip(), consent_to_text=self.consent_to_text.isChecked(),
            consent_to_voicemail=self.consent_to_voicemail.isChecked(), no_post=self.no_post.isChecked(),
            discreet_envelope=self.discreet_envelope.isChecked(),
            children_in_household=self.children_in_household.isChecked(), injects=self.injects.isChecked(),
            risk_notes=self.risk_notes.text().strip(), gp_practice_id=data if isinstance(data, int) else None,
            emergency_contact_name=self.emergency_contact_name.text().strip(),
            emergency_contact_phone=self.emergency_contact_phone.text().strip(),
        )
