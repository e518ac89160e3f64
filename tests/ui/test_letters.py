"""Tests for ui.letters: writing, filing, reopening, held letters and batches."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.services.letters import writing
from clinic.services.letters import filing
from clinic.services.letters import batch as letter_batch
from clinic.uow import Clinic
from tests.conftest import add_person
from ui.context import AppContext
from ui.output.batch_dialog import BatchPrintDialog
from ui.letters.held_page import HeldLettersPage
from ui.letters.letters_tab import LettersTab
from ui.letters.sent_dialog import MarkSentDialog
from ui.output.write_dialog import WriteLetterDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
Actors = dict[Role, Actor]
TUE = date(2026, 11, 24)
ADDRESS = dict(address_lines="Flat 2\n14 Harbour Road\nExampletown", postcode="EX1 2BB")


def booked_person(clinic: Clinic, actors: Actors, surname: str = "Ó Súilleabháin", forename: str = "Zoë",
                  hour: int = 10, **fields: object) -> int:
    pid = add_person(clinic, surname, forename, **(ADDRESS | fields))
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, actors[Role.ADMIN], f"Room {pid}").id
        type_id = sessions.list_types(uow, actors[Role.RECEPTION])[0].id
        appts.book(uow, actors[Role.RECEPTION], appts.BookAppointment(
            person_id=pid, clinician_id=actors[Role.NURSE].staff_id, type_id=type_id,
            start=datetime.combine(TUE, time(hour, 0)), room_id=room, confirm=True))
    return pid


def open_dialog(qtbot: QtBot, ctx: AppContext, pid: int, **kw: object) -> WriteLetterDialog:
    dialog = WriteLetterDialog(ctx, pid, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.show()
    return dialog


def test_write_and_save_a_letter_from_the_keyboard(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                   actors: Actors, tmp_path: Path) -> None:
    pid = booked_person(clinic, actors)
    dialog = open_dialog(qtbot, ctx, pid)
    assert dialog.letter_type() == "appointment_confirmation"
    assert dialog.preview.page_label.text() == "Page 1 of 1"
    # Choose the reminder by keyboard: the preview follows.
    with qtbot.waitSignal(dialog.previewed, timeout=10_000):
        dialog.type_box.setFocus()
        qtbot.keyClick(dialog.type_box, Qt.Key.Key_Down)
    assert dialog.letter_type() == "appointment_reminder"
    saved: list[Path] = []

    def save(pdf: bytes, parent: object, *, suggested_name: str) -> Path:
        path = tmp_path / suggested_name
        path.write_bytes(pdf)
        saved.append(path)
        return path

    dialog.save_fn = save  # type: ignore[assignment]
    pdf = dialog.pdf
    with qtbot.waitSignal(dialog.filed_letter, timeout=10_000) as filed:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    letter = filed.args[0].letter
    assert saved and saved[0].read_bytes() == pdf
    assert letter.sha256 == hashlib.sha256(saved[0].read_bytes()).hexdigest()
    assert letter.disposition == "saved" and letter.letter_type == "appointment_reminder"


def test_cancelled_print_files_nothing(qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: Actors) -> None:
    pid = booked_person(clinic, actors)
    dialog = open_dialog(qtbot, ctx, pid)
    dialog.print_fn = lambda pdf, parent: False  # type: ignore[assignment,misc]
    dialog.print_button.click()
    assert "nothing was filed" in dialog.status.text()
    with clinic.unit_of_work() as uow:
        assert writing.filed_letters(uow, ctx.actor, pid) == []


def test_no_post_letter_is_held_without_printing(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                 actors: Actors) -> None:
    pid = booked_person(clinic, actors, no_post=True)
    dialog = open_dialog(qtbot, ctx, pid)
    assert dialog.notice.isVisible() and "held for collection" in dialog.notice.text()
    dialog.print_fn = lambda pdf, parent: pytest.fail("a no-post letter was printed")  # type: ignore[assignment,misc]
    with qtbot.waitSignal(dialog.filed_letter, timeout=10_000) as filed:
        dialog.print_button.click()
    assert filed.args[0].letter.disposition == "held"
    page = HeldLettersPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.collected_button.click()
    assert page.table.rowCount() == 0 and not page.empty.isHidden()


def test_reopen_shows_the_filed_copy(qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: Actors) -> None:
    pid = booked_person(clinic, actors)
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, ctx.actor, pid, "appointment_confirmation")
        filing.file_rendered(uow, ctx.actor, pid, "appointment_confirmation", pdf, "printed",
                              reference=data.reference)
    # The settings change after filing: reopening must not re-render.
    from clinic.services import site_settings
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"site.phone": "09999 000000"})
    tab = LettersTab(ctx, pid)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)
    assert tab.table.item(0, 3).text() == ctx.actor.full_name
    tab.table.selectRow(0)
    with qtbot.waitSignal(tab.opened, timeout=10_000):
        tab.open_button.click()
    assert tab.preview.pdf() == pdf and tab.preview.page_count() == 1
    # Mark sent, then it can be marked returned.
    tab.sent_button.click()
    qtbot.waitUntil(lambda: isinstance(tab.findChild(MarkSentDialog), MarkSentDialog), timeout=5000)
    qtbot.keyClick(tab.findChild(MarkSentDialog), Qt.Key.Key_Return)  # today, by post
    qtbot.waitUntil(lambda: tab.table.item(0, 5).text().startswith("Sent"), timeout=10_000)


def test_batch_with_one_forced_failure(qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: Actors) -> None:
    good = [booked_person(clinic, actors, "Nowak", "Łukasz", hour=9),
            booked_person(clinic, actors, "Jones", "Sam", hour=11)]
    bad = booked_person(clinic, actors, "Toolong", "Pat", hour=12,
                        address_lines="A house with a name far too long to fit in any envelope window at all")
    held = booked_person(clinic, actors, "Held", "Kim", hour=13, no_post=True)

    def items(uow: object) -> list[letter_batch.BatchItem]:
        return [letter_batch.BatchItem(pid, writing.draft(uow, ctx.actor, pid, "appointment_reminder"))  # type: ignore[arg-type]
                for pid in (good[0], bad, good[1], held)]

    printed: list[bytes] = []
    dialog = BatchPrintDialog(ctx, items)
    qtbot.addWidget(dialog)
    dialog.print_fn = lambda pdf, parent: printed.append(pdf) or True  # type: ignore[assignment,misc]
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=20_000)
    assert dialog.failures.count() == 1 and "Toolong" in dialog.failures.item(0).text()
    assert "too long" in dialog.failures.item(0).text()
    with qtbot.waitSignal(dialog.batch_done, timeout=10_000):
        dialog.print_button.click()
    assert len(printed) == 1 and len(PdfReader(io.BytesIO(printed[0])).pages) == 2
    with clinic.unit_of_work() as uow:
        assert [len(writing.filed_letters(uow, ctx.actor, p)) for p in good] == [1, 1]
        assert writing.filed_letters(uow, ctx.actor, bad) == []
        assert [r.letter.disposition for r in writing.filed_letters(uow, ctx.actor, held)] == ["held"]
    assert "3 letters filed" in dialog.status.text()


def test_batch_cancel_files_nothing(qtbot: QtBot, ctx: AppContext, clinic: Clinic, actors: Actors) -> None:
    pid = booked_person(clinic, actors)

    def items(uow: object) -> list[letter_batch.BatchItem]:
        data = writing.draft(uow, ctx.actor, pid, "appointment_reminder")  # type: ignore[arg-type]
        return [letter_batch.BatchItem(pid, data)] * 30

    dialog = BatchPrintDialog(ctx, items)
    qtbot.addWidget(dialog)
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.prepared is not None, timeout=20_000)
    if dialog.prepared.cancelled:  # type: ignore[union-attr]
        assert "nothing was printed" in dialog.status.text()
    with clinic.unit_of_work() as uow:
        assert writing.filed_letters(uow, ctx.actor, pid) == []
