"""Create or edit a staff account (administrator).

Everything is checked before saving and said next to the field; the
service checks again. Saving hashes a password (~170 ms), so it runs
through ``ctx.write``. Editing carries the version the dialog opened: if
another administrator saved first, the dialog says so and offers to reload.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from clinic import passwords
from clinic.errors import Refused
from clinic.permissions import REGISTERED_ROLES, ROLE_LABELS, PermissionDenied, Role
from clinic.services import staff
from clinic.services.staff import NewStaff, StaffSummary, StaleRecord
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.staff.password_field import RULES, PasswordField
from ui.widgets.form_row import ERROR_STYLE, FieldError, add_field

REGISTRATION_HINT = "Required for nurses and prescribers (NMC, GMC or GPhC number); printed on their letters."


def username_problem(text: str) -> str:
    name = text.strip().lower()
    if not name:
        return "Enter a username."
    if not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        return "A username is letters and digits (dots, hyphens and underscores allowed)."
    return ""


class AccountDialog(QDialog):
    """``existing=None`` creates an account; a summary edits that one."""

    saved = Signal(int)  # staff id

    def __init__(self, ctx: AppContext, existing: StaffSummary | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.setWindowTitle("Edit staff account" if existing else "New staff account")
        self.setMinimumWidth(520)

        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role_boxes: dict[Role, QCheckBox] = {r: QCheckBox(ROLE_LABELS[r]) for r in Role}
        roles = QWidget()
        grid = QGridLayout(roles)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.role_boxes.values()):
            grid.addWidget(box, i // 2, i % 2)
            box.toggled.connect(self._roles_changed)
        self.registration = QLineEdit()
        self.password = PasswordField(suggest=True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if existing is None:
            self.username_error = add_field(form, "&Username", self.username,
                                            hint="What they type to sign in, e.g. jo.bloggs")
        else:
            self.username.setText(existing.username)
            self.username.setReadOnly(True)
            self.username_error = add_field(form, "&Username", self.username, hint="A username cannot be changed.")
        self.name_error = add_field(form, "Full &name", self.full_name)
        self.roles_error = add_field(form, "&Roles", roles)
        self.registration_error = add_field(form, "Re&gistration no.", self.registration, hint=REGISTRATION_HINT)
        self.password_error = FieldError()
        if existing is None:
            self.password_error = add_field(
                form, "&Temporary password", self.password,
                hint=RULES + " They must choose their own at first sign-in.")
        else:
            self.password.hide()

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.reload_button)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Create account" if existing is None else "Save")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(banner_row)
        layout.addWidget(self.buttons)
        if existing is not None:
            self._fill(existing)
        (self.username if existing is None else self.full_name).setFocus()

    # -- values -----------------------------------------------------------

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.role_boxes.items() if box.isChecked())

    def _fill(self, s: StaffSummary) -> None:
        self.existing = s
        self.full_name.setText(s.full_name)
        for role, box in self.role_boxes.items():
            box.setChecked(role in s.roles)
        self.registration.setText(s.registration_number or "")

    def _roles_changed(self) -> None:
        needed = bool(self.roles() & REGISTERED_ROLES)
        self.registration.setPlaceholderText("Required for this role" if needed else "Not needed for these roles")

    def problems(self) -> dict[FieldError, str]:
        """Every problem the form can see before asking the service."""
        found: dict[FieldError, str] = {}
        if self.existing is None and (msg := username_problem(self.username.text())):
            found[self.username_error] = msg
        if not self.full_name.text().strip():
            found[self.name_error] = "Enter the person's full name."
        if not self.roles():
            found[self.roles_error] = "Choose at least one role."
        elif self.roles() & REGISTERED_ROLES and not self.registration.text().strip():
            found[self.registration_error] = "Nurses and prescribers need their professional registration number."
        if self.existing is None:
            try:
                passwords.check_rules(self.password.text(), username=self.username.text())
            except passwords.PasswordRejected as exc:
                found[self.password_error] = str(exc)
        return found

    # -- saving -----------------------------------------------------------

    def submit(self) -> None:
        errors = (self.username_error, self.name_error, self.roles_error, self.registration_error,
                  self.password_error)
        for e in errors:
            e.clear_message()
        self._show_banner("")
        found = self.problems()
        for label, msg in found.items():
            label.show_message(msg)
        if found:
            self._focus_first(found)
            return
        self._busy(True)
        actor, roles = self.ctx.actor, self.roles()
        registration = self.registration.text().strip() or None
        if self.existing is None:
            cmd = NewStaff(self.username.text().strip().lower(), self.full_name.text().strip(), roles,
                           self.password.text(), registration)

            def create(uow: UnitOfWork) -> int:
                return staff.create_staff(uow, actor, cmd)

            self.ctx.write(self, create).on_success(self._done).on_failure(self._failed).start()
        else:
            s, name = self.existing, self.full_name.text().strip()

            def update(uow: UnitOfWork) -> int:
                staff.update_staff(uow, actor, s.id, version=s.version, full_name=name, roles=roles,
                                   registration_number=registration)
                return s.id

            self.ctx.write(self, update).on_success(self._done).on_failure(self._failed).start()

    def _done(self, staff_id: int) -> None:
        self._busy(False)
        self.saved.emit(staff_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, StaleRecord):
            self._show_banner("Another administrator changed this account while you were editing. "
                              "Reload to see their changes, then make yours again.", reload=True)
        elif isinstance(exc, passwords.PasswordRejected):
            self.password_error.show_message(str(exc))
            self.password.setFocus()
        elif isinstance(exc, PermissionDenied):
            self._show_banner(str(exc))
            self.ctx.show_error(self, exc)
        elif isinstance(exc, Refused) and exc.field in self._field_errors():
            self._field_errors()[exc.field].show_message(str(exc))
        elif isinstance(exc, ValueError):
            self._show_banner(str(exc))
        else:
            self.ctx.show_error(self, exc)

    def _field_errors(self) -> dict[str | None, FieldError]:
        """Each field's message line, by the name of the command field it fills."""
        return {"username": self.username_error, "full_name": self.name_error, "roles": self.roles_error,
                "registration_number": self.registration_error}

    def reload(self) -> None:
        """Fetch the account as it now stands (after a stale save)."""
        if self.existing is None:
            return
        staff_id, actor = self.existing.id, self.ctx.actor

        def fetch(uow: UnitOfWork) -> StaffSummary | None:
            return next((s for s in staff.list_staff(uow, actor) if s.id == staff_id), None)

        self.reload_button.setEnabled(False)
        self.ctx.query(self, fetch).on_success(self._reloaded).start()

    def _reloaded(self, s: StaffSummary | None) -> None:
        self.reload_button.setEnabled(True)
        if s is None:
            self._show_banner("This account no longer exists.")
            return
        self._fill(s)
        self._show_banner("")

    def _show_banner(self, text: str, *, reload: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.reload_button.setVisible(reload)

    def _busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(("Saving…" if busy else "Create account") if self.existing is None
                                 else ("Saving…" if busy else "Save"))

    def _focus_first(self, found: dict[FieldError, str]) -> None:
        order = ((self.username_error, self.username), (self.name_error, self.full_name),
                 (self.roles_error, next(iter(self.role_boxes.values()))),
                 (self.registration_error, self.registration), (self.password_error, self.password))
        for label, widget in order:
            if label in found:
                widget.setFocus()
                return
