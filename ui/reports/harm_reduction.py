"""The Reports page's harm-reduction section: the quarter's NSP, naloxone and
alcohol counts (``clinic.services.harm_reduction.reports``), exported with
the same warned, audited CSV path as the KPIs.

It follows the page's quarter picker (``show_quarter``) and computes in the
background; counts only, but dropped on lock like every page's data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic.services.harm_reduction import reports as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import reports as reports_ops
from ui.widgets.csv_export import confirm_then_choose, write_csv
from ui.widgets.table import fill, table

EXPORT_WARNING = (
    "The CSV file will be outside Harbour's encrypted store: anyone who can open "
    "that folder can read it. It holds counts only, no names or codes, "
    "but save it only where it is needed. The export is recorded in the audit log."
)


class HarmReductionSection(QGroupBox):
    loaded = Signal()
    exported = Signal(Path)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Harm reduction: NSP, naloxone, alcohol", parent)
        self.ctx = ctx
        self.report: svc.HarmReductionReport | None = None
        self._asked: object = None
        self.status = QLabel()
        self.export_button = QPushButton("Export &harm-reduction CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_clicked)
        self.table = table(("Measure", "Count"))
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        ctx.locked.connect(self.drop)

    def show_quarter(self, start: date) -> None:
        actor = self.ctx.actor
        asked = self._asked = object()
        self.report = None
        self.export_button.setEnabled(False)
        self.status.setText("Working…")
        # A read: its audit row is written at the end (clinic.uow), not under the write lock.
        self.ctx.query(self, reports_ops.quarterly_counts(actor, start)).on_success(
            lambda report: self._show(report, asked)).start()

    def _show(self, report: svc.HarmReductionReport, asked: object) -> None:
        if asked is not self._asked:
            return
        self.report = report
        fill(self.table, [(line.label, line.shown) for line in report.lines])
        self.status.setText(f"{report.quarter_label}: counts only.")
        self.export_button.setEnabled(True)
        self.loaded.emit()

    def drop(self) -> None:
        self._asked, self.report = None, None
        fill(self.table, [])
        self.status.setText("")
        self.export_button.setEnabled(False)

    def export_clicked(self) -> None:
        if self.report is None:
            return
        name = f"harbour-harm-reduction-{self.report.quarter_label.replace('/', '-').replace(' ', '-')}.csv"
        self.confirm_box = confirm_then_choose(self, title="Export harm-reduction counts", warning=EXPORT_WARNING,
                                               suggested_name=name, on_path=self.export_to)

    def export_to(self, path: Path) -> None:
        report, actor = self.report, self.ctx.actor
        if report is None:
            return

        def export(uow: UnitOfWork) -> Path:
            write_csv(path, svc.export_csv(uow, actor, report))
            return path

        self.ctx.write(self, export).on_success(self._exported).start()

    def _exported(self, path: Path) -> None:
        self.status.setText(f"Exported to {path}. Remember it is not encrypted.")
        self.exported.emit(path)
