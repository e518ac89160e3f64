"""The manager's audit log viewer: filter, page, export, verify.

Reading the trail needs ``Permission.AUDIT_READ`` (managers); the service
checks it. Export and verification are themselves written to the trail by
the service, so they run as writes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic.people import parse_client_id
from clinic.services import audit_log
from clinic.services.audit_log import AuditFilter
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork
from ui.audit.actions import ACTION_PREFIXES
from ui.audit.model import AuditTableModel
from ui.context import AppContext
from ui.widgets.csv_export import confirm_then_choose, write_csv
from ui.widgets.date_range import DateRangePicker
from ui.widgets.form_row import ERROR_STYLE, FieldError, HintLabel
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

EXPORT_WARNING = (
    "The CSV file is written outside Harbour's encrypted store, as plain text. It shows who opened "
    "and changed which people's records. Save it only somewhere encrypted or access-controlled, and "
    "delete it when you no longer need it. The export is itself recorded in the audit log."
)
_OK_STYLE = "color: #1b5e20;"


class AuditPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.confirm_box: QMessageBox | None = None
        self.last_export: Path | None = None

        self.staff = QComboBox()
        self.staff.addItem("Anyone", None)
        self.person = QLineEdit()
        self.person.setPlaceholderText("any person, e.g. H000042")
        self.person.setMaximumWidth(140)
        self.action = QComboBox()
        self.action.setEditable(True)
        for prefix, label in ACTION_PREFIXES:
            self.action.addItem(label, prefix)
        self.action.setToolTip("Choose a kind of action, or type the start of an action name (e.g. person.)")
        self.dates = DateRangePicker()
        self.search_button = QPushButton("&Search")
        self.search_button.setDefault(True)
        self.person_error = FieldError()
        filters = QGridLayout()
        for col, (text, widget) in enumerate((("S&taff member", self.staff), ("&Person (client no.)", self.person),
                                              ("&Action", self.action), ("&Dates", self.dates))):
            caption = QLabel(text)
            caption.setBuddy(widget)
            filters.addWidget(caption, 0, col)
            filters.addWidget(widget, 1, col)
        filters.addWidget(self.search_button, 1, 4)
        filters.addWidget(self.person_error, 2, 0, 1, 5)
        filters.setColumnStretch(0, 2)
        filters.setColumnStretch(2, 2)

        self.model = AuditTableModel(ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        text_width = self.table.fontMetrics().horizontalAdvance
        widths = (text_width("00/00/0000 00:00:00"), 170, 190, 180, text_width("H0000000"))  # time and client no. whole
        for col, width in enumerate(widths):
            header.resizeSection(col, width + 24)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.count_label = QLabel()
        self.export_button = QPushButton("E&xport CSV…")
        self.verify_button = QPushButton("&Verify chain")
        self.verify_button.setToolTip(
            "Check every entry against the one before it and the copy kept outside the database")
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.verify_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Audit log"))
        layout.addWidget(HintLabel("Every opening and change of a record, newest first. Hover over changed fields "
                                   "to see them in full."))
        layout.addLayout(filters)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.chain_label)
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.person.returnPressed.connect(self.search)
        if (typed := self.action.lineEdit()) is not None:  # the action box is editable
            typed.returnPressed.connect(self.search)
        self.staff.activated.connect(lambda _: self.search())
        self.action.activated.connect(lambda _: self.search())
        self.dates.changed.connect(self._debounce.start)
        self.model.counted.connect(self._counted)
        self.export_button.clicked.connect(self.export_clicked)
        self.verify_button.clicked.connect(self.verify)
        ctx.locked.connect(self.model.clear)

        self._load_staff()
        self.search()

    # -- filtering --------------------------------------------------------

    def _load_staff(self) -> None:
        def names(uow: UnitOfWork) -> dict[int, str]:
            return staff_names(uow)

        self.ctx.query(self, names).on_success(self._staff_loaded).start()

    def _staff_loaded(self, names: dict[int, str]) -> None:
        for staff_id, name in sorted(names.items(), key=lambda item: item[1].lower()):
            self.staff.addItem(name, staff_id)

    def set_staff(self, staff_id: int | None) -> None:
        self.staff.setCurrentIndex(max(0, self.staff.findData(staff_id)))

    def action_prefix(self) -> str:
        text = self.action.currentText().strip()
        index = self.action.findText(text)
        return str(self.action.itemData(index)) if index >= 0 else text

    def current_filter(self) -> AuditFilter | None:
        """The filter as entered, or None after saying what is wrong."""
        self.person_error.clear_message()
        person_text = self.person.text().strip()
        person_id = int(person_text) if person_text.isdigit() else parse_client_id(person_text)
        if person_text and person_id is None:
            self.person_error.show_message("Type the person's client number, e.g. H000042 (it is on their record).")
            return None
        if problem := self.dates.problem():
            self.person_error.show_message(problem)
            return None
        start, end = self.dates.range()
        return AuditFilter(staff_id=self.staff.currentData(), person_id=person_id if person_text else None,
                           action_prefix=self.action_prefix(), date_from=start, date_to=end)

    def search(self) -> None:
        self._debounce.stop()
        f = self.current_filter()
        if f is None:
            return
        self.count_label.setText("Searching…")
        self.model.search(f)

    def _counted(self, total: int) -> None:
        self.count_label.setText("No entries match." if total == 0 else
                                 f"{total:,} entr{'y' if total == 1 else 'ies'}, newest first")
        self.table.scrollToTop()

    # -- export -----------------------------------------------------------

    def export_clicked(self) -> None:
        name = f"harbour-audit-{datetime.now().strftime('%Y-%m-%d')}.csv"
        self.confirm_box = confirm_then_choose(self, title="Export audit log", warning=EXPORT_WARNING,
                                               suggested_name=name, on_path=self.export_to)

    def export_to(self, path: Path) -> None:
        """Write the current filter's rows to ``path`` (the audit row and the
        file stand or fall together: a failed write rolls the audit back)."""
        f = self.model.pinned_filter or self.current_filter()
        if f is None:
            return
        actor = self.ctx.actor

        def export(uow: UnitOfWork) -> int:
            text = audit_log.export_csv(uow, actor, f)
            write_csv(path, text)
            return len(text.encode("utf-8"))

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            self.ctx.show_error(self, exc)

        self.status.setText("Exporting…")
        self.ctx.write(self, export).on_success(lambda size: self._exported(path, size)).on_failure(failed).start()

    def _exported(self, path: Path, size: int) -> None:
        self.last_export = path
        self.status.setText(f"Exported to {path} ({size:,} bytes). Remember it is not encrypted.")

    # -- chain ------------------------------------------------------------

    def verify(self) -> None:
        actor = self.ctx.actor

        def check(uow: UnitOfWork) -> Any:
            return audit_log.verify_chain(uow, actor)

        self.verify_button.setEnabled(False)
        self.chain_label.setStyleSheet("")
        self.chain_label.setText("Checking every entry…")

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.chain_label.setText("")
            self.ctx.show_error(self, exc)

        self.ctx.write(self, check).on_success(self._verified).on_failure(failed).start()

    def _verified(self, report: Any) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            self.chain_label.setStyleSheet(_OK_STYLE)
            self.chain_label.setText(f"✔ The audit trail is intact: {report.rows:,} entries checked.")
        else:
            where = f"at entry {report.first_bad_seq}" if report.first_bad_seq is not None else ""
            self.chain_label.setStyleSheet(ERROR_STYLE)
            self.chain_label.setText(
                f"✘ The audit trail is broken {where}: {report.problem}. Entries from there on cannot be "
                "trusted. Tell the administrator, and keep the backups from before it.")
