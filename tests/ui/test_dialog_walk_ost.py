"""The dialog walk for the OST and safe-storage forms (issue 14): for every
role, each form is opened from its real button on the person's OST or Safe
storage tab where the role can reach it, refused with the message by the
field on invalid input (nothing typed is lost), then saved with valid input
typed as a user would and the result checked on screen and through the
service; where the role reads the tab but cannot write, the button is not
offered. Every form is checked for access-key clashes as it is opened.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QWidget

from clinic.permissions import Permission, Role
from clinic.services import safe_storage as boxes
from clinic.services.ost import missed
from clinic.services.ost import prescriptions as ost
from clinic.services.ost import reviews
from tests.conftest import add_person
from tests.ui.conftest import choose, settle_until
from tests.ui.access_keys import clashes
from ui.context import AppContext
from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
from ui.ost.prescription_dialog import PrescriptionDialog, StopDialog
from ui.ost.review_dialog import ReviewDialog
from ui.ost.tab import OstTab
from ui.safe_storage.box_dialog import BoxDialog
from ui.safe_storage.tab import SafeStorageTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
D = TypeVar("D")




def _retype(qtbot, editor: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what the field holds and type ``text`` over it, as a user does."""
    line = editor.lineEdit() if isinstance(editor, QAbstractSpinBox | QComboBox) else editor
    line.selectAll()  # type: ignore[union-attr]
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    if isinstance(editor, QAbstractSpinBox):
        editor.interpretText()


def _whole(message: QLabel) -> bool:
    """The message has the room its wrapped lines need (the form grew for it)."""
    return message.height() >= message.heightForWidth(message.width())


class Site:
    """People the walks start from: one on OST with children at home (the
    review, missed-dose, decision, change and box walks), one to stop, one
    not yet prescribed, and two boxes in stock."""

    def __init__(self, clinic, actors) -> None:  # type: ignore[no-untyped-def]
        prescriber, nurse = actors[Role.PRESCRIBER], actors[Role.NURSE]
        self.clinic = clinic
        self.on_ost = add_person(clinic, "Onost", "Oli", children_in_household=True)
        self.stopping = add_person(clinic, "Stopping", "Sol")
        self.new = add_person(clinic, "Newcomer", "Nia")
        with clinic.unit_of_work(write=True) as uow:
            for person in (self.on_ost, self.stopping):
                ost.start_prescription(uow, prescriber, ost.StartPrescription(
                    person, "methadone", "oral solution 1 mg/mL", 60, 5, 2, None, date(2026, 8, 1)))
            boxes.receive_boxes(uow, nurse, boxes.ReceiveBoxes(("SSB-1", "SSB-2"), date(2026, 10, 1)))

    def prescriptions(self, ctx: AppContext, person: int) -> list[ost.PrescriptionRow]:
        with self.clinic.unit_of_work() as uow:
            return ost.prescriptions(uow, ctx.actor, person)


# ---- one walk per dialog: returns whether the role reached it ------------------------------------


def walk_start(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.OST_READ):
        return False  # no OST tab on the record
    tab = _ost_tab(qtbot, ctx, site.new)
    if not ctx.can(Permission.OST_PRESCRIBE):
        assert tab.buttons["start"].isHidden()
        return False
    tab.buttons["start"].click()
    d = _opened(tab, PrescriptionDialog)
    # nothing clinical guessed: no medicine, no dose, no days (UI-19)
    assert (d.medicine.currentText(), d.dose.value(), d.supervised.value(), d.take_home.value()) == (
        "(choose)", 0, 0, 0)
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["medicine"].message))
    assert d.errors["medicine"].message == "Choose the medicine: methadone or buprenorphine."
    choose(qtbot, d.medicine, 1)
    assert d.formulation.currentText() == "oral solution 1 mg/mL"
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["supervised_days"].message))
    assert d.errors["supervised_days"].message.startswith("Say how many days a week are supervised")
    _retype(qtbot, d.supervised, "7")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["daily_dose_mg"].message))
    assert d.errors["daily_dose_mg"].message == "A daily dose of 0 mg is not a prescription"
    _retype(qtbot, d.dose, "150")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.save_button.text() == "Save &anyway")  # above the warning level: confirm it
    assert "120" in d.errors["daily_dose_mg"].message and d.dose.value() == 150
    settle_until(qtbot, lambda: _whole(d.errors["daily_dose_mg"]))
    assert clashes(d) == {}
    _retype(qtbot, d.dose, "250")  # a different dose after the warning: the confirmation was for 150 mg
    assert d.save_button.text() == "Save"
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.save_button.text() == "Save &anyway")
    assert d.isVisible() and "250" in d.errors["daily_dose_mg"].message
    _retype(qtbot, d.dose, "150")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.save_button.text() == "Save &anyway")  # 150 mg warned again, then confirmed
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.fields["dose"].text() == "150 mg methadone")
    assert [p.daily_dose_mg for p in site.prescriptions(ctx, site.new)] == [150]
    return True


