"""The Journey tab, its dialogs and the journey pages, driven by typing and
clicking: a referral through first contact, assessment, key worker, plan,
TOP, a 6-month TOP due on the worklist, and discharge with an exit TOP."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from clinic import top
from clinic.clock import FixedClock
from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import add_person
from ui.context import AppContext
from ui.journey import dialogs
from ui.journey.pages import CaseloadPage, JourneyWorklistPage
from ui.journey.tab import JourneyTab
from ui.journey.top_dialog import TopDialog, TopViewDialog

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "support raise", "grabbing the keyboard")]
SHOTS = os.environ.get("HARBOUR_SHOTS")


@pytest.fixture
def ctx_role() -> Role:
    return Role.NURSE


def open_tab(qtbot: QtBot, ctx: AppContext, person: int) -> JourneyTab:
    tab = JourneyTab(ctx, person)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show()
    return tab


def save(qtbot: QtBot, tab: JourneyTab, dialog: dialogs.FormDialog) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)


def pick(qtbot: QtBot, box: QComboBox, text: str) -> None:
    box.setFocus()
    qtbot.keyClicks(box, text)
    assert box.currentText().startswith(text), box.currentText()


def fill_top(qtbot: QtBot, d: TopDialog) -> None:
    for key, editor in d.answers.items():
        item = top.BY_KEY[key]
        if item.when_positive:
            continue
        if isinstance(editor, QComboBox):
            pick(qtbot, editor, "No")
        elif isinstance(editor, QLineEdit):
            qtbot.keyClicks(editor, "12" if item.kind is top.Kind.RATING else "0")


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.grab().save(f"{SHOTS}/journey-{name}.png")


def test_referral_to_discharge(qtbot: QtBot, ctx: AppContext, clinic: Clinic, clock: FixedClock,
                               actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    tab = open_tab(qtbot, ctx, person)
    assert not tab.buttons["discharge"].isEnabled()

    tab.buttons["referral"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.ReferralDialog)
    save_button = d.save_button
    save_button.click()  # no source chosen: said by the field, nothing lost
    qtbot.waitUntil(lambda: d.errors["source"].message != "")
    d.referred_on.setDate(QDate(2026, 5, 18))
    pick(qtbot, d.source, "GP")
    qtbot.keyClicks(d.referrer, "Dr Shah, Park Surgery")
    qtbot.keyClicks(d.reason, "Wants help to stop using heroin")
    shot(d, "referral")
    save(qtbot, tab, d)
    assert tab.referrals.rowCount() == 1 and "Park Surgery" in tab.referrals.item(0, 2).text()

    tab.buttons["contact"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.FirstContactDialog)
    d.contacted_on.setDate(QDate(2026, 5, 19))
    save(qtbot, tab, d)
    assert tab.referrals.item(0, 4).text() == "19/05/2026"

    tab.buttons["episode"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.EpisodeDialog)
    d.started_on.setDate(QDate(2026, 5, 26))
    pick(qtbot, d.key_worker, "Nadia")
    chosen, started = d.modalities["ost_prescribing"]
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    chosen, started = d.modalities["psychosocial"]
    chosen.setChecked(True)
    started.setChecked(True)
    shot(d, "episode")
    save(qtbot, tab, d)
    assert "key worker Nadia Nurse" in tab.episode.text()
    assert tab.modalities.rowCount() == 2
    assert "26/05/2026 (8 days)" in tab.referrals.item(0, 5).text()

    tab.buttons["plan"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.PlanDialog)
    d.agreed_on.setDate(QDate(2026, 6, 9))
    qtbot.keyClicks(d.goals[0][0], "Stop using on top of the script")
    d.goals[0][1].setDate(QDate(2026, 12, 31))
    save_button = d.save_button
    save_button.click()  # agreed with the person: not assumed
    qtbot.waitUntil(lambda: d.errors["agreed_with_person"].message != "")
    pick(qtbot, d.agreed, "Yes")
    save(qtbot, tab, d)
    assert "Stop using on top" in tab.plan.text()

    tab.buttons["top"].click()
    d = tab.dialog
    assert isinstance(d, TopDialog)
    pick(qtbot, d.stage, "Start")
    d.interview_on.setDate(QDate(2026, 5, 26))
    fill_top(qtbot, d)
    d.answers["quality_of_life"].clear()
    d.save_button.click()
    qtbot.waitUntil(lambda: d.errors["quality_of_life"].message != "")
    qtbot.keyClicks(d.answers["quality_of_life"], "9")
    d.resize(1366, 768)
    shot(d, "top")
    save(qtbot, tab, d)
    assert tab.tops.rowCount() == 1
    shot(tab, "tab")
    tab.tops.setCurrentCell(0, 0)
    tab.tops.setFocus()
    qtbot.keyClick(tab.tops, Qt.Key.Key_Return)  # opens the TOP, read-only
    qtbot.waitUntil(lambda: isinstance(tab.dialog, TopViewDialog), timeout=5000)
    answers = {tab.dialog.table.item(r, 0).text(): tab.dialog.table.item(r, 1).text()
               for r in range(tab.dialog.table.rowCount())}
    assert answers["Rating: overall quality of life"] == "9" and answers["Committed assault or violence"] == "No"
    tab.dialog.reject()

    # Six months on from the start TOP (26 May) the review TOP is due: on the worklist.
    page = JourneyWorklistPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    rows = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    assert "Review TOP due 26 November 2026" in rows
    shot(page, "worklist")
    caseload = CaseloadPage(ctx)
    qtbot.addWidget(caseload)
    caseload.resize(1366, 768)
    with qtbot.waitSignal(caseload.loaded, timeout=5000):
        caseload.show()
    assert caseload.table.rowCount() == 1 and "TOP" in caseload.table.item(0, 5).text()
    shot(caseload, "caseload")

    # Discharge: the exit TOP first, then the exit reason and, leaving OST, naloxone.
    with clinic.unit_of_work(write=True) as uow:  # the prescription started (the OST module's screen)
        from clinic.services.journey import episodes as svc

        ost = next(m for m in tab.view.record.open_episode.modalities if m.modality == "ost_prescribing")
        svc.start_modality(uow, actors[Role.PRESCRIBER], ost.id, clock.today() - timedelta(days=150))
    tab.refresh()
    qtbot.waitUntil(lambda: bool(tab.view.record.open_episode.leaving_ost))
    tab.buttons["top"].click()
    d = tab.dialog
    assert isinstance(d, TopDialog), d
    pick(qtbot, d.stage, "Exit")
    fill_top(qtbot, d)
    save(qtbot, tab, d)

    tab.buttons["discharge"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.DischargeDialog)
    assert "no_exit_top_reason" not in d.errors and "naloxone_offered" in d.errors
    pick(qtbot, d.reason, "Treatment completed")  # the first: drug free
    assert d.reason.currentData() == "completed_drug_free"
    d.save_button.click()
    qtbot.waitUntil(lambda: d.errors["overdose_risk_discussed"].message != "")
    pick(qtbot, d.overdose, "Yes")
    pick(qtbot, d.offered, "Yes")
    pick(qtbot, d.naloxone_accepted, "Yes")
    shot(d, "discharge")
    save(qtbot, tab, d)
    assert "No open episode" in tab.episode.text()
    assert tab.history.rowCount() == 1 and "drug free" in tab.history.item(0, 2).text()
    assert tab.buttons["episode"].isEnabled()


@pytest.mark.parametrize("ctx_role", [Role.RECEPTION])
def test_reception_records_a_referral_without_clinical_content(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    person = add_person(clinic)
    tab = open_tab(qtbot, ctx, person)
    assert [k for k, b in tab.buttons.items() if not b.isHidden()] == ["referral"]
    tab.buttons["referral"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.ReferralDialog) and "reason" not in d.errors
    pick(qtbot, d.source, "Self")
    save(qtbot, tab, d)
    assert tab.referrals.rowCount() == 1 and tab.episode.isHidden()


@pytest.mark.parametrize("ctx_role", [Role.PROBATION])
def test_a_withdrawn_referral_stops_its_clocks(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                               actors: dict[Role, Actor]) -> None:
    from tests.clinic.services.journey_fixtures import referral

    person = add_person(clinic)
    referral(clinic, actors[Role.RECEPTION], person, clock_day(clinic, -10))
    tab = open_tab(qtbot, ctx, person)
    assert tab.buttons["withdraw"].isEnabled() and tab.buttons["top"].isHidden()  # probation: no TOP forms
    tab.buttons["withdraw"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.CloseReferralDialog)
    d.save_button.click()
    qtbot.waitUntil(lambda: d.errors["reason"].message != "")
    qtbot.keyClicks(d.reason, "Declined treatment")
    save(qtbot, tab, d)
    assert tab.referrals.item(0, 5).text().startswith("Closed 23/11/2026")
    assert not tab.buttons["withdraw"].isEnabled() and not tab.buttons["contact"].isEnabled()


@pytest.mark.parametrize("ctx_role", [Role.MANAGER])
def test_journey_report_page_and_extract(qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: dict[Role, Actor],
                                         tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.clinic.services.journey_fixtures import episode, referral
    from ui.journey.report_page import JourneyReportPage

    nurse = actors[Role.NURSE]
    person = add_person(clinic)
    rid = referral(clinic, nurse, person, clock_day(clinic, -30))
    episode(clinic, nurse, person, clock_day(clinic, -25), referral_id=rid, key_worker_id=nurse.staff_id)
    page = JourneyReportPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    values = {page.kpis.item(r, 0).text(): page.kpis.item(r, 1).text() for r in range(page.kpis.rowCount())}
    assert values["Named key worker"] == "100% (1 of 1)"
    assert page.missing.rowCount() == 1 and "Start TOP" in page.missing.item(0, 1).text()
    shot(page, "report")
    target = tmp_path / "extract.csv"
    with qtbot.waitSignal(page.exported, timeout=5000):
        page.write_to(target)
    assert target.read_text().startswith("record_level,client_ref")


def clock_day(clinic: Clinic, days: int):  # type: ignore[no-untyped-def]
    return clinic.clock.today() + timedelta(days=days)
