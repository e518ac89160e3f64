"""The journey report: the quarter's journey KPIs, the data-quality list of
what each person's national return lacks, and the NDTMS-shaped extract
(warned, audited, written from a worker)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Permission
from clinic.safe_storage import Quarter, nhs_quarter
from clinic.services.journey import episodes as svc
from clinic.services.journey.ndtms import MissingRow, data_quality
from clinic.services.journey.reports import JourneyReport, journey_kpis
from clinic.uow import UnitOfWork
from ui.operations import journey as journey_ops, then
from ui.context import AppContext
from ui.widgets.csv_export import confirm_then_choose, write_csv
from ui.widgets.table import fill, table

QUARTERS_SHOWN = 9
EXTRACT_WARNING = ("The extract holds a line for every person in treatment in the quarter: initials, date of "
                   "birth, sex, postcode district, substances and treatment dates. Save it only where the "
                   "national return is prepared, and delete it once sent.")


class JourneyReportPage(QWidget):
    loaded = Signal()
    exported = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        first = nhs_quarter(ctx.clinic.clock.today())
        self.quarters: list[Quarter] = [nhs_quarter(first.start - relativedelta(months=3 * i))
                                        for i in range(QUARTERS_SHOWN)]
        self.quarter = QComboBox()
        for q in self.quarters:
            self.quarter.addItem(f"{q.label} ({q.start.day} {q.start:%b %Y} to {q.end.day} {q.end:%b %Y})")
        self.quarter.currentIndexChanged.connect(lambda _i: self.refresh())
        caption = QLabel("&Quarter")
        caption.setBuddy(self.quarter)
        self.export_button = QPushButton("E&xport NDTMS extract…")
        self.export_button.setVisible(ctx.can(Permission.NDTMS_EXPORT))
        self.export_button.clicked.connect(self.export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>Treatment journey</b>"))
        bar.addWidget(caption)
        bar.addWidget(self.quarter)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        self.kpis = table(("Measure", "Value", "Target", "Who is counted"))
        self.missing = table(("Person", "Missing before export"))
        self.missing_title = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.kpis, 3)
        layout.addWidget(self.missing_title)
        layout.addWidget(self.missing, 2)
        for w in (self.missing_title, self.missing):
            w.setVisible(ctx.can(Permission.NDTMS_EXPORT))
        self.report: JourneyReport | None = None
        self.rows: list[MissingRow] = []
        self._stale, self._generation = True, 0
        self.box: Any = None
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def selected(self) -> Quarter:
        return self.quarters[self.quarter.currentIndex()]

    def refresh(self) -> None:
        self._stale = False
        q, actor, gen = self.selected(), self.ctx.actor, self._generation
        quality = self.ctx.can(Permission.NDTMS_EXPORT)

        def read(uow: UnitOfWork) -> tuple[JourneyReport, list[MissingRow]]:
            rows = data_quality(uow, actor, q.start, q.end) if quality else []
            return journey_kpis(uow, actor, q.start, q.end), rows

        self.ctx.query(self, read).on_success(lambda r: self._show(*r) if gen == self._generation else None).start()

    def _show(self, report: JourneyReport, rows: list[MissingRow]) -> None:
        self.report, self.rows = report, rows
        fill(self.kpis, [(k.label, k.value, k.target, k.counted) for k in report.lines])
        fill(self.missing, [(r.name, "; ".join(r.missing)) for r in rows])
        who = "1 person" if len(rows) == 1 else f"{len(rows)} people"
        self.missing_title.setText(f"<b>Data quality:</b> {who} with items missing" if rows
                                   else "<b>Data quality:</b> nothing missing")
        self.loaded.emit()

    def export(self) -> None:
        q = self.selected()
        self.box = confirm_then_choose(self, title="Export NDTMS extract", warning=EXTRACT_WARNING,
                                       suggested_name=f"ndtms-{q.start:%Y-%m}.csv", on_path=self.write_to)

    def write_to(self, path: Path) -> None:
        q, actor = self.selected(), self.ctx.actor
        self.ctx.write(self, then(journey_ops.extract_csv(actor, q.start, q.end), partial(write_csv, path))).on_success(
            lambda _r: self.exported.emit(str(path))).start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches(svc.AREA):
            self._stale = True
            if self.isVisible():
                self.refresh()

    def drop(self) -> None:
        self.report, self.rows, self._stale = None, [], True
        self._generation += 1
        self.kpis.setRowCount(0)
        self.missing.setRowCount(0)
        self.missing_title.clear()
