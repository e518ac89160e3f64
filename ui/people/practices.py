"""The GP practices list: add, edit, retire. Practices are never deleted,
so people registered with a retired practice keep it on their record."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.services.people import records as people
from clinic.services.people.records import InvalidDetails, Practice
from ui.context import AppContext
from ui.operations import people as people_ops


class PracticesDialog(QDialog):
    #: The list was (re)loaded (tests wait on it).
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: Practice | None = None
        self.setWindowTitle("GP practices")
        self.list = QListWidget()
        self.list.setAccessibleName("GP practices")
        self.list.currentItemChanged.connect(self._chosen)
        self.name = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(72)
        self.phone = QLineEdit()
        self.active = QCheckBox("In use (untick to retire: records that name it keep it)")
        self.error = QLabel()
        self.error.setStyleSheet("color: #a4262c;")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Address", self.address)
        form.addRow("&Phone", self.phone)
        form.addRow("", self.active)
        form.addRow("", self.error)
        new_button = QPushButton("Ne&w practice")
        new_button.clicked.connect(self.new)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(new_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        right.addLayout(row)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(760, 420)
        self.new()
        self.reload()

    def reload(self, select: int | None = None) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people.gp_practices(uow, actor, include_inactive=True)) \
            .on_success(lambda rows: self._show(rows, select)).start()

    def _show(self, rows: list[Practice], select: int | None) -> None:
        self.list.clear()
        for practice in rows:
            item = QListWidgetItem(practice.name + ("" if practice.active else "  (retired)"))
            item.setData(Qt.ItemDataRole.UserRole, practice)
            self.list.addItem(item)
            if practice.id == select:
                self.list.setCurrentItem(item)
        self.loaded.emit()

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        practice: Practice = item.data(Qt.ItemDataRole.UserRole)
        self.current = practice
        self.name.setText(practice.name)
        self.address.setPlainText(practice.address)
        self.phone.setText(practice.phone)
        self.active.setChecked(practice.active)
        self.error.clear()

    def new(self) -> None:
        self.current = None
        self.list.clearSelection()
        for field in (self.name, self.phone):
            field.clear()
        self.address.clear()
        self.active.setChecked(True)
        self.error.clear()
        self.name.setFocus()

    def save(self) -> None:
        cmd = Practice(self.current.id if self.current else None, self.name.text(), self.address.toPlainText(),
                       self.phone.text(), self.active.isChecked())
        actor = self.ctx.actor
        self.ctx.write(self, people_ops.save_gp_practice(actor, cmd)) \
            .on_success(lambda saved: self.reload(select=saved.id)).on_failure(self._refused).start()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, InvalidDetails):
            self.error.setText("; ".join(error.errors.values()))
            self.name.setFocus()
        else:
            self.ctx.show_error(self, error)
