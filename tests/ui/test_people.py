"""Tests for ui.people: register with the keyboard, search and open, edit,
the conflict dialog, merge and the screenshots."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Role
from clinic.services.people import records as people
from clinic.services.people import summary as people_summary
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from db.tables.people import Person
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.people.details import ConflictDialog, DetailsTab
from ui.people.merge import MergeDialog
from ui.people.record import PersonRecordView
from ui.people.register import RegisterDialog
from ui.people.search import PersonSearch
from ui.people.summary import SummaryTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
SHOTS = Path(os.environ.get("HARBOUR_SHOTS", "/tmp/shots"))


def context(clinic: Clinic, actor: Actor) -> AppContext:
    return AppContext(clinic, actor)



def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for _ in range(3):  # let pending layout requests run before the grab
        QApplication.processEvents()
    widget.grab().save(str(SHOTS / f"people-{name}.png"))


def type_into(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)


def person(clinic: Clinic, pid: int) -> Person:
    with clinic.unit_of_work() as uow:
        row = uow.session.get(Person, pid)
        assert row is not None
        return row


def test_register_with_the_keyboard_only(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.form.gp_practice.count() >= 1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.surname)
    type_into(qtbot, "O'Brien")
    tab(qtbot)
    type_into(qtbot, "Siobhan")  # QTest.keyClicks types ASCII only
    tab(qtbot)
    type_into(qtbot, "Shiv")
    tab(qtbot)
    type_into(qtbot, "3/7/1985")
    tab(qtbot)
    assert "3 July 1985, age 41" in dialog.form.dob_hint.text()
    tab(qtbot)  # gender
    type_into(qtbot, "943 476 5919")
    tab(qtbot)
    assert QApplication.focusWidget() is dialog.form.address_lines
    type_into(qtbot, "1 Cowley Road")
    tab(qtbot)
    type_into(qtbot, "ox41aa")
    tab(qtbot)
    type_into(qtbot, "07700 900123")
    shot(dialog, "register")
    with qtbot.waitSignal(dialog.registered, timeout=5000) as saved:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    row = person(clinic, saved.args[0])
    assert (row.surname, row.preferred_name, row.nhs_number, row.postcode, row.date_of_birth) == (
        "O'Brien", "Shiv", "9434765919", "OX4 1AA", date(1985, 7, 3))


def test_register_shows_field_messages(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.nhs_number.setText("943 476 5918")
    dialog.form.date_of_birth.setText("3/7/2030")
    dialog.form.phone.setText("+33 1 23 45 67 89")
    dialog.save(confirmed=False)
    messages = {name: m.message for name, m in dialog.form.messages.items() if m.message}
    assert "Enter a surname" in messages["surname"]
    assert "check digit does not match" in messages["nhs_number"]
    assert "in the future" in messages["date_of_birth"]
    assert "Not a UK number" in messages["phone"]
    dialog.resize(dialog.sizeHint())
    shot(dialog, "register-errors")


def test_register_offers_the_duplicate(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    existing = add_person(clinic, "OBrien", "Siobhan")
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.surname.setText("O'Brien")
    dialog.form.forename.setText("Siobhán")
    dialog.form.date_of_birth.setText("03071985")
    dialog.save(confirmed=False)
    qtbot.waitUntil(lambda: dialog.duplicates.isVisible(), timeout=5000)
    assert dialog.candidates.count() == 1 and dialog.different_button.isVisible()
    shot(dialog, "register-duplicate")
    with qtbot.waitSignal(dialog.open_existing) as chosen:
        qtbot.keyClick(dialog.candidates, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert chosen.args == [existing]


def test_register_a_different_person_after_the_warning(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    add_person(clinic, "OBrien", "Siobhan")
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.surname.setText("O'Brien")
    dialog.form.forename.setText("Sinead")
    dialog.form.date_of_birth.setText("03071985")
    dialog.save(confirmed=False)
    qtbot.waitUntil(lambda: dialog.duplicates.isVisible(), timeout=5000)
    with qtbot.waitSignal(dialog.registered) as saved:
        dialog.different_button.click()
    assert person(clinic, saved.args[0]).forename == "Sinead"


def test_search_as_you_type_and_open_with_enter(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    ids = [add_person(clinic, "O'Brien", "Siobhán", no_post=True, risk_notes="Two staff"),
           add_person(clinic, "Obi", "Chidi"), add_person(clinic, "Smith", "Jo")]
    search = PersonSearch(ctx)
    qtbot.addWidget(search)
    search.resize(900, 300)
    search.show()
    qtbot.waitExposed(search)
    search.activateWindow()
    search.setFocus()
    with qtbot.waitSignal(search.results_shown, timeout=5000):
        qtbot.keyClicks(search.box, "ob")
    assert [h.id for h in search.model.hits] == ids[:2][::-1]  # OBI before OBRIEN
    with qtbot.waitSignal(search.results_shown, timeout=5000):
        qtbot.keyClicks(search.box, "r")
    assert [h.display_name for h in search.model.hits] == ["O'BRIEN, Siobhán"]
    shot(search, "search")
    qtbot.keyClick(search.box, Qt.Key.Key_Down)
    assert search.view.hasFocus()
    with qtbot.waitSignal(search.person_chosen) as chosen:
        qtbot.keyClick(search.view, Qt.Key.Key_Return)
    assert chosen.args == [ids[0]]
    ctx.locked.emit()
    assert search.model.rowCount() == 0 and search.box.text() == ""


def test_stale_results_are_dropped(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    add_person(clinic, "Smith", "Jo")
    add_person(clinic, "Jones", "Al")
    search = PersonSearch(ctx)
    qtbot.addWidget(search)
    search.box.setText("smith")
    search.run_search()
    search.box.setText("jones")
    with qtbot.waitSignal(search.results_shown, timeout=5000):
        search.run_search()
    ops.wait_for_all()
    qtbot.wait(50)
    assert [h.display_name for h in search.model.hits] == ["JONES, Al"]


def _open_record(qtbot: QtBot, ctx: AppContext, pid: int) -> PersonRecordView:
    view = PersonRecordView(ctx, pid)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    qtbot.waitUntil(lambda: view.record is not None, timeout=5000)
    return view


def test_record_header_chips_and_one_opened_row(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    pid = add_person(clinic, "O'Brien", "Siobhán", preferred_name="Shiv", nhs_number="9434765919",
                     no_post=True, discreet_envelope=True, children_in_household=True, risk_notes="Two staff")
    view = _open_record(qtbot, ctx, pid)
    assert "O'BRIEN, Siobhán" in view.name.text() and "Shiv" in view.name.text()
    assert "943 476 5919" in view.facts.text() and "age 41" in view.facts.text()
    assert view.chips.labels() == ["Risk", "No post", "Discreet envelope", "Children in household"]
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    # reception: nothing clinical (the Journey tab shows referrals only), no "who has looked"
    assert titles == ["Summary", "Details", "Journey", "Letters"]
    shot(view, "record-summary")
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(AuditRow).where(AuditRow.action == "person.opened")).scalars().all()
    assert [r.person_id for r in rows] == [pid]
    view.drop()
    assert view.record is None and view.chips.labels() == []


def test_manager_sees_who_has_looked_and_module_items(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def provider(uow: object, actor: Actor, person_id: int) -> list[Outstanding]:
        return [Outstanding("vaccination", "Hep B dose 2 due", date(2026, 11, 30), Severity.DUE, chip="Hep B course"),
                Outstanding("ost", "Prescriber review before next dose", None, Severity.ALERT, chip="On OST")]

    monkeypatch.setattr(people_summary, "PROVIDERS", (provider,))
    pid = add_person(clinic)
    ctx = context(clinic, actors[Role.MANAGER])
    view = _open_record(qtbot, ctx, pid)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Who has looked" in titles
    summary = view.tabs.widget(0)
    assert isinstance(summary, SummaryTab)
    assert summary.outstanding.topLevelItemCount() == 2
    assert summary.outstanding.topLevelItem(0).text(1) == "Prescriber review before next dose"
    assert view.chips.labels() == ["On OST", "Hep B course"]
    shot(view, "record-manager")
    viewers = view.tabs.widget(titles.index("Who has looked"))
    qtbot.waitUntil(lambda: viewers.list.topLevelItemCount() == 1, timeout=5000)  # type: ignore[attr-defined]
    view.tabs.setCurrentWidget(viewers)
    shot(view, "record-viewers")
    ops.wait_for_all()


def _details(qtbot: QtBot, ctx: AppContext, pid: int) -> tuple[PersonRecordView, DetailsTab]:
    view = _open_record(qtbot, ctx, pid)
    details = view.tabs.widget(1)
    assert isinstance(details, DetailsTab)
    view.tabs.setCurrentWidget(details)
    qtbot.waitUntil(lambda: details.version is not None)
    return view, details


def test_edit_and_save(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    pid = add_person(clinic, "Smith", "Jo")
    view, details = _details(qtbot, ctx, pid)
    shot(view, "record-details")
    details.form.phone.setFocus()
    qtbot.keyClicks(details.form.phone, "07700 900456")
    details.form.consent_to_text.setChecked(True)
    with qtbot.waitSignal(details.saved, timeout=5000):
        details.save_button.click()
    row = person(clinic, pid)
    assert (row.phone, row.consent_to_text, row.version) == ("07700 900456", True, 2)
    assert details.message.text() == "Saved."
    qtbot.waitUntil(lambda: view.record is not None and view.record.version == 2, timeout=5000)


def test_details_the_manager_may_only_read_are_read_only_not_disabled(qtbot: QtBot, clinic: Clinic,
                                                                     actors: dict[Role, Actor]) -> None:
    """UI-43: the service manager reads Details: every field is enabled, in the
    Tab order and selectable, but typing, ticking or choosing changes nothing."""
    pid = add_person(clinic, "Smith", "Jo", phone="07700 900123", consent_to_text=True)
    view, details = _details(qtbot, context(clinic, actors[Role.MANAGER]), pid)
    form = details.form
    for field in (form.phone, form.address_lines, form.gender, form.consent_to_text):
        assert field.isEnabled() and field.focusPolicy() != Qt.FocusPolicy.NoFocus, field
    assert form.phone.isReadOnly() and form.address_lines.isReadOnly()
    assert form.risk_notes.placeholderText() == ""  # no "leave blank if none" in a field nobody may fill
    form.phone.setFocus()
    qtbot.keyClicks(form.phone, "99")
    qtbot.keyClick(form.phone, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert form.phone.text() == "07700 900123" and form.phone.selectedText() == "07700 900123"
    qtbot.keyClick(form.phone, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not form.phone  # Tab walks on through the read-only fields
    qtbot.mouseClick(form.consent_to_text, Qt.MouseButton.LeftButton)
    form.consent_to_text.setFocus()
    qtbot.keyClick(form.consent_to_text, Qt.Key.Key_Space)
    gender = form.gender.currentText()
    form.gender.setFocus()
    qtbot.keyClick(form.gender, Qt.Key.Key_Down)
    assert form.consent_to_text.isChecked() and form.gender.currentText() == gender
    assert not details.save_button.isVisible()
    shot(view, "record-details-read-only")


def test_conflict_dialog_shows_what_changed_and_reloads(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                       actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, "Smith", "Jo")
    _view, details = _details(qtbot, ctx, pid)
    with clinic.unit_of_work(write=True) as uow:  # another workstation saves first
        other = people_summary.refresh_record(uow, actors[Role.NURSE], pid)
        people.update(uow, actors[Role.NURSE], pid, other.version, replace(other.details, postcode="OX1 1AA"))
    qtbot.keyClicks(details.form.phone, "07700 900456")
    with qtbot.waitSignal(details.conflict, timeout=5000) as shown:
        details.save_button.click()
    dialog = shown.args[0]
    assert isinstance(dialog, ConflictDialog)
    item = dialog.changes.topLevelItem(0)
    assert (item.text(0), item.text(1), item.text(2)) == ("Postcode", "OX1 1AA", actors[Role.NURSE].full_name)
    shot(dialog, "conflict")
    assert person(clinic, pid).phone == ""  # not overwritten
    dialog.reload_button.click()
    qtbot.waitUntil(lambda: details.form.postcode.text() == "OX1 1AA", timeout=5000)
    assert details.form.phone.text() == "" and details.version == 2


def test_close_record_from_the_summary(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    from ui.people.status import StatusDialog

    pid = add_person(clinic)
    ctx = context(clinic, actors[Role.NURSE])
    view = _open_record(qtbot, ctx, pid)
    summary = view.tabs.widget(0)
    assert isinstance(summary, SummaryTab) and summary.close_button.isEnabled()
    summary.close_button.click()
    dialog = summary.findChild(StatusDialog)
    assert dialog is not None
    dialog.reason.setCurrentIndex(dialog.reason.findData("dropped_out"))
    shot(dialog, "close")
    dialog.save()
    qtbot.waitUntil(lambda: view.record is not None and view.record.hit.status == "closed", timeout=5000)
    assert summary.reopen_button.isEnabled() and "Closed" in view.chips.labels()
    ops.wait_for_all()


def test_merge_dialog(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    keep = add_person(clinic, "Merge", "Keep", phone="07700 900001")
    gone = add_person(clinic, "Merge", "Gone", nhs_number="9434765919")
    ctx = context(clinic, actors[Role.MANAGER])
    dialog = MergeDialog(ctx, keep)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.search.results_shown, timeout=5000):
        qtbot.keyClicks(dialog.search.box, "merge gone")
    qtbot.keyClick(dialog.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.merge_button.isEnabled(), timeout=5000)
    assert "NHS number" in dialog.what.text()
    shot(dialog, "merge")
    with qtbot.waitSignal(dialog.merged, timeout=5000):
        dialog.merge_button.click()
    assert person(clinic, gone).merged_into_id == keep
    assert person(clinic, keep).nhs_number == "9434765919"
    ops.wait_for_all()


def test_unsaved_edits_survive_a_user_switch_for_that_user_only(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                                actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, "Smith", "Jo")
    _view, details = _details(qtbot, ctx, pid)
    qtbot.keyClicks(details.form.phone, "07700 900456")
    ctx.locked.emit()  # "switch user": the record is dropped, the typing kept aside
    assert details.form.phone.text() == ""
    someone_else = AppContext(clinic, actors[Role.NURSE], drafts=ctx.drafts)
    _, their_details = _details(qtbot, someone_else, pid)
    assert their_details.form.phone.text() == ""  # never another user's draft
    back = AppContext(clinic, ctx.actor, drafts=ctx.drafts)
    _, mine = _details(qtbot, back, pid)
    assert mine.form.phone.text() == "07700 900456" and "unsaved changes" in mine.message.text()
    with qtbot.waitSignal(mine.saved, timeout=5000):
        mine.save_button.click()
    assert person(clinic, pid).phone == "07700 900456"


def test_gp_practices_add_edit_and_retire(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    from ui.people.practices import PracticesDialog

    dialog = PracticesDialog(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    dialog.save_button.click()  # no name
    qtbot.waitUntil(lambda: "practice name" in dialog.error.text(), timeout=5000)
    qtbot.keyClicks(dialog.name, "Riverside Surgery")
    qtbot.keyClicks(dialog.phone, "01234 111222")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.save_button.click()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Riverside Surgery"]
    dialog.active.setChecked(False)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.save_button.click()
    assert dialog.list.item(0).text() == "Riverside Surgery  (retired)"
    shot(dialog, "gp-practices")
    with clinic.unit_of_work() as uow:
        assert people.gp_practices(uow, ctx.actor) == []  # retired: not offered for new records


def test_summary_labels_say_what_is_late_and_name_the_area() -> None:
    """UI-25: a month-late result to give said "Due"; current facts said "Planned"; raw module names."""
    from datetime import date

    from clinic.outstanding import Severity
    from ui.people.summary import module_text, severity_text

    today = date(2026, 12, 1)
    assert severity_text(Severity.DUE, date(2026, 11, 1), today)[0] == "! Overdue"
    assert severity_text(Severity.INFO, None, today)[0] == "• Now"
    assert severity_text(Severity.INFO, date(2027, 1, 6), today)[0] == "• Planned"
    assert (module_text("safe_storage"), module_text("ost"), module_text("bbv")) == ("Safe storage", "OST", "BBV")


def test_register_warns_of_a_duplicate_while_typing(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    """UI-10: the duplicate check ran only on Register, and flagged two different NHS numbers."""
    add_person(clinic, "Davis", "Isla", date_of_birth=date(1983, 10, 13), nhs_number="9434765919")
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.surname.setText("Davies")
    dialog.form.forename.setText("Isla")
    dialog.form.date_of_birth.setText("13/10/1983")
    dialog.form.date_of_birth.editingFinished.emit()  # leaving the field
    qtbot.waitUntil(dialog.duplicates.isVisible, timeout=5000)  # before Register is pressed
    assert dialog.candidates.count() == 1
    dialog.form.nhs_number.setText("943 476 5927")  # a different NHS number: a different person
    dialog.form.nhs_number.editingFinished.emit()
    qtbot.waitUntil(lambda: not dialog.duplicates.isVisible(), timeout=5000)


def test_probation_summary_names_no_clinical_appointment(qtbot: QtBot, clinic: Clinic,
                                                         actors: dict[Role, Actor]) -> None:
    """UI-38 / reliability M2 on screen: signed in as the probation liaison, the
    Summary lists a person's bookings without saying what they are for, or with
    whom when that would say it (a prescriber), and names the order's own DRR."""
    from datetime import datetime, time

    from clinic.clinical_words import find
    from clinic.services.appointments import booking as appts
    from clinic.services.appointments import sessions

    pid, rec = add_person(clinic), actors[Role.RECEPTION]
    with clinic.unit_of_work() as uow:
        types = {t.code: t.id for t in sessions.list_types(uow, rec)}
    bookings = (("ost_review", Role.NURSE, 10), ("bbv_test", Role.NURSE, 11), ("vaccination", Role.NURSE, 12),
                ("prescriber_review", Role.PRESCRIBER, 14), ("drr", Role.NURSE, 15))
    for code, role, hour in bookings:
        with clinic.unit_of_work(write=True) as uow:
            appts.book(uow, rec, appts.BookAppointment(pid, actors[role].staff_id, types[code],
                                                       datetime.combine(date(2026, 11, 24), time(hour))))
    view = _open_record(qtbot, context(clinic, actors[Role.PROBATION]), pid)
    summary = view.tabs.widget(0)
    assert isinstance(summary, SummaryTab)
    rows = [summary.outstanding.topLevelItem(i) for i in range(summary.outstanding.topLevelItemCount())]
    text = " ".join(row.text(c) for row in rows for c in range(4))
    assert text.count("Appointment at the clinic") == 4 and "DRR appointment" in text
    assert find(text) == (), text
    assert actors[Role.PRESCRIBER].full_name not in text
    shot(view, "record-probation")


