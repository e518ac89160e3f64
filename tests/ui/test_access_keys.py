"""No two actions in one window share an Alt key (UI-9): every role's main
window on every page and record tab, and every dialog the test can open."""

from __future__ import annotations

from datetime import date
from pprint import pformat

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import add_person
from tests.ui.access_keys import clashes
from tests.ui.test_navigation import settle
from ui.context import AppContext
from ui.shell.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
ROLES = [Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.PROBATION, Role.MANAGER, Role.ADMIN]


def _open_dialogs(qtbot: QtBot, window: MainWindow, found: dict[str, dict[str, list[str]]]) -> None:
    """Every top-level dialog now open: check it, then close it."""
    settle(qtbot)
    for top in QApplication.topLevelWidgets():
        if isinstance(top, QDialog) and top.isVisible():
            if bad := clashes(top):
                found[f"dialog {type(top).__name__}"] = bad
            top.reject()


@pytest.mark.parametrize("role", ROLES)
def test_no_access_key_clashes(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:
    person = add_person(clinic, "Keys", "Kim", injects=True)
    ctx = AppContext(clinic, actors[role])
    window = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    found: dict[str, dict[str, list[str]]] = {}
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    for title in titles:
        page = window.page(title)
        settle(qtbot)
        if bad := clashes(window):
            found[f"page {title}"] = bad
        for button in _dialog_buttons(page):
            button.click()
            _open_dialogs(qtbot, window, found)
    if "People" in titles:
        window.open_person(person)
        settle(qtbot)
        view = window.page("People").records.currentWidget()
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            settle(qtbot)
            if bad := clashes(window):
                found[f"record tab {view.tabs.tabText(i)}"] = bad
            for button in _dialog_buttons(view.tabs.widget(i)):
                button.click()
                _open_dialogs(qtbot, window, found)
    window.close()
    if found:
        pytest.fail("Alt-key clashes:\n" + pformat(found, width=110))


def _dialog_buttons(widget):  # type: ignore[no-untyped-def]
    """The visible, enabled buttons whose text ends in "…": by convention they open a dialog."""
    from PySide6.QtWidgets import QPushButton

    return [b for b in widget.findChildren(QPushButton)
            if b.isVisible() and b.isEnabled() and b.text().endswith("…") and "print" not in b.text().lower()
            and "save" not in b.text().lower() and "export" not in b.text().lower()]


def test_the_register_and_clinical_dialogs_have_no_clashes(qtbot: QtBot, clinic: Clinic,
                                                           actors: dict[Role, Actor]) -> None:
    from ui.widgets.booking_dialog import BookingDialog
    from ui.appointments.series_dialog import SeriesDialog
    from ui.bbv.dialogs import OfferDialog, TestDialog
    from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
    from ui.ost.review_dialog import ReviewDialog
    from ui.people.register import RegisterDialog

    person = add_person(clinic)
    ctx = AppContext(clinic, actors[Role.PRESCRIBER])
    today = date(2026, 11, 23)
    found = {}
    for dialog in (RegisterDialog(ctx), OfferDialog(ctx, person, today, declined=False), TestDialog(ctx, person, today),
                   MissedDoseDialog(ctx, person, today), DecisionDialog(ctx, person, today),
                   ReviewDialog(ctx, person, today), BookingDialog(ctx), SeriesDialog(ctx, person_id=person)):
        qtbot.addWidget(dialog)
        dialog.show()
        if isinstance(dialog, RegisterDialog):
            dialog.duplicates.show()  # the duplicate warning's buttons count too
        if bad := clashes(dialog):
            found[type(dialog).__name__] = bad
    if found:
        pytest.fail("Alt-key clashes:\n" + pformat(found, width=110))
