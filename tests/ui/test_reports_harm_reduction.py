"""Tests for ui.reports.harm_reduction: the counts follow the quarter and export as audited CSV."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clinic.permissions import Actor, Role
from clinic.services.harm_reduction import nsp
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from ui.reports.page import ReportsPage

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ctx_role() -> Role:
    return Role.MANAGER


def test_counts_shown_for_the_quarter_and_exported(qtbot: QtBot, ctx, clinic: Clinic,  # type: ignore[no-untyped-def]
                                                   actors: dict[Role, Actor], tmp_path: Path) -> None:
    with clinic.unit_of_work(write=True) as uow:
        nsp.record_visit(uow, actors[Role.NURSE], nsp.RecordVisit(
            date(2026, 11, 2), code="AB01011990F", items=(nsp.ItemIssued("needle", "Orange 25G 16mm", 10),)))
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 900)
    section = page.harm_reduction
    with qtbot.waitSignal(section.loaded, timeout=10_000):
        page.show()
    rows = {section.table.item(r, 0).text(): section.table.item(r, 1).text() for r in range(section.table.rowCount())}
    assert rows["NSP visits"] == "1" and rows["People using the NSP: pseudonymous codes"] == "1"
    assert rows["Return rate (needles)"] == "0% (0 of 10)"
    if os.environ.get("HARBOUR_SHOTS"):
        page.grab().save(f"{os.environ['HARBOUR_SHOTS']}/counter-reports.png")
    with qtbot.waitSignal(section.loaded, timeout=10_000):
        page.select_quarter(1)  # last quarter: nothing
    assert section.table.item(0, 1).text() == "0"
    target = tmp_path / "hr.csv"
    with qtbot.waitSignal(section.exported, timeout=10_000):
        section.export_to(target)
    with open(target, encoding="utf-8") as f:
        assert next(csv.reader(f))[:4] == ["quarter", "from", "to", "measure"]
    with clinic.unit_of_work() as uow:
        assert uow.session.execute(select(AuditRow.action).where(AuditRow.action == "report.exported")).first()
