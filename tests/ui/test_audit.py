"""Tests for ui.audit: the manager's audit log viewer and record viewers panel."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services import staff
from clinic.uow import Clinic
from db.site import Site
from tests.conftest import STAFF_PASSWORD, Template
from tests.db.test_audit import DROP, raw_sql
from ui import ops
from ui.audit import AuditPage, RecordViewersPanel
from ui.audit.model import PAGE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ctx_role() -> Role:
    return Role.MANAGER


def open_record(clinic: Clinic, actor: Actor, person_id: int, times: int = 1) -> None:
    for _ in range(times):
        with clinic.unit_of_work(write=True) as uow:
            uow.audit(actor, "person.opened", "person", person_id, person_id=person_id)


def open_page(qtbot: QtBot, ctx: object) -> AuditPage:
    page = AuditPage(ctx)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitUntil(lambda: page.model.total > 0)
    return page


def test_filter_by_staff_member_shows_their_rows(qtbot: QtBot, ctx: object, clinic: Clinic,
                                                 actors: dict[Role, Actor]) -> None:
    nurse, reception = actors[Role.NURSE], actors[Role.RECEPTION]
    open_record(clinic, nurse, 41, times=3)
    open_record(clinic, reception, 42)
    page = open_page(qtbot, ctx)
    qtbot.waitUntil(lambda: page.staff.count() > 1)
    page.set_staff(nurse.staff_id)
    page.search()
    qtbot.waitUntil(lambda: page.model.total == 3)
    rows = [[page.model.index(r, c).data() for c in range(6)] for r in range(page.model.rowCount())]
    assert {r[1] for r in rows} == {"Nadia Nurse"}
    assert {r[2] for r in rows} == {"Record opened"}  # plain words, not internal names (UI-40)
    assert {r[4] for r in rows} == {"H000041"}  # the client number staff know
    assert rows[0][0] == "23/11/2026 10:00:00"  # clinic local time
    assert page.count_label.text() == "3 entries, newest first"

    page.resize(1366, 768)
    page.grab().save("/tmp/shots/uifix-audit-log.png")
    page.set_staff(None)
    page.person.setText("H000042")  # the client number, as on the record (UI-40)
    page.search()
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.index(0, 1).data() == "Rita Reception"


def test_person_id_must_be_a_number(qtbot: QtBot, ctx: object) -> None:
    page = open_page(qtbot, ctx)
    page.person.setText("Smith")
    page.search()
    assert "client number" in page.person_error.message


def test_action_prefix_and_changed_fields(qtbot: QtBot, ctx: object, clinic: Clinic,
                                          actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        staff.set_active(uow, actors[Role.ADMIN], actors[Role.PROBATION].staff_id, False)
    page = open_page(qtbot, ctx)
    page.action.setCurrentIndex(page.action.findData("staff."))
    page.search()
    qtbot.waitUntil(lambda: page.model.total >= 1 and page.model.index(0, 2).data() == "Staff accounts: deactivated")
    assert page.model.index(0, 5).data() == "active: true → false"


def test_pages_are_fetched_only_when_shown(qtbot: QtBot, ctx: object, clinic: Clinic,
                                           actors: dict[Role, Actor]) -> None:
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work(write=True) as uow:
        for i in range(PAGE + 50):
            uow.audit(nurse, "person.opened", "person", i, person_id=i)
    page = open_page(qtbot, ctx)
    page.set_staff(nurse.staff_id)
    page.search()
    qtbot.waitUntil(lambda: page.model.total == PAGE + 50)
    assert page.model.line(PAGE + 10) is None  # not loaded yet: asks for it
    open_record(clinic, nurse, 999)  # written meanwhile: does not shift the pages
    qtbot.waitUntil(lambda: page.model.line(PAGE + 10) is not None)
    assert page.model.line(PAGE + 10).entity_id == str(50 - 11)  # type: ignore[union-attr]


def test_verify_chain_reports_intact(qtbot: QtBot, ctx: object) -> None:
    page = open_page(qtbot, ctx)
    page.verify_button.click()
    qtbot.waitUntil(lambda: "intact" in page.chain_label.text())


def test_verify_chain_finds_the_break(qtbot: QtBot, clinic: Clinic, template_site: Template,
                                      actors: dict[Role, Actor]) -> None:
    from ui.context import AppContext

    open_record(clinic, actors[Role.NURSE], 7, times=5)
    site_dir = clinic.site.data_dir
    clinic.site.close()
    raw_sql(site_dir, template_site.data_key, *DROP, "UPDATE audit_log SET changes = '{\"person\": 8}' WHERE seq = 3")
    site = Site.open_with_key(site_dir, template_site.data_key)
    try:
        ctx = AppContext(Clinic(site, clinic.clock), actors[Role.MANAGER])
        page = open_page(qtbot, ctx)
        page.verify_button.click()
        qtbot.waitUntil(lambda: "broken" in page.chain_label.text())
        assert "at entry 3" in page.chain_label.text()
        ops.wait_for_all()
    finally:
        site.close()


def test_export_writes_a_csv_with_a_header(qtbot: QtBot, ctx: object, clinic: Clinic,
                                           actors: dict[Role, Actor], tmp_path: Path) -> None:
    open_record(clinic, actors[Role.NURSE], 5, times=2)
    page = open_page(qtbot, ctx)
    page.export_clicked()
    assert page.confirm_box is not None and "outside Harbour's encrypted store" in page.confirm_box.text()
    page.confirm_box.close()
    target = tmp_path / "audit.csv"
    page.export_to(target)
    qtbot.waitUntil(lambda: page.last_export == target)
    with target.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["seq", "time", "staff", "action", "entity", "entity id", "person id", "changes"]
    assert len(rows) - 1 == page.model.total
    # The export is itself in the trail.
    page.search()
    qtbot.waitUntil(lambda: page.model.index(0, 2).data() == "Audit exports and checks: exported")


def test_export_to_an_unwritable_place_says_so(qtbot: QtBot, ctx: object, tmp_path: Path) -> None:
    shown: list[str] = []
    ctx.error_shown.connect(shown.append)  # type: ignore[attr-defined]
    page = open_page(qtbot, ctx)
    page.export_to(tmp_path / "no such folder" / "audit.csv")
    qtbot.waitUntil(lambda: bool(shown))
    assert "could not be written" in shown[0]


def test_record_viewers_for_managers_only(qtbot: QtBot, ctx: object, clinic: Clinic,
                                          actors: dict[Role, Actor]) -> None:
    from ui.context import AppContext

    open_record(clinic, actors[Role.NURSE], 12, times=2)
    open_record(clinic, actors[Role.RECEPTION], 12)
    panel = RecordViewersPanel(ctx, 12)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    assert panel.table.item(0, 1).text() == "Rita Reception"
    assert panel.summary.text() == "Opened 3 times by 2 members of staff."

    nurse_ctx = AppContext(clinic, actors[Role.NURSE])
    hidden = RecordViewersPanel(nurse_ctx, 12)
    qtbot.addWidget(hidden)
    assert not hidden.allowed and hidden.table.rowCount() == 0


def test_a_non_manager_is_refused_politely(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    from ui.context import AppContext

    ctx = AppContext(clinic, actors[Role.RECEPTION])
    shown: list[str] = []
    ctx.error_shown.connect(shown.append)
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(shown))
    assert "Your role does not allow this" in shown[0]
    ops.wait_for_all()


def test_signed_in_rows_are_attributed(qtbot: QtBot, ctx: object, clinic: Clinic) -> None:
    with clinic.unit_of_work(write=True) as uow:
        staff.sign_in(uow, "nurse", STAFF_PASSWORD)
    page = open_page(qtbot, ctx)
    page.action.setEditText("staff.signed_in")
    page.search()
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.index(0, 1).data() == "Nadia Nurse"


def test_actions_and_entities_read_in_plain_words() -> None:
    """UI-40: the log showed ``probation.letter_sent`` and ``drr_notification 592``."""
    from ui.audit.actions import plain_action, plain_entity

    assert plain_action("probation.letter_sent") == "DRR/ATR: letter sent"
    assert plain_action("staff.locked_out") == "Lock-outs"
    assert plain_entity("drr_notification", "592") == "Drr notification no. 592"