def walk_change(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.OST_READ):
        return False
    tab = _ost_tab(qtbot, ctx, site.on_ost)
    if not ctx.can(Permission.OST_PRESCRIBE):
        assert tab.buttons["change"].isHidden()
        return False
    tab.buttons["change"].click()
    d = _opened(tab, PrescriptionDialog)
    assert clashes(d) == {}
    _retype(qtbot, d.dose, "70")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    assert d.errors["reason"].message == "Give the reason for the change." and d.dose.value() == 70
    qtbot.keyClicks(d.reason, "Craving in the evenings")
    _retype(qtbot, d.start, "01/08/2026")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["change_on"].message))
    assert d.errors["change_on"].message.startswith("A change must start after the current prescription started")
    _retype(qtbot, d.start, "23/11/2026")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.fields["dose"].text() == "70 mg methadone")
    assert [(p.daily_dose_mg, p.change_reason) for p in site.prescriptions(ctx, site.on_ost)][-1] == (
        70, "Craving in the evenings")
    return True


def walk_stop(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.OST_READ):
        return False
    tab = _ost_tab(qtbot, ctx, site.stopping)
    if not ctx.can(Permission.OST_PRESCRIBE):
        assert tab.buttons["stop"].isHidden()
        return False
    tab.buttons["stop"].click()
    d = _opened(tab, StopDialog)
    assert clashes(d) == {}
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    assert d.errors["reason"].message == "Give the reason for stopping."
    _retype(qtbot, d.end, "31/07/2026")
    qtbot.keyClicks(d.reason, "Moved away")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["end_on"].message))
    assert d.errors["end_on"].message.startswith("The last day (31 July 2026) is before the prescription started")
    assert d.reason.text() == "Moved away"  # nothing typed is lost
    settle_until(qtbot, lambda: _whole(d.errors["end_on"]))
    _retype(qtbot, d.end, "22/11/2026")
    qtbot.keyClick(d.reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.fields["medicine"].text() == "Not on OST")
    assert [(p.end_on, p.end_reason) for p in site.prescriptions(ctx, site.stopping)] == [
        (date(2026, 11, 22), "Moved away")]
    return True


def walk_review(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.OST_READ):
        return False
    tab = _ost_tab(qtbot, ctx, site.on_ost)
    if not ctx.can(Permission.OST_WRITE):
        assert tab.buttons["review"].isHidden()
        return False
    tab.buttons["review"].click()
    d = _opened(tab, ReviewDialog)
    assert clashes(d) == {}
    boxes_to_choose = {"attendance": d.attendance, "dose_adequacy": d.dose_adequacy,
                       "supervision_decision": d.supervision, "overdose_risk": d.overdose_risk}
    assert all(box.currentData() is None for box in boxes_to_choose.values())  # no answer pre-filled
    qtbot.keyClicks(d.plan, "Continue at the same dose; review in three months.")
    d.save_button.click()
    assert {name: d.errors[name].message for name in boxes_to_choose} == {
        "attendance": "Choose the attendance since the last review.", "dose_adequacy": "Choose the dose adequacy.",
        "supervision_decision": "Choose the supervised consumption decision.",
        "overdose_risk": "Choose the overdose risk."}
    for name, value in (("attendance", "good"), ("dose_adequacy", "adequate"), ("supervision_decision", "reduce"),
                        ("overdose_risk", "low")):
        box = boxes_to_choose[name]
        box.setCurrentIndex(box.findData(value))
    d.naloxone.setChecked(True)
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["supervision_reason"].message))
    assert d.errors["supervision_reason"].message == "Give the reason for the supervised consumption decision."
    assert d.plan.toPlainText() == "Continue at the same dose; review in three months."
    qtbot.keyClicks(d.supervision_reason, "Stable for six months")
    qtbot.keyClick(d.supervision_reason, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.reviews_table.rowCount() == 1)
    assert tab.reviews_table.item(0, 4).text() == "Reduce supervision (more take-home)"
    with site.clinic.unit_of_work() as uow:
        assert [r.supervision_reason for r in reviews.reviews(uow, ctx.actor, site.on_ost)] == [
            "Stable for six months"]
    return True


