"""Tests for ui.appointments.day_sheet_dialog: preview, save, filed."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic.permissions import Actor, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from ui.appointments.day_sheet_dialog import DaySheetDialog
from ui.context import AppContext

pytestmark = pytest.mark.gui
TUE = date(2026, 11, 24)


def test_day_sheet_previews_saves_and_is_filed(qtbot, clinic: Clinic, actors: dict[Role, Actor],  # type: ignore[no-untyped-def]
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    person = add_person(clinic, "Łukasz", "Zoë")
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, actors[Role.ADMIN], "Room 1").id
        type_id = sessions.list_types(uow, actors[Role.RECEPTION])[0].id
        appts.book(uow, actors[Role.RECEPTION], appts.BookAppointment(
            person_id=person, clinician_id=actors[Role.NURSE].staff_id, type_id=type_id,
            start=datetime.combine(TUE, time(10)), room_id=room, confirm=True))
    ctx = AppContext(clinic, actors[Role.RECEPTION])
    dialog = DaySheetDialog(ctx, TUE)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.show()
    assert dialog.pdf.startswith(b"%PDF") and dialog.preview.page_count() >= 1
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr("ui.appointments.day_sheet_dialog.save_pdf",
                        lambda pdf, parent, suggested_name, **_: (target.write_bytes(pdf), target)[1])
    with qtbot.waitSignal(dialog.filed, timeout=10_000):
        dialog.save_button.click()
    ops.wait_for_all()
    assert target.read_bytes() == dialog.pdf
    assert dialog.status.text() == f"Saved to {target} and filed."  # where it went, not just "Filed." (UI-16)
    with clinic.unit_of_work() as uow:
        kinds = uow.session.execute(text("SELECT letter_type, disposition FROM letters")).all()
    assert kinds == [("day_sheet", "saved")]
