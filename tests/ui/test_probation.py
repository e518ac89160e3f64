"""Tests for ui.probation: record an order and a DNA, see it on the worklist,
batch print to PDF, mark sent."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from clinic.permissions import Role
from clinic.probation import Outcome
from clinic.services import probation_letters
from tests.clinic.services.probation_fixtures import active_order, outcome
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab

pytestmark = pytest.mark.gui


def _settle(qtbot, until) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def test_dna_on_the_worklist_batch_print_and_mark_sent(qtbot, clinic, actors, tmp_path: Path) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, liaison)
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    assert tab.view.order.id == oid
    outcome(clinic, liaison, oid, datetime(2026, 11, 20, 10), Outcome.UNACCEPTABLE_ABSENCE)
    page = ProbationPage(ctx)
    qtbot.addWidget(page)
    _settle(qtbot, lambda: page.data is not None)
    assert [n.kind for n in page.data.due_today] == ["non_attendance"]
    assert page.table.item(0, 1).text() == "EXAMPLE, Sam"
    saved: list[bytes] = []

    def save(pdf: bytes, parent) -> Path:  # type: ignore[no-untyped-def]
        saved.append(pdf)
        target = tmp_path / "batch.pdf"
        target.write_bytes(pdf)
        return target

    page.save = save
    page.batch_print()
    _settle(qtbot, lambda: page.last_batch is not None)
    assert saved and saved[0].startswith(b"%PDF") and "1 letter made and filed" in page.status.text()
    page.mark_sent(on=date(2026, 11, 23), method="post")
    _settle(qtbot, lambda: page.status.text() == "Marked sent.")
    with clinic.unit_of_work() as uow:
        notes = probation_letters.notifications_for_order(uow, liaison, oid)
    assert ("non_attendance", "sent", "post") in {(n.kind, n.status, n.method) for n in notes}
    _settle(qtbot, lambda: page.data is not None and not page.data.due_today)
    page.grab().save(str(tmp_path / "page.png"))
    tab.grab().save(str(tmp_path / "tab.png"))


def test_lock_drops_the_data(qtbot, clinic, actors) -> None:
    liaison = actors[Role.PROBATION]
    pid = add_person(clinic)
    active_order(clinic, liaison, pid)
    ctx = AppContext(clinic, liaison)
    tab = ProbationTab(ctx, pid)
    qtbot.addWidget(tab)
    _settle(qtbot, lambda: tab.view is not None)
    ctx.locked.emit()
    assert tab.picker.count() == 0 and tab.details.text() == ""