def test_who_has_looked_names_the_role_what_was_opened_and_the_total(qtbot: QtBot, clinic: Clinic,
                                                                     actors: dict[Role, Actor]) -> None:
    """UI-41: each opening shows who, in what role, when and what they opened,
    under a count of every opening (``audit_log.count_viewers``)."""
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        people_summary.open_record(uow, actors[Role.NURSE], pid)
    view = _open_record(qtbot, context(clinic, actors[Role.MANAGER]), pid)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    viewers = view.tabs.widget(titles.index("Who has looked"))
    qtbot.waitUntil(lambda: viewers.list.topLevelItemCount() == 2, timeout=5000)  # type: ignore[attr-defined]
    newest = viewers.list.topLevelItem(0)  # type: ignore[attr-defined]
    oldest = viewers.list.topLevelItem(1)  # type: ignore[attr-defined]
    assert [newest.text(c) for c in (1, 2, 3)] == [actors[Role.MANAGER].full_name, "Service manager", "The record"]
    assert [oldest.text(c) for c in (1, 2)] == [actors[Role.NURSE].full_name, "Nurse"]
    assert viewers.counted.text() == "Showing 1–2 of 2 openings."  # type: ignore[attr-defined]
    assert not viewers.older.isEnabled()  # type: ignore[attr-defined]
    view.tabs.setCurrentWidget(viewers)
    view.resize(1366, 768)
    shot(view, "uifix-viewers")
    ops.wait_for_all()
