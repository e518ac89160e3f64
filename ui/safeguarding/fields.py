"""Editors the safeguarding dialogs share: a choice that starts unanswered,
and a date and time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit

from clinic.clock import SITE_TZ

UNANSWERED = "— choose —"


def choice_box(options: Iterable[tuple[str, str]]) -> QComboBox:
    """(label, value) pairs after an empty first choice: nothing is chosen for the user."""
    box = QComboBox()
    box.addItem(UNANSWERED, "")
    for label, value in options:
        box.addItem(label, value)
    return box


def enum_box(enum: type[StrEnum]) -> QComboBox:
    return choice_box((member.label, member.value) for member in enum)  # type: ignore[attr-defined]


def select(box: QComboBox, value: str) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


def datetime_edit(at: datetime) -> QDateTimeEdit:
    local = at.astimezone(SITE_TZ)
    edit = QDateTimeEdit(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))
    edit.setDisplayFormat("dd/MM/yyyy HH:mm")
    edit.setCalendarPopup(True)
    return edit


def datetime_of(edit: QDateTimeEdit) -> datetime:
    d, t = edit.date(), edit.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SITE_TZ)
