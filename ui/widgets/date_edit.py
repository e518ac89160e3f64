"""The one date field (UI-2): a plain line of text read by
``clinic.dates.parse_date``, with the weekday shown beside what was typed.

``02/12/2026``, ``2/12/26``, ``02122026``, ``2 Dec 2026`` and
``Wed 02/12/2026`` all mean 2 December 2026. Up and Down move a day, Page
Up and Page Down a month. Unlike ``QDateEdit`` there are no parts for the
cursor to land in and Tab leaves the field. A date that cannot be read, or
is outside the field's limits, is never replaced by another one: ``value``
refuses it with a ``Refused`` for this field (its object name), which the
form puts next to the field.

The ``QDateEdit`` calls the forms use (``date``, ``setDate``,
``setMaximumDate``, ``setMinimumDate``, ``dateChanged``) work the same.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from clinic.dates import parse_date, uk_long
from clinic.errors import Refused

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _q(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _py(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class DateEdit(QLineEdit):
    #: The date typed now reads as (only when it reads as one, within the limits).
    dateChanged = Signal(QDate)  # noqa: N815 - named as QDateEdit's signal, so callers treat both alike

    def __init__(self, value: date | None = None, *, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Two-digit years are read against this (the field's first date, else the minimum's century).
        self._today = today or value
        self.minimum: date | None = None
        self.maximum: date | None = None
        self.setPlaceholderText("dd/mm/yyyy")
        self.weekday = QLabel(self)
        self.weekday.setObjectName("hint")
        self.weekday.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        self.weekday.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.textChanged.connect(self._typed)
        self.editingFinished.connect(self._tidy)
        if value is not None:
            self.set_value(value)
        w = self.fontMetrics().horizontalAdvance("Wed 00/00/00000  ") + 24
        self.setMinimumWidth(w)
        self.setTextMargins(0, 0, self.fontMetrics().horizontalAdvance(" Wed ") + 6, 0)

    # ---- reading --------------------------------------------------------------------
    def _parsed(self) -> date | None:
        try:
            return parse_date(self.text(), today=self._today)
        except ValueError:
            return None

    def value(self) -> date:
        """The date typed, or ``Refused`` saying why it is not one."""
        field = self.objectName()
        try:
            d = parse_date(self.text(), today=self._today)
        except ValueError as exc:
            raise Refused(str(exc), field=field) from None
        if self.maximum is not None and d > self.maximum:
            raise Refused(f"{uk_long(d)} is later than this date can be ({uk_long(self.maximum)}).", field=field)
        if self.minimum is not None and d < self.minimum:
            raise Refused(f"{uk_long(d)} is earlier than this date can be ({uk_long(self.minimum)}).", field=field)
        return d

    def _in_bounds(self, d: date) -> bool:
        return (self.maximum is None or d <= self.maximum) and (self.minimum is None or d >= self.minimum)

    def date(self) -> QDate:
        """As ``QDateEdit.date``; an invalid ``QDate`` while the text is not a date."""
        d = self._parsed()
        return _q(d) if d is not None else QDate()

    # ---- writing --------------------------------------------------------------------
    def set_value(self, value: dt.date) -> None:
        self.setText(f"{value:%d/%m/%Y}")

    def setDate(self, value: QDate) -> None:
        self.set_value(_py(value))

    def setMaximumDate(self, value: QDate) -> None:
        self.maximum = _py(value)

    def setMinimumDate(self, value: QDate) -> None:
        self.minimum = _py(value)

    def _typed(self, _text: str) -> None:
        d = self._parsed()
        self.weekday.setText(_DAYS[d.weekday()] if d is not None else ("?" if self.text().strip() else ""))
        self.setProperty("invalid", d is None and bool(self.text().strip()))
        if d is not None and self._in_bounds(d):  # so a listener's date_of never meets a refused date
            self.dateChanged.emit(_q(d))

    def _tidy(self) -> None:
        d = self._parsed()
        if d is not None and self.text() != f"{d:%d/%m/%Y}":
            self.set_value(d)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps: dict[Qt.Key, timedelta | relativedelta] = {
            Qt.Key.Key_Up: timedelta(days=1), Qt.Key.Key_Down: timedelta(days=-1),
            Qt.Key.Key_PageUp: relativedelta(months=1), Qt.Key.Key_PageDown: relativedelta(months=-1)}
        step = steps.get(Qt.Key(event.key()))
        d = self._parsed()
        if step is not None and d is not None:
            self.set_value(d + step)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._tidy()
        super().focusOutEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.fontMetrics().horizontalAdvance(" Wed ") + 4
        self.weekday.setGeometry(self.width() - width - 4, 0, width, self.height())
