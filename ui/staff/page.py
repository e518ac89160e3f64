"""Settings → Staff: the administrator's list of accounts and their actions.

Accounts are never deleted; a leaver is deactivated so everything they did
stays attributed to them. Every action goes through a service (which checks
the administrator permission) on a background thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic.services import staff
from clinic.services.staff import StaffSummary
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import staff as staff_ops
from ui.staff.account_dialog import AccountDialog
from ui.staff.model import StaffTableModel
from ui.staff.password_dialogs import ResetPasswordDialog
from ui.widgets.form_row import HintLabel
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

NEVER_DELETED = ("Accounts are never deleted. Deactivate a leaver: they can no longer sign in, and "
                 "everything they did stays attributed to them. A deactivated account can be reactivated.")


class StaffPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: AccountDialog | ResetPasswordDialog | None = None
        self.confirm_box: QMessageBox | None = None

        title = title_label("Staff accounts")
        self.new_button = QPushButton("&New account…")
        self.edit_button = QPushButton("&Edit…")
        self.reset_button = QPushButton("Reset &password…")
        self.active_button = QPushButton("&Deactivate…")
        self.unlock_button = QPushButton("&Unlock")
        self.new_button.setToolTip("Create an account (Ctrl+N)")
        self.unlock_button.setToolTip("Let a locked-out account sign in again now")
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.reset_button, self.active_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.model = StaffTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(HintLabel(NEVER_DELETED))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.new_button.clicked.connect(self.new_account)
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.active_button.clicked.connect(self.toggle_active_selected)
        self.unlock_button.clicked.connect(self.unlock_selected)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_account)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        ctx.locked.connect(self.model.clear)
        self._update_buttons()
        self.refresh()

    # -- list -------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        actor = self.ctx.actor
        keep = select_id if select_id is not None else (s.id if (s := self.selected()) else None)

        def load(uow: UnitOfWork) -> list[StaffSummary]:
            return staff.list_staff(uow, actor)

        self.ctx.query(self, load).on_success(lambda rows: self._loaded(rows, keep)).start()

    def _loaded(self, rows: list[StaffSummary], keep: int | None) -> None:
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> StaffSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        s = self.selected()
        for b in (self.edit_button, self.reset_button, self.active_button):
            b.setEnabled(s is not None)
        self.unlock_button.setEnabled(s is not None and s.locked)
        self.active_button.setText("Re&activate…" if s is not None and not s.active else "&Deactivate…")

    # -- actions ----------------------------------------------------------

    def new_account(self) -> None:
        self._open(AccountDialog(self.ctx, None, self), "Account created for {}.")

    def edit_selected(self) -> None:
        if (s := self.selected()) is not None:
            self._open(AccountDialog(self.ctx, s, self), "Saved changes to {}.")

    def reset_selected(self) -> None:
        if (s := self.selected()) is not None:
            self._open(ResetPasswordDialog(self.ctx, s, self),
                       "Password reset for {}: they must choose a new one when they next sign in.")

    def _open(self, dialog: AccountDialog | ResetPasswordDialog, done: str) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda staff_id: self._saved(staff_id, done))
        dialog.open()

    def _saved(self, staff_id: int, done: str) -> None:
        name = next((self.model.summary(r).full_name for r in range(self.model.rowCount())
                     if self.model.summary(r).id == staff_id), "the new account")
        if isinstance(self.dialog, AccountDialog) and self.dialog.existing is None:
            name = self.dialog.full_name.text().strip()
        self.status.setText(done.format(name))
        self.refresh(select_id=staff_id)

    def toggle_active_selected(self) -> None:
        s = self.selected()
        if s is None:
            return
        if s.active:
            text = (f"Deactivate {s.full_name}? They will not be able to sign in. Nothing is deleted: "
                    "their records and audit history stay, and you can reactivate the account later.")
            label, done = "Deactivate", f"{s.full_name} has been deactivated."
        else:
            text = f"Reactivate {s.full_name}? They will be able to sign in again with their existing password."
            label, done = "Reactivate", f"{s.full_name} has been reactivated."
        actor = self.ctx.actor
        self._confirm(text, label, lambda: self._run(
            staff_ops.set_active(actor, s.id, not s.active), s.id, done))

    def unlock_selected(self) -> None:
        s = self.selected()
        if s is not None and s.locked:
            actor = self.ctx.actor
            self._run(staff_ops.unlock(actor, s.id), s.id,
                      f"{s.full_name} can sign in again.")

    def _run(self, fn: Callable[[UnitOfWork], None], staff_id: int, done: str) -> None:
        self.status.setText("Saving…")

        def finished(_: object) -> None:
            self.status.setText(done)
            self.refresh(select_id=staff_id)

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            self.ctx.show_error(self, exc)
            self.refresh(select_id=staff_id)

        self.ctx.write(self, fn).on_success(finished).on_failure(failed).start()

    def _confirm(self, text: str, action: str, then: Callable[[], None]) -> None:
        """Ask without blocking (window-modal box, not exec())."""
        box = QMessageBox(QMessageBox.Icon.Question, "Staff account", text, QMessageBox.StandardButton.Cancel, self)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes.clicked.connect(then)
        self.confirm_box = box
        box.open()
