"""Keyboard first (UI-1, UI-2, UI-20): tables are one Tab stop, dialogs open
on their first field, Enter saves from a single-line field, Esc closes, and
typing a date in any date field gives that date."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import add_person
from ui.widgets.booking_dialog import BookingDialog
from ui.appointments.series_dialog import SeriesDialog
from ui.bbv.dialogs import OfferDialog, TestDialog
from ui.context import AppContext
from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
from ui.ost.review_dialog import ReviewDialog
from ui.people.register import RegisterDialog
from ui.safe_storage.box_dialog import BoxDialog
from ui.today import TodayPage
from ui.vaccines.dialogs import AntiHbsDialog
from ui.widgets.date_edit import DateEdit

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
TODAY = date(2026, 11, 23)
TYPED = ("02/12/2026", "2/12/26", "02122026", "2 Dec 2026")


def focused(dialog: QDialog) -> QWidget | None:
    """The widget that has (or will have, once the window is active) the focus."""
    return dialog.focusWidget()


@pytest.fixture
def ctx_role() -> Role:
    return Role.PRESCRIBER


def test_tables_are_one_tab_stop(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    page = TodayPage(AppContext(clinic, actors[Role.RECEPTION]))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.activateWindow()
    assert all(not t.tabKeyNavigation() for t in page.findChildren(QTableView))
    table = page.appointments.table  # type: ignore[union-attr]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()  # out of the table at once, to the next control
    queue = page.queue.table  # type: ignore[union-attr]
    queue.setFocus()
    qtbot.keyClick(queue, Qt.Key.Key_Tab)
    assert not queue.hasFocus()


def _dialogs(ctx: AppContext, person: int) -> list[QDialog]:
    return [
        MissedDoseDialog(ctx, person, TODAY), DecisionDialog(ctx, person, TODAY), ReviewDialog(ctx, person, TODAY),
        OfferDialog(ctx, person, TODAY, declined=False), TestDialog(ctx, person, TODAY),
        AntiHbsDialog(ctx, person, TODAY), BoxDialog(ctx, "issue", person, TODAY, in_stock=("B1",)),
        RegisterDialog(ctx), BookingDialog(ctx, person_id=person, start=datetime(2026, 11, 24, 11)),
        SeriesDialog(ctx, person_id=person),
    ]


def test_every_dialog_opens_on_its_first_field_and_esc_closes(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic)
    for dialog in _dialogs(ctx, person):
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: focused(d) is not None, timeout=3000)
        widget = focused(dialog)
        assert not isinstance(widget, QAbstractButton) or widget.isCheckable(), type(dialog).__name__
        qtbot.keyClick(widget, Qt.Key.Key_Escape)
        assert not dialog.isVisible(), type(dialog).__name__


def test_enter_saves_from_any_single_line_field(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic)
    decision = DecisionDialog(ctx, person, TODAY)
    qtbot.addWidget(decision)
    decision.open()
    qtbot.waitExposed(decision)
    qtbot.keyClicks(decision.note, "Told the pharmacy")
    decision.decision.setFocus()  # move about first: Enter must still save
    decision.note.setFocus()
    qtbot.keyClick(decision.note, Qt.Key.Key_Return)
    assert decision.errors["decision"].message == "Choose the decision."  # Save ran, and refused
    missed = MissedDoseDialog(ctx, person, TODAY)
    qtbot.addWidget(missed)
    missed.open()
    qtbot.waitExposed(missed)
    qtbot.keyClicks(missed.reporter, "Boots, High Street")
    qtbot.keyClick(missed.reporter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(missed.errors["days"].message), timeout=5000)
    assert missed.errors["days"].message == "This person has no OST prescription."  # the write ran: Enter saved


@pytest.mark.parametrize("typed", TYPED)
def test_typing_a_date_gives_that_date_in_every_date_field(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                           typed: str) -> None:
    person = add_person(clinic)
    for dialog in _dialogs(ctx, person):
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
        fields = dialog.findChildren(DateEdit)
        for field in fields:
            if not field.isEnabled():
                continue
            field.setFocus()
            assert field.hasFocus()
            field.selectAll()
            qtbot.keyClicks(field, typed)
            assert field.date() == QDate(2026, 12, 2), (type(dialog).__name__, typed, field.text())
            assert field.weekday.text() == "Wed"
            qtbot.keyClick(field, Qt.Key.Key_Tab)  # Tab leaves the field, no parts to step through
            assert not field.hasFocus()
            assert field.text() == "02/12/2026"
        dialog.close()


def test_a_date_that_is_not_one_is_refused_by_the_field(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic)
    dialog = OfferDialog(ctx, person, TODAY, declined=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.viruses[0][0].setChecked(True)
    dialog.on.setText("31/02/2026")
    dialog.save_button.click()
    assert "not a real date" in dialog.errors["on"].message and dialog.isVisible()
    dialog.on.setText("02/12/2026")  # after today: this date cannot be in the future
    dialog.save_button.click()
    assert "later than" in dialog.errors["on"].message


def test_no_result_is_pre_filled(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic)
    dialog = AntiHbsDialog(ctx, person, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.level.text() == "(enter the level)" and dialog.meaning.text() == ""
    dialog.save_button.click()
    assert "Enter the level" in dialog.errors["miu_per_ml"].message and dialog.isVisible()


def test_no_button_takes_the_first_keypress(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    """The walkthrough's Space-saves-the-form: with focus on a field, Space types."""
    person = add_person(clinic)
    dialog = MissedDoseDialog(ctx, person, TODAY)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert not isinstance(QApplication.focusWidget(), QPushButton)
    assert isinstance(focused(dialog), QWidget)


def test_a_dialog_about_a_person_names_them(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    from ui.widgets.person_picker import PersonLine

    person = add_person(clinic, "Davies", "Isla", date_of_birth=date(1983, 10, 13))
    for dialog in (MissedDoseDialog(ctx, person, TODAY), OfferDialog(ctx, person, TODAY, declined=False),
                   BookingDialog(ctx, person_id=person)):
        qtbot.addWidget(dialog)
        dialog.show()
        line = dialog.findChildren(PersonLine)[0]
        qtbot.waitUntil(lambda line=line: line.text() == f"DAVIES, Isla · 13/10/1983 · H{person:06d}", timeout=5000)


def test_a_fields_message_goes_once_it_is_changed(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    """UI-21: "Choose at least one test." stayed up after a test was ticked."""
    person = add_person(clinic)
    dialog = TestDialog(ctx, person, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.errors["tests"].message
    dialog.tests[0][0].setChecked(True)
    assert dialog.errors["tests"].message == ""
