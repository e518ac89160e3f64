"""Daily dose over time, as a step chart painted by hand (one small widget,
no chart library): each prescription row is a step from its start to its
end (or today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic.dates import uk_date

COLOURS = {"methadone": QColor("#1f5fa8"), "buprenorphine": QColor("#2e7d32")}


@dataclass(frozen=True)
class Step:
    medicine: str
    start: date
    end: date | None
    mg: float


class DoseChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._steps: list[Step] = []
        self._today = date.today()
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Dose over time")

    def sizeHint(self) -> QSize:
        return QSize(480, 140)

    def set_steps(self, steps: list[Step], today: date) -> None:
        self._steps, self._today = steps, today
        self.setToolTip("\n".join(
            f"{uk_date(s.start)}: {s.mg:g} mg {s.medicine}" for s in steps))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(44, 24, -12, -22)  # room above for the axis label (UI-31)
        p.setPen(self.palette().mid().color())
        p.drawRect(rect)
        if not self._steps:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No prescriptions yet")
            return
        first = min(s.start for s in self._steps).toordinal()
        last = max(max((s.end or self._today) for s in self._steps), self._today).toordinal()
        span = max(1, last - first)
        top = max(s.mg for s in self._steps) * 1.15

        def x(d: date) -> float:
            return rect.left() + (d.toordinal() - first) / span * rect.width()

        def y(mg: float) -> float:
            return rect.bottom() - mg / top * rect.height()

        text = self.palette().text().color()
        p.setPen(text)
        for mg in (0, top / 1.15):
            p.drawText(QRectF(0, y(mg) - 8, 40, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{mg:g}")
        p.drawText(QRectF(rect.left(), rect.bottom() + 3, 120, 16), Qt.AlignmentFlag.AlignLeft,
                   uk_date(date.fromordinal(first)))
        p.drawText(QRectF(rect.right() - 120, rect.bottom() + 3, 120, 16), Qt.AlignmentFlag.AlignRight,
                   uk_date(date.fromordinal(last)))
        for medicine in sorted({s.medicine for s in self._steps}):
            path = QPainterPath()
            steps = sorted((s for s in self._steps if s.medicine == medicine), key=lambda s: s.start)
            for i, s in enumerate(steps):
                a, b = QPointF(x(s.start), y(s.mg)), QPointF(x(s.end or self._today), y(s.mg))
                if i == 0 or steps[i - 1].end is None or (s.start - steps[i - 1].end).days > 1:  # type: ignore[operator]
                    path.moveTo(a)
                else:
                    path.lineTo(a)
                path.lineTo(b)
            p.setPen(QPen(COLOURS.get(medicine, text), 2))
            p.drawPath(path)
        p.setPen(text)
        p.drawText(QRectF(4, 2, rect.width(), 18), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, "mg a day")
