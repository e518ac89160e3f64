"""One meaning of "this week" (today to Sunday) for the person's tab and the
"Due this week" worklist; a dose due today says so; the service's "Dose 2
due …" message is shown after saving."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic.clock import SITE_TZ
from clinic.permissions import Role
from clinic.services.vaccination import courses as svc
from clinic.dates import end_of_week
from clinic.vaccines import PlannedDose, dose_state
from tests.conftest import add_person
from tests.ui.test_vaccines import receive, show
from ui.context import AppContext
from ui.vaccines.dialogs import DoseDialog
from ui.vaccines.tab import VaccinesTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_end_of_week_and_dose_states() -> None:
    wednesday = date(2026, 11, 25)
    assert end_of_week(wednesday) == date(2026, 11, 29) and end_of_week(date(2026, 11, 29)) == date(2026, 11, 29)
    states = [dose_state(PlannedDose(1, due, None), today=wednesday)
              for due in (date(2026, 11, 24), wednesday, date(2026, 11, 29), date(2026, 11, 30))]
    assert states == ["overdue", "due_today", "due", "planned"]  # next Monday is not "this week"


def test_tab_and_worklist_agree_from_wednesday_and_the_dose_message_shows(qtbot, clinic, actors, clock) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    batch = receive(clinic, nurse)
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        svc.start_course(uow, nurse, svc.StartCourse(pid, "hepb-standard", date(2026, 11, 30)))
    clock.at = datetime(2026, 11, 25, 10, tzinfo=SITE_TZ)  # Wednesday; dose 1 planned for next Monday
    with clinic.unit_of_work() as uow:
        assert svc.doses_due_this_week(uow, nurse).rows == ()
    tab = VaccinesTab(AppContext(clinic, nurse), pid)
    show(qtbot, tab)
    course = tab.tree.topLevelItem(0)
    assert course.child(0).text(3) == "• Planned"  # the same answer as the worklist
    clock.at = datetime(2026, 11, 30, 10, tzinfo=SITE_TZ)  # that Monday
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.refresh()
    assert tab.tree.topLevelItem(0).child(0).text(3) == "◷ Due today"
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0).child(0))
    tab.buttons["dose"].click()
    dose = tab.dialog
    assert isinstance(dose, DoseDialog)
    dose.consent.setChecked(True)
    dose.site.setCurrentText("Left deltoid")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        dose.save_button.click()
    assert tab.notice.text() == "Dose 2 due 30 December 2026."
    assert batch