def walk_missed(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.OST_READ):
        return False
    tab = _ost_tab(qtbot, ctx, site.on_ost)
    if not ctx.can(Permission.OST_WRITE):
        assert tab.buttons["missed"].isHidden()
        return False
    tab.buttons["missed"].click()
    d = _opened(tab, MissedDoseDialog)
    assert clashes(d) == {}
    _retype(qtbot, d.first_day, "31/07/2026")
    qtbot.keyClicks(d.reporter, "Boots, High Street")
    qtbot.keyClick(d.reporter, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["days"].message))
    assert d.errors["days"].message.startswith("The missed dose date (31 July 2026) is before the prescription")
    _retype(qtbot, d.first_day, "20/11/2026")
    _retype(qtbot, d.days, "3")
    qtbot.keyClick(d.reporter, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.missed_table.rowCount() == 3)
    assert tab.missed_banner.alert != ""  # three in a row: prescriber review before the next dose
    with site.clinic.unit_of_work() as uow:
        assert [m.reporter_name for m in missed.missed_doses(uow, ctx.actor, site.on_ost)] == [
            "Boots, High Street"] * 3
    return True


def walk_decision(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    """After the missed-dose walk: the alert it raised is cleared by the decision."""
    if not ctx.can(Permission.OST_READ):
        return False
    tab = _ost_tab(qtbot, ctx, site.on_ost)
    if not ctx.can(Permission.OST_PRESCRIBE):
        assert tab.buttons["decision"].isHidden()
        return False
    assert tab.missed_banner.alert != ""
    tab.buttons["decision"].click()
    d = _opened(tab, DecisionDialog)
    assert clashes(d) == {}
    assert d.decision.currentData() is None  # never pre-filled
    qtbot.keyClick(d.note, Qt.Key.Key_Return)
    assert d.errors["decision"].message == "Choose the decision." and d.isVisible()
    d.decision.setCurrentIndex(d.decision.findData("hold"))
    qtbot.keyClick(d.note, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["note"].message))
    assert d.errors["note"].message == "Add a note saying what the pharmacy and the person are told."
    qtbot.keyClicks(d.note, "Hold until seen on Wednesday")
    qtbot.keyClick(d.note, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: tab.missed_banner.alert == "")
    with site.clinic.unit_of_work() as uow:
        assert [x.decision for x in missed.decisions(uow, ctx.actor, site.on_ost)] == ["hold"]
    return True


