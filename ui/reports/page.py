"""The manager's quarterly report: pick a quarter, read the KPIs against
their targets, see the percentages as bars, export the figures as CSV.

The report is computed in the background ("Working…"); it holds counts
only, but is dropped on lock like every page's data.
"""

from __future__ import annotations

from pathlib import Path

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic import reports as rules
from clinic.dates import uk_date
from clinic.safe_storage import Quarter, nhs_quarter
from clinic.services import reports as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import reports as reports_ops
from ui.reports.chart import KpiTrend
from ui.reports.harm_reduction import HarmReductionSection
from ui.widgets.csv_export import confirm_then_choose, write_csv
from ui.widgets.table import fill, table

EXPORT_WARNING = (
    "The CSV file will be outside Harbour's encrypted store: anyone who can open "
    "that folder can read it. It holds counts and percentages only, no names, "
    "but save it only where it is needed. The export is recorded in the audit log."
)
QUARTERS_SHOWN = 9  # this quarter and the last eight


def recent_quarters(today: object) -> list[Quarter]:
    first = nhs_quarter(today)  # type: ignore[arg-type]
    return [nhs_quarter(first.start - relativedelta(months=3 * i)) for i in range(QUARTERS_SHOWN)]


#: Bar colours, each also said by the legend's words (UI-39): met, missed, no target to judge by.
MET, MISSED, NO_TARGET = "#3c8d4f", "#c0504d", "#8a939c"
LOWER_IS_BETTER = " ↓"  # after a label: fewer is better (DNA rate, refusals)
LEGEND = (f"<span style='color:{MET}'>■</span> Met the target &nbsp; <span style='color:{MISSED}'>■</span> Missed the "
          f"target &nbsp; <span style='color:{NO_TARGET}'>■</span> No target set &nbsp; <b>|</b> the target &nbsp; "
          f"<b>{LOWER_IS_BETTER.strip()}</b> lower is better")


