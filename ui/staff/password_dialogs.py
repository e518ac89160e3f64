"""Setting passwords: the administrator's reset, and a user changing their own.

Both hash with argon2id (~170 ms), so the work runs in the background and
the dialog waits without freezing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clinic import passwords
from clinic.permissions import Actor, PermissionDenied
from clinic.services import staff
from clinic.services.staff import SignInRefused, StaffSummary, StaleRecord
from clinic.uow import Clinic, UnitOfWork
from ui import ops
from ui.context import AppContext
from ui.staff.password_field import RULES, PasswordField
from ui.widgets.form_row import ERROR_STYLE, add_field


class ResetPasswordDialog(QDialog):
    """Give an account a temporary password; it must be changed at next
    sign-in. Resetting also lifts a lockout."""

    saved = Signal(int)

    def __init__(self, ctx: AppContext, account: StaffSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account
        self.setWindowTitle("Reset password")
        self.setMinimumWidth(480)
        intro = QLabel(f"Set a temporary password for <b>{_escape(account.full_name)}</b> "
                       f"({_escape(account.username)}). Tell it to them in person; they must choose "
                       "their own the next time they sign in.")
        intro.setWordWrap(True)
        self.password = PasswordField(suggest=True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.password_error = add_field(form, "&Temporary password", self.password, hint=RULES)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Reset password")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def submit(self) -> None:
        new = self.password.text()
        try:
            passwords.check_rules(new, username=self.account.username)
        except passwords.PasswordRejected as exc:
            self.password_error.show_message(str(exc))
            self.password.setFocus()
            return
        self.password_error.clear_message()
        self.ok_button.setEnabled(False)
        actor, staff_id = self.ctx.actor, self.account.id

        def reset(uow: UnitOfWork) -> int:
            staff.reset_password(uow, actor, staff_id, new)
            return staff_id

        self.ctx.write(self, reset).on_success(self._done).on_failure(self._failed).start()

    def _done(self, staff_id: int) -> None:
        self.saved.emit(staff_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, passwords.PasswordRejected):
            self.password_error.show_message(str(exc))
        elif isinstance(exc, StaleRecord):
            self.password_error.show_message("Another administrator changed this account at the same time. "
                                             "Close this and try again.")
        else:
            self.ctx.show_error(self, exc)


class _SignInContext:
    """What ``ui.ops`` needs from a context, before an AppContext exists."""

    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic

    def show_error(self, parent: QWidget | None, error: BaseException) -> None:  # pragma: no cover - on_failure set
        raise error


class ChangePasswordDialog(QDialog):
    """A signed-in user chooses a new password.

    ``source`` is the open ``Clinic`` (at sign-in, before an AppContext
    exists) or an ``AppContext``; ``actor`` is who is changing theirs.
    With ``forced=True`` (``SignIn.must_change_password``) the text says
    the temporary password must be replaced and Cancel reads "Sign out".
    ``changed`` fires, then the dialog accepts, once the new password is
    stored; rejecting it means the user did not change it.

        dlg = ChangePasswordDialog(clinic, result.actor, window, forced=True)
        dlg.accepted.connect(open_main_window); dlg.rejected.connect(back_to_sign_in)
        dlg.open()
    """

    changed = Signal()

    def __init__(self, source: AppContext | Clinic, actor: Actor, parent: QWidget | None = None, *,
                 forced: bool = False) -> None:
        super().__init__(parent)
        self._ctx: Any = source if isinstance(source, AppContext) else _SignInContext(source)
        self.actor = actor
        self.setWindowTitle("Choose a new password" if forced else "Change your password")
        self.setMinimumWidth(480)
        text = (f"Welcome, {_escape(actor.full_name)}. You signed in with a temporary password: "
                "choose your own before you carry on." if forced
                else "Enter your current password, then the new one twice.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.current = PasswordField()
        self.new = PasswordField()
        self.repeat = PasswordField()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.current_error = add_field(form, "&Current password" if not forced else "&Temporary password",
                                       self.current)
        self.new_error = add_field(form, "&New password", self.new, hint=RULES)
        self.repeat_error = add_field(form, "&Repeat new password", self.repeat)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change password")
        if forced:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Sign out")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.current.setFocus()

    def submit(self) -> None:
        for label in (self.current_error, self.new_error, self.repeat_error):
            label.clear_message()
        self.general.hide()
        current, new = self.current.text(), self.new.text()
        if not current:
            self.current_error.show_message("Enter your current password.")
            self.current.setFocus()
            return
        try:
            passwords.check_rules(new, username=self.actor.username)
        except passwords.PasswordRejected as exc:
            self.new_error.show_message(str(exc))
            self.new.setFocus()
            return
        if new != self.repeat.text():
            self.repeat_error.show_message("The two new passwords are not the same.")
            self.repeat.setFocus()
            return
        self.ok_button.setEnabled(False)
        self.ok_button.setText("Saving…")
        actor = self.actor

        def change(uow: UnitOfWork) -> None:
            staff.change_own_password(uow, actor, current, new)

        ops.write(self._ctx, self, change).on_success(self._done).on_failure(self._failed).start()

    def _done(self, _: object) -> None:
        self.changed.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.ok_button.setText("Change password")
        if isinstance(exc, SignInRefused):
            self.current_error.show_message(str(exc))
            self.current.setFocus()
        elif isinstance(exc, passwords.PasswordRejected):
            self.new_error.show_message(str(exc))
            self.new.setFocus()
        elif isinstance(exc, (PermissionDenied, ValueError)):
            self.general.setText(str(exc))
            self.general.show()
        else:
            self.general.setText("Something went wrong and the password was not changed. Please try again, "
                                 "and tell the administrator if it keeps happening.")
            self.general.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
