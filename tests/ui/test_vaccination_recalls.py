"""UI-23: recall letters for many people at once from the nurse's
worklists, printed as one batch with progress and cancel, held for "no
post" people, each filed on the person's record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clinic.permissions import Role
from clinic.services.letters import writing as letter_writing
from clinic.services.vaccination import courses as svc
from clinic.services.vaccination import recalls
from tests.conftest import add_person
from tests.ui.test_vaccines import receive, show
from ui import ops
from ui.context import AppContext
from ui.vaccines.page import VaccinationPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _overdue(clinic, nurse, batch, surname: str, **fields) -> int:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, surname, "Olly", address_lines="1 High Street\nExampletown", postcode="EX1 1AA",
                     **fields)
    with clinic.unit_of_work(write=True) as uow:
        course = svc.start_course(uow, nurse, svc.StartCourse(pid, "hepb-standard", date(2026, 10, 2))).id
        svc.record_dose(uow, nurse, svc.RecordDose(pid, batch, date(2026, 10, 2), "Left deltoid", "Intramuscular",
                                                   True, course))
    return pid


def test_select_many_overdue_and_print_their_recalls(qtbot, clinic, actors, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    batch = receive(clinic, nurse)
    posted = _overdue(clinic, nurse, batch, "Posted")
    held = _overdue(clinic, nurse, batch, "Held", no_post=True)
    page = VaccinationPage(AppContext(clinic, nurse))
    show(qtbot, page)
    page.tabs.setCurrentWidget(page.lists["overdue"])
    assert page.print_recalls() is None and "Select the people" in page.recall_status.text()
    table = page.lists["overdue"].table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert sorted(page.lists["overdue"].selected_person_ids()) == sorted([posted, held])
    dialog = page.print_recalls()
    assert dialog is not None and dialog.windowTitle() == "Recall letters for 2 people"
    qtbot.waitUntil(lambda: (ops.wait_for_all(), dialog.print_button.isEnabled())[1], timeout=10_000)
    assert dialog.status.text() == "1 letter ready to print as one job; 1 to hold for collection (no post)."
    printed: list[bytes] = []
    dialog.print_fn = lambda pdf, parent: printed.append(pdf) or True
    with qtbot.waitSignal(dialog.batch_done, timeout=10_000):
        dialog.print_button.click()
    assert dialog.status.text() == "2 letters filed."
    (tmp_path / "recalls.pdf").write_bytes(printed[0])
    Path("/tmp/shots/loops-recalls.pdf").write_bytes(printed[0])
    with clinic.unit_of_work() as uow:
        kept = {pid: [(r.letter.letter_type, r.letter.disposition, r.letter.status)
                      for r in letter_writing.filed_letters(uow, nurse, pid)]
                for pid in (posted, held)}
    assert [k[:2] for k in kept[posted]] == [("vaccination_recall", "printed")]
    assert kept[held][0][0] == "vaccination_recall" and "held" in kept[held][0][1:]


def test_recall_wording_names_nothing_clinical(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    with clinic.unit_of_work() as uow:
        (item,) = recalls.recall_items(uow, nurse, "anti_hbs", [pid])
    text = " ".join(item.data.paragraphs).lower()
    assert "follow-up appointment with our nurse" in text
    assert not any(word in text for word in ("hepatitis", "vaccin", "anti-hbs", "blood", "virus", "test"))