class BarChart(QWidget):
    """Horizontal bars, one per percentage KPI, with its target marked; a KPI
    where lower is better carries an arrow, and the bar's colour says met,
    missed or no target (the legend under it says so in words)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: label, value, target, lower is better, the value as the table shows it ("83%")
        self.bars: list[tuple[str, float | None, float | None, bool, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_bars(self, bars: list[tuple[str, float | None, float | None, bool, str]]) -> None:
        self.bars = bars
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 26 * max(1, len(self.bars)) + 12)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = p.fontMetrics()
        label_w = max([metrics.horizontalAdvance(b[0] + LOWER_IS_BETTER) for b in self.bars] + [0]) + 12
        value_w = metrics.horizontalAdvance("100%") + 12
        left, right = label_w, self.width() - value_w
        span = max(10, right - left)
        palette = self.palette()
        for i, (label, value, target, lower_better, shown) in enumerate(self.bars):
            top = 6 + i * 26
            row = QRectF(0, top, self.width(), 22)
            p.setPen(palette.color(palette.ColorRole.WindowText))
            p.drawText(QRectF(0, top, label_w - 8, 22), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       label + (LOWER_IS_BETTER if lower_better else ""))
            p.fillRect(QRectF(left, top + 3, span, 16), palette.color(palette.ColorRole.AlternateBase))
            if value is None:
                p.drawText(QRectF(right + 6, top, value_w, 22), Qt.AlignmentFlag.AlignVCenter, rules.DASH)
                continue
            good = target is None or (value <= target if lower_better else value >= target)
            colour = QColor(NO_TARGET if target is None else MET if good else MISSED)
            p.fillRect(QRectF(left, top + 3, span * min(value, 100.0) / 100.0, 16), colour)
            if target is not None:
                x = left + span * target / 100.0
                p.fillRect(QRectF(x - 1, top, 3, 22), QColor("#222222"))
            p.setPen(palette.color(palette.ColorRole.WindowText))
            p.drawText(QRectF(right + 6, row.top(), value_w, 22), Qt.AlignmentFlag.AlignVCenter, shown)
        p.end()


def _column(*widgets: QWidget) -> QWidget:
    """Widgets one under another at their own heights, the space left below them."""
    box = QWidget()
    col = QVBoxLayout(box)
    for w in widgets:
        col.addWidget(w)
    col.addStretch(1)
    return box


class ReportsPage(QWidget):
    loaded = Signal()
    exported = Signal(Path)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: svc.KpiReport | None = None
        self.last_export: Path | None = None
        self._asked: object = None  # the quarter last asked for: an older answer is dropped
        self.quarters = recent_quarters(ctx.clinic.clock.today())
        self.quarter = QComboBox()
        for i, q in enumerate(self.quarters):  # the current quarter is not over: its figures are "to date"
            self.quarter.addItem(f"{q.label} ({uk_date(q.start)} to {uk_date(q.end)}){', to date' if i == 0 else ''}")
        self.quarter.currentIndexChanged.connect(lambda _: self.refresh())
        label = QLabel("&Quarter")
        label.setBuddy(self.quarter)
        self.status = QLabel()
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_clicked)
        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.quarter)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.export_button)
        self.table = table(("KPI", "Value", "Target", "Met?", "What is counted"))
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)  # no gap in it
        self.chart = BarChart()
        self.legend = QLabel(LEGEND)
        self.legend.setObjectName("hint")
        self.definitions = QLabel(f"<i>Who is counted</i> — {rules.IN_TREATMENT}. Vaccination and testing count "
                                  "everything recorded up to the quarter's last day.")
        self.definitions.setWordWrap(True)
        self.trend = KpiTrend(ctx)  # the last eight quarters against target (ui/reports/chart.py); read when shown
        self.harm_reduction = HarmReductionSection(ctx)  # the harm-reduction counter's counts
        # One view at a time, each at full height: stacked on one page they did not fit 1366x768
        self.views = QTabWidget()
        self.views.addTab(_column(self.table, self.definitions), "KPI &table")
        self.views.addTab(_column(self.chart, self.legend), "Ba&rs against target")
        self.views.addTab(self.trend, "Last &eight quarters")
        self.views.addTab(self.harm_reduction, "Harm re&duction")
        body = QVBoxLayout(self)
        body.addLayout(bar)
        body.addWidget(self.views, 1)
        self._stale = True
        ctx.locked.connect(self.drop)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def select_quarter(self, index: int) -> None:
        if index == self.quarter.currentIndex():
            self.refresh()
        else:
            self.quarter.setCurrentIndex(index)

    def refresh(self) -> None:
        self._stale = False
        start, actor = self.quarters[self.quarter.currentIndex()].start, self.ctx.actor
        asked = self._asked = object()
        self.harm_reduction.show_quarter(start)
        self.report = None
        self.export_button.setEnabled(False)
        self.status.setText("Working…")

        def failed(exc: BaseException) -> None:
            if asked is self._asked:
                self.status.setText("")
            self.ctx.show_error(self, exc)

        # A read: its audit row is written at the end (clinic.uow), not under the write lock.
        self.ctx.query(self, reports_ops.quarterly_kpis(actor, start)).on_success(
            lambda report: self._show(report, asked)).on_failure(failed).start()

    def drop(self) -> None:
        self._asked = None
        self.report, self._stale = None, True
        fill(self.table, [])
        self.chart.set_bars([])
        self.status.setText("")
        self.export_button.setEnabled(False)

    def _show(self, report: svc.KpiReport, asked: object) -> None:
        if asked is not self._asked:
            return  # another quarter was picked, or the screen locked, meanwhile
        self.report = report
        fill(self.table, [(line.label, line.shown, line.target or "No target", rules.met_text(line.met) or rules.DASH,
                           rules.BY_KEY[line.key].definition) for line in report.lines])
        for r, line in enumerate(report.lines):
            kpi = rules.BY_KEY[line.key]
            if (item := self.table.item(r, 0)) is not None:
                item.setToolTip(kpi.definition + (f" Target: {kpi.source}." if kpi.source else ""))
        for r, line in enumerate(report.lines):
            if line.met is not None and (item := self.table.item(r, 3)) is not None:
                item.setForeground(QColor("#2e7d32" if line.met else "#c62828"))
        self.chart.set_bars([(line.label, line.value, rules.BY_KEY[line.key].target,
                              rules.BY_KEY[line.key].lower_is_better, line.shown.split(" ")[0])
                             for line in report.lines if line.kind is rules.Kind.PERCENT])
        # the quarter and its dates are in the box beside: say only whether it is over (UI-39)
        today = self.ctx.clinic.clock.today()
        self.status.setText(f"{report.quarter_label} to date: figures up to {uk_date(today)}"
                            if report.quarter_end >= today else f"{report.quarter_label}: the whole quarter")
        self.export_button.setEnabled(True)
        self.loaded.emit()

    # -- export -----------------------------------------------------------

    def export_clicked(self) -> None:
        if self.report is None:
            return
        name = f"harbour-kpis-{self.report.quarter_label.replace('/', '-').replace(' ', '-')}.csv"
        self.confirm_box = confirm_then_choose(self, title="Export report", warning=EXPORT_WARNING,
                                               suggested_name=name, on_path=self.export_to)

    def export_to(self, path: Path) -> None:
        """Write the shown report to ``path``; the audit row and the file
        stand or fall together (a failed write rolls the audit back)."""
        report, actor = self.report, self.ctx.actor
        if report is None:
            return

        def export(uow: UnitOfWork) -> Path:
            write_csv(path, svc.export_csv(uow, actor, report))
            return path

        self.ctx.write(self, export).on_success(self._exported).start()

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.status.setText(f"Exported to {path}. Remember it is not encrypted.")
        self.exported.emit(path)
