"""The KPI trend chart (issue 17, UI-39): each percentage KPI over the last
eight quarters, with its target as a dashed line of the same colour.

Qt's own charting module (``PySide6.QtCharts``). The eight reports are
read in one background query (counts only, nothing about a person). The
legend names every line; "lower is better" is said in the KPI's name, so
nothing depends on colour alone, and the quarter still running is marked
"to date". Dropped on lock like every page's data.

The reports page only adds ``KpiTrend(ctx)``: it reads when first shown,
and again when shown after a lock. Viewing a quarter's report is audited
("report.viewed"), so the eight reads are one write with eight audit rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from dateutil.relativedelta import relativedelta
from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic import reports as rules
from clinic.permissions import Actor
from clinic.safe_storage import nhs_quarter
from clinic.services import reports as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext

QUARTERS = 8
#: Okabe–Ito: told apart by people with the common colour-vision differences.
#: Okabe-Ito's colour-blind-safe eight, then Tol's wine; a line beyond them reuses one rather than going missing.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442", "#882255")


def last_quarter_starts(today: date, count: int = QUARTERS) -> list[date]:
    """The first days of the last ``count`` quarters, oldest first (this one last)."""
    this = nhs_quarter(today).start
    return [nhs_quarter(this - relativedelta(months=3 * i)).start for i in range(count - 1, -1, -1)]


def short_label(label: str) -> str:
    """"2026/27 Q3" → "Q3 26/27", so eight fit under the chart at laptop width."""
    year, _, q = label.partition(" ")
    return f"{q} {year[2:]}" if q and len(year) == 7 else label


def read_trend(actor: Actor, starts: list[date]) -> Callable[[UnitOfWork], list[svc.KpiReport]]:
    def fn(uow: UnitOfWork) -> list[svc.KpiReport]:
        return [svc.quarterly_kpis(uow, actor, start) for start in starts]
    return fn


class KpiTrend(QWidget):
    #: The chart was drawn from fresh reports.
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reports: list[svc.KpiReport] = []
        self.chart = QChart()
        self.chart.setTitle("Percentage KPIs over the last eight quarters (dashed: target)")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        small = self.chart.legend().font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.chart.legend().setFont(small)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(260)
        self.view.setAccessibleName("KPI trend chart")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        ctx.locked.connect(self.drop)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.reports:
            self.refresh()

    def refresh(self) -> None:
        starts = last_quarter_starts(self.ctx.clinic.clock.today())
        # A read: its audit row is written at the end (clinic.uow), not under the write lock.
        self.ctx.query(self, read_trend(self.ctx.actor, starts)).on_success(self.show_reports).start()

    def drop(self) -> None:
        self.reports = []
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)

    def show_reports(self, reports: list[svc.KpiReport]) -> None:
        self.drop()
        self.reports = reports
        today = self.ctx.clinic.clock.today()
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, report in enumerate(reports):
            running = report.quarter_start <= today <= report.quarter_end
            x_axis.append(short_label(report.quarter_label) + (" (to date)" if running else ""), i)
        x_axis.setRange(0, max(1, len(reports) - 1))
        y_axis = QValueAxis()
        y_axis.setRange(0, 100)
        y_axis.setLabelFormat("%d%%")
        y_axis.setTickCount(6)
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        percent = [k for k in rules.KPIS if k.kind is rules.Kind.PERCENT]
        for n, kpi in enumerate(percent):
            colour = COLOURS[n % len(COLOURS)]
            line = QLineSeries()
            line.setName(kpi.label + (" (lower is better)" if kpi.lower_is_better else ""))
            line.setPen(QPen(QColor(colour), 2.5))
            line.setPointsVisible(True)
            for i, report in enumerate(reports):
                value = next((ln.value for ln in report.lines if ln.key == kpi.key), None)
                if value is not None:
                    line.append(QPointF(i, value))
            self._add(line, x_axis, y_axis)
            if kpi.target is not None:
                target = QLineSeries()
                target.setName(f"   target {kpi.target_text}")
                pen = QPen(QColor(colour), 1.5, Qt.PenStyle.DashLine)
                target.setPen(pen)
                target.append(QPointF(0, kpi.target))
                target.append(QPointF(max(1, len(reports) - 1), kpi.target))
                self._add(target, x_axis, y_axis)
        self.loaded.emit()

    def _add(self, series: QLineSeries, x_axis: QCategoryAxis, y_axis: QValueAxis) -> None:
        self.chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
