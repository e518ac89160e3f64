"""Tests for ui.safeguarding: the record tab, its dialogs, the worklists,
and what reception and probation liaison see (nothing of the content)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from clinic.bbv import Result, SampleType, TestKind, Virus
from clinic.permissions import Actor, Role
from clinic.services import bbv
from clinic.services.ost import worklists as ost_worklists
from clinic.services.harm_reduction import nsp as nsp_svc
from clinic.services.ost import prescriptions as ost_svc
from clinic.services.safeguarding import household as household_svc
from clinic.services.safeguarding import flags as flags_svc
from clinic.uow import Clinic
from tests.conftest import add_person
from tests.ui.conftest import choose
from ui import ops
from ui.bbv.dialogs import ReferralDialog
from ui.context import AppContext
from ui.people.record import PersonRecordView
from ui.safeguarding.page import SafeguardingPage
from ui.safeguarding.referral_dialogs import ReferralLetterDialog
from ui.safeguarding.tab import SafeguardingTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


def shot(widget: QWidget, name: str) -> None:
    widget.resize(1366, 768)
    QApplication.processEvents()  # let the layout take the latest text
    widget.grab().save(f"/tmp/safeguarding-{name}.png")


def open_tab(qtbot: QtBot, ctx: AppContext, pid: int, page: str) -> SafeguardingTab:
    tab = SafeguardingTab(ctx, pid)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show()
    tab.pages.setCurrentIndex([tab.pages.tabText(i) for i in range(tab.pages.count())].index(page))
    return tab




def save(qtbot: QtBot, tab: SafeguardingTab, dialog: QDialog) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_pregnancy_and_a_visiting_child_raise_the_safe_storage_alert(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                                      actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, "Mother", "Ana", gender="female")
    with clinic.unit_of_work(write=True) as uow:
        ost_svc.start_prescription(uow, actors[Role.PRESCRIBER], ost_svc.StartPrescription(
            pid, "methadone", "oral solution 1 mg/mL", 50, 5, 2, None, date(2026, 9, 1)))
    tab = open_tab(qtbot, ctx, pid, "Household")
    assert ost_worklists.STORAGE_ALERT not in tab.banner.alert

    qtbot.mouseClick(tab.buttons["pregnancy"], Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.pregnant.currentData() == ""  # nothing pre-filled
    choose(qtbot, dialog.pregnant, 1)
    dialog.expected_on.set_value(date(2027, 4, 2))
    qtbot.keyClicks(dialog.antenatal, "Community midwife 023 8000 1111")
    save(qtbot, tab, dialog)
    assert "Pregnant, expected 02/04/2027" in tab.household_facts.text()

    qtbot.mouseClick(tab.buttons["add_child"], Qt.MouseButton.LeftButton)
    child = tab.dialog
    qtbot.keyClicks(child.name, "J")
    choose(qtbot, child.lives, 2)  # Visits
    choose(qtbot, child.age_band, 2)  # 1–4
    qtbot.keyClick(child, Qt.Key.Key_Return)  # no protection status chosen: refused by the field
    qtbot.waitUntil(lambda: "child-protection" in child.errors["protection"].message, timeout=5000)
    choose(qtbot, child.protection, 1)
    save(qtbot, tab, child)
    assert tab.children_table.item(0, 0).text() == "J" and tab.children_table.item(0, 2).text() == "Visits"
    assert ost_worklists.STORAGE_ALERT in tab.banner.alert
    assert "early-help" in tab.banner.alert
    shot(tab, "household")


def test_an_urgent_mash_request_is_due_in_two_hours(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    pid = add_person(clinic)
    tab = open_tab(qtbot, ctx, pid, "Requests")
    qtbot.mouseClick(tab.buttons["log_request"], Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    choose(qtbot, dialog.source, 1)  # MASH
    qtbot.keyClicks(dialog.requester, "MASH screening, J. Okoro 023 8083 3336")
    choose(qtbot, dialog.urgency, 1)  # Urgent
    shot(dialog, "request-dialog")
    save(qtbot, tab, dialog)
    row = [tab.requests.item(0, c).text() for c in range(tab.requests.columnCount())]
    assert row[:6] == ["MASH", "MASH screening, J. Okoro 023 8083 3336", "23/11/2026 10:00", "Urgent",
                       "23/11/2026 12:00", "Open"]
    shot(tab, "requests")


def test_refer_a_positive_hcv_result_print_the_letter_record_treatment(
        qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: dict[Role, Actor], tmp_path: Path) -> None:
    pid = add_person(clinic, "Jones", "Ray", address_lines="3 Quay St", postcode="EX1 3CC")
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        test_id = bbv.record_test(uow, nurse, bbv.RecordTest(pid, (TestKind.HCV_RNA,), SampleType.VENOUS,
                                                             date(2026, 11, 2))).ids[0]
    with clinic.unit_of_work(write=True) as uow:
        bbv.record_result(uow, nurse, bbv.RecordResult(test_id, Result.POSITIVE, date(2026, 11, 9)))
    tab = open_tab(qtbot, ctx, pid, "Referrals")
    referral = ReferralDialog(ctx, pid, TODAY, Virus.HEPATITIS_C)
    qtbot.addWidget(referral)
    referral.show()
    choose(qtbot, referral.consent, 1)  # Given
    save(qtbot, tab, referral)
    assert [tab.referrals.item(0, c).text() for c in (1, 2, 4)] == ["Hepatology", "Hepatology, General Hospital",
                                                                      "Given"]
    tab.referrals.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.buttons["letter"], Qt.MouseButton.LeftButton)
    letter = tab.dialog
    assert isinstance(letter, ReferralLetterDialog)
    for line in ("Liver Unit, General Hospital", "Tremona Road", "Exampletown EX9 9ZZ"):
        qtbot.keyClicks(letter.address, line)
        qtbot.keyClick(letter.address, Qt.Key.Key_Return)
    qtbot.keyClicks(letter.text, "Ray has chronic hepatitis C and would like treatment.")
    with qtbot.waitSignal(letter.previewed, timeout=10_000):
        qtbot.mouseClick(letter.preview_button, Qt.MouseButton.LeftButton)
    shot(letter, "letter")
    target = tmp_path / "referral.pdf"

    def save_to(pdf: bytes, parent: object, *, suggested_name: str) -> Path:
        target.write_bytes(pdf)
        return target

    letter.save_fn = save_to
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.mouseClick(letter.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    Path("/tmp/safeguarding-referral.pdf").write_bytes(target.read_bytes())
    assert tab.referrals.item(0, 5).text() == "Filed"

    tab.referrals.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.buttons["outcome"], Qt.MouseButton.LeftButton)
    outcome = tab.dialog
    choose(qtbot, outcome.outcome, 2)  # Treatment started
    save(qtbot, tab, outcome)
    assert tab.referrals.item(0, 6).text() == "Treatment started (23/11/2026)"
    shot(tab, "referrals")


def test_closing_a_flag_needs_a_reason(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    pid = add_person(clinic)
    tab = open_tab(qtbot, ctx, pid, "Flags")
    qtbot.mouseClick(tab.buttons["raise_flag"], Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    choose(qtbot, dialog.kind, 1)  # Domestic abuse
    dialog.marac_on.set_value(TODAY)
    save(qtbot, tab, dialog)
    assert tab.flags.item(0, 0).text() == "Domestic abuse (MARAC 23 November 2026)"
    tab.flags.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.buttons["close_flag"], Qt.MouseButton.LeftButton)
    close = tab.dialog
    qtbot.keyClick(close, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "why the flag is closed" in close.errors["reason"].message, timeout=5000)
    # After a refusal, focus is on the field it is about and Enter saves again.
    assert QApplication.focusWidget() is close.reason and close.save_button.isDefault()
    shot(close, "close-flag")
    qtbot.keyClicks(close.reason, "Moved out of area, MARAC closed")
    save(qtbot, tab, close)
    assert tab.flags.item(0, 4).text().startswith("Closed 23/11/2026")
    shot(tab, "flags")


def test_a_nurse_sees_the_flags_as_chips_on_the_header(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                       actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        flags_svc.raise_flag(uow, actors[Role.NURSE], flags_svc.RaiseFlag(pid, "domestic_abuse", TODAY,
                                                                          date(2027, 2, 1)))
        household_svc.add_child(uow, actors[Role.NURSE], household_svc.RecordChild(pid, "J", "visits", "none", TODAY,
                                                                                   age_band="1_4"))
    view = PersonRecordView(ctx, pid)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.record is not None, timeout=5000)
    assert {"Domestic abuse", "Children: 0 at home, 1 visiting"} <= set(view.chips.labels())
    assert "Safeguarding" in [view.tabs.tabText(i) for i in range(view.tabs.count())]
    shot(view, "record-nurse")
    ops.wait_for_all()


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PROBATION])
def test_reception_and_probation_see_no_safeguarding_content(qtbot: QtBot, clinic: Clinic,
                                                             actors: dict[Role, Actor], role: Role) -> None:
    pid = add_person(clinic)
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        flags_svc.raise_flag(uow, nurse, flags_svc.RaiseFlag(pid, "domestic_abuse", TODAY, date(2027, 2, 1),
                                                             "Ex-partner must not be told she attends"))
        household_svc.add_child(uow, nurse, household_svc.RecordChild(pid, "J", "visits", "cp_plan", TODAY,
                                                                      age_band="1_4"))
    view = PersonRecordView(AppContext(clinic, actors[role]), pid)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.record is not None, timeout=5000)
    titles = [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]
    assert "Safeguarding" not in titles
    shown = " ".join(view.chips.labels()) + view.risk.text()
    for word in ("Domestic", "MARAC", "partner", "Child", "visiting", "protection"):
        assert word not in shown
    expected = [household_svc.GREETING_CHIP] if role is Role.RECEPTION else []
    assert [c for c in view.chips.labels() if "Safeguarding" in c] == expected
    shot(view, f"record-{role.value}")
    ops.wait_for_all()


def test_worklists_and_the_lead_view(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, "Flagged", "Kim")
    nurse, manager = actors[Role.NURSE], actors[Role.MANAGER]
    with clinic.unit_of_work(write=True) as uow:
        flags_svc.raise_flag(uow, nurse, flags_svc.RaiseFlag(pid, "mappa", TODAY, date(2027, 2, 1)))
        flags_svc.mark_lead(uow, actors[Role.ADMIN], flags_svc.MarkLead(manager.staff_id, True))
    page = SafeguardingPage(AppContext(clinic, manager))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["All open flags (lead)",
                                                                        "Young people (lead)"]
    assert page.flags.item(0, 0).text() == "FLAGGED, Kim"
    assert page.kpi.text() == "People engaging with HCV treatment, 2026/27 Q3: 0"
    opened: list[int] = []
    page.open_person.connect(opened.append)
    page.flags.setCurrentCell(0, 0)
    qtbot.keyClick(page.flags, Qt.Key.Key_Return)
    assert opened == [pid]
    shot(page, "lead-page")
    nurse_page = SafeguardingPage(AppContext(clinic, nurse))
    qtbot.addWidget(nurse_page)
    with qtbot.waitSignal(nurse_page.loaded, timeout=5000):
        nurse_page.show()
    assert "Only a safeguarding lead" in nurse_page.lead_note.text()
    QApplication.processEvents()


def test_the_lead_sees_an_under_18_nsp_visitor_on_the_young_people_list(
        qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    """Issue 20: a young person seen at the needle exchange reaches the lead,
    even known only by their code (no record to open: Enter does nothing)."""
    manager = actors[Role.MANAGER]
    with clinic.unit_of_work(write=True) as uow:
        flags_svc.mark_lead(uow, actors[Role.ADMIN], flags_svc.MarkLead(manager.staff_id, True))
        nsp_svc.record_visit(uow, actors[Role.NURSE], nsp_svc.RecordVisit(
            visited_on=TODAY, code="KT01012010F", items=(nsp_svc.ItemIssued("needle", "Orange 25G 16mm", 5),),
            greater_risk_assessed=True, assessment_note="Would share otherwise"))
    page = SafeguardingPage(AppContext(clinic, manager))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    page.tabs.setCurrentWidget(page.young)
    assert [page.young.item(0, c).text() for c in range(4)] == [
        "KT01012010F", "01/01/2010", "16", "NSP visit 23 November 2026"]
    opened: list[int] = []
    page.open_person.connect(opened.append)
    page.young.setCurrentCell(0, 0)
    qtbot.keyClick(page.young, Qt.Key.Key_Return)
    assert opened == []
    shot(page, "young-people")


def test_the_administrator_marks_a_lead_by_keyboard(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    page = SafeguardingPage(AppContext(clinic, actors[Role.ADMIN]))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Safeguarding leads"]
    names = [page.leads.item(i).text() for i in range(page.leads.count())]
    row = next(i for i, n in enumerate(names) if actors[Role.NURSE].full_name in n)
    page.leads.setCurrentRow(row)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.leads, Qt.Key.Key_Space)
    assert page.leads.item(row).checkState() == Qt.CheckState.Checked
    with clinic.unit_of_work() as uow:
        assert flags_svc.leads(uow, actors[Role.ADMIN]) == (actors[Role.NURSE].staff_id,)
    shot(page, "leads")


def test_consent_to_share_and_an_answer_without_consent(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    pid = add_person(clinic)
    tab = open_tab(qtbot, ctx, pid, "Consent")
    qtbot.mouseClick(tab.buttons["consent"], Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    choose(qtbot, dialog.recipient_kind, 1)  # GP
    choose(qtbot, dialog.decision, 1)  # Given
    choose(qtbot, dialog.how_recorded, 2)  # Signed form
    save(qtbot, tab, dialog)
    assert [tab.consents.item(0, c).text() for c in range(3)] == ["GP", "Given", "23/11/2026"]
    qtbot.mouseClick(tab.buttons["limits"], Qt.MouseButton.LeftButton)
    save(qtbot, tab, tab.dialog)
    assert "explained on 23/11/2026" in tab.limits.text()
    shot(tab, "consent")

    tab.pages.setCurrentIndex(3)
    qtbot.mouseClick(tab.buttons["log_request"], Qt.MouseButton.LeftButton)
    request = tab.dialog
    choose(qtbot, request.source, 2)  # Police
    qtbot.keyClicks(request.requester, "DC Brown, Public Protection Unit")
    choose(qtbot, request.urgency, 2)  # Routine
    save(qtbot, tab, request)
    tab.requests.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.buttons["answer"], Qt.MouseButton.LeftButton)
    answer = tab.dialog
    qtbot.keyClicks(answer.shared, "Dates of attendance this month")
    qtbot.keyClicks(answer.legal_basis, "Crime and Disorder Act 1998 s115")
    qtbot.mouseClick(answer.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "without the person's consent" in answer.errors["override_reason"].message, timeout=5000)
    shot(answer, "answer-refused")
    qtbot.keyClicks(answer.override_reason, "Risk of serious harm to others")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.mouseClick(answer.save_button, Qt.MouseButton.LeftButton)
    assert tab.requests.item(0, 5).text().startswith("Answered")
    tab.pages.setCurrentIndex(2)
    assert tab.disclosures.item(0, 2).text() == "Risk of serious harm to others"