def walk_issue_box(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.SAFE_STORAGE_READ):
        return False  # no Safe storage tab
    tab = _storage_tab(qtbot, ctx, site.on_ost)
    if not ctx.can(Permission.SAFE_STORAGE_WRITE):
        assert tab.buttons["issue"].isHidden()
        return False
    tab.buttons["issue"].click()
    d = _opened(tab, BoxDialog)
    assert clashes(d) == {}
    _retype(qtbot, d.box, "")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["box_number"].message))
    assert d.errors["box_number"].message == "Enter the box number."
    _retype(qtbot, d.on, "24/11/2026")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["issued_on"].message))
    settle_until(qtbot, lambda: _whole(d.errors["issued_on"]))
    assert d.errors["issued_on"].message == "24 November 2026 is later than this date can be (23 November 2026)."
    _retype(qtbot, d.on, "23/11/2026")
    _retype(qtbot, d.box, "SSB-9")
    assert d.reason.currentText() == "(choose)"  # why a box is issued is never guessed (UI-19)
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    assert d.errors["reason"].message == "Choose the reason for the box."
    choose(qtbot, d.reason, 1)
    d.advice.setChecked(True)
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["box_number"].message))
    assert d.errors["box_number"].message == "Box SSB-9 is not in stock" and d.advice.isChecked()
    _retype(qtbot, d.box, "ssb-1")
    d.save_button.click()
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: "SSB-1" in tab.held.text())
    _close_leaflet(qtbot, ctx, tab)
    with site.clinic.unit_of_work() as uow:
        assert boxes.person_boxes(uow, ctx.actor, site.on_ost).held == ("SSB-1",)
    return True


def walk_replace_box(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    """After the issue walk: the box it issued is swapped for the other one."""
    if not ctx.can(Permission.SAFE_STORAGE_WRITE):
        return False
    tab = _storage_tab(qtbot, ctx, site.on_ost)
    tab.buttons["replace"].click()
    d = _opened(tab, BoxDialog)
    assert clashes(d) == {}
    assert d.box.currentText() == "SSB-1"
    _retype(qtbot, d.new_box, "SSB-1")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["new_box_number"].message))
    assert d.errors["new_box_number"].message == "Give the number of the new box replacing box SSB-1."
    _retype(qtbot, d.new_box, "SSB-2")
    d.old_returned.setChecked(True)
    qtbot.keyClicks(d.note, "Lid cracked")
    qtbot.keyClick(d.note, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    settle_until(qtbot, lambda: "SSB-2" in tab.held.text())
    _close_leaflet(qtbot, ctx, tab)
    with site.clinic.unit_of_work() as uow:
        held = boxes.person_boxes(uow, ctx.actor, site.on_ost)
    assert held.held == ("SSB-2",) and held.events[0].reason_note == "Lid cracked"
    return True


def _ost_tab(qtbot, ctx, pid) -> OstTab:  # type: ignore[no-untyped-def]
    tab = OstTab(ctx, pid)
    qtbot.addWidget(tab)
    tab.show()
    settle_until(qtbot, lambda: tab.record is not None)
    return tab


def _storage_tab(qtbot, ctx, pid) -> SafeStorageTab:  # type: ignore[no-untyped-def]
    tab = SafeStorageTab(ctx, pid)
    qtbot.addWidget(tab)
    tab.show()
    settle_until(qtbot, lambda: tab.view is not None)
    return tab


def _opened(tab: OstTab | SafeStorageTab, kind: type[D]) -> D:
    dialog = tab.dialog
    assert isinstance(dialog, kind) and dialog.isVisible()
    return dialog


def _close_leaflet(qtbot, ctx, tab: SafeStorageTab) -> None:  # type: ignore[no-untyped-def]
    """A box handed over opens the advice leaflet for those who write clinical letters: skip it."""
    if ctx.can(Permission.LETTER_CLINICAL):
        settle_until(qtbot, lambda: tab.leaflet.isVisible())
        tab.leaflet.reject()


WALKS = (walk_start, walk_change, walk_stop, walk_review, walk_missed, walk_decision, walk_issue_box,
         walk_replace_box)
NURSING = ["walk_review", "walk_missed", "walk_issue_box", "walk_replace_box"]
REACHED = {
    Role.RECEPTION: [],
    Role.NURSE: NURSING,
    Role.PRESCRIBER: [w.__name__ for w in WALKS],
    Role.PROBATION: [],
    Role.MANAGER: [],
    Role.ADMIN: [],
}


@pytest.mark.parametrize("role", list(Role))
def test_dialog_walk(qtbot, clinic, actors, role: Role) -> None:  # type: ignore[no-untyped-def]
    site = Site(clinic, actors)
    ctx = AppContext(clinic, actors[role])
    reached = [walk.__name__ for walk in WALKS if walk(qtbot, ctx, site)]
    assert reached == REACHED[role]
