"""Tests for ui.reports: the manager's quarterly KPI page."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic.permissions import Role
from clinic.uow import Clinic
from tests.clinic.services.test_reports import site  # noqa: F401 - the known quarter's data
from ui.reports.page import ReportsPage, recent_quarters

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ctx_role() -> Role:
    return Role.MANAGER


def open_page(qtbot: QtBot, ctx: object) -> ReportsPage:
    page = ReportsPage(ctx)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1000, 760)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def cells(page: ReportsPage) -> dict[str, tuple[str, ...]]:
    t = page.table
    return {t.item(r, 0).text(): tuple(t.item(r, c).text() for c in range(1, t.columnCount()))
            for r in range(t.rowCount())}


def test_quarters_are_this_one_and_the_last_eight(clinic: Clinic) -> None:
    quarters = recent_quarters(clinic.clock.today())
    assert [q.label for q in quarters[:2]] == ["2026/27 Q3", "2026/27 Q2"]
    assert len(quarters) == 9 and quarters[-1].label == "2024/25 Q3"


def test_pick_a_quarter_and_see_the_table(qtbot: QtBot, ctx: object, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = open_page(qtbot, ctx)
    shown = cells(page)
    assert shown["HCV test offered (people who inject)"][:3] == ("100% (2 of 2)", "≥ 95%", "Yes")
    assert shown["Hep B course completed"][:3] == ("33% (1 of 3)", "≥ 75%", "No")
    assert shown["Hep B offered and refused"][:3] == ("25% (1 of 4)", "≤ 10%", "No")
    assert shown["Hep B vaccination offered"][3].startswith("Counted: a hepatitis B vaccination offer")
    assert shown["People in treatment"][0] == "8"
    page.resize(1366, 768)
    page.grab().save("/tmp/shots/loops-reports.png")
    assert page.chart.bars and all(0 <= (b[1] or 0) <= 100 for b in page.chart.bars)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.select_quarter(1)
    assert page.status.text() == "2026/27 Q2: the whole quarter"
    assert cells(page)["People in treatment"][0] == "4"


def test_the_chart_and_table_say_what_they_mean(qtbot: QtBot, ctx: object, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """UI-39: lower-is-better KPIs are marked, the bars' colours and the target line
    have a legend in words, empty targets say so, the table leaves no gap under it,
    and the current quarter is "to date" and shown once."""
    page = open_page(qtbot, ctx)
    assert page.quarter.itemText(0).endswith(", to date") and not page.quarter.itemText(1).endswith("to date")
    assert "to date" in page.status.text() and "/10/2026" not in page.status.text()  # its dates are in the box
    dna = next(b for b in page.chart.bars if b[0] == "Did not attend (DNA) rate")
    assert dna[3] is True  # lower is better: drawn with the arrow the legend explains
    for words in ("Met the target", "Missed the target", "No target set", "the target", "lower is better"):
        assert words in page.legend.text()
    shown = cells(page)
    assert shown["People in treatment"][1:3] == ("No target", "—")
    table = page.table
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.height() <= rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 4


def test_export_writes_counts_only(qtbot: QtBot, ctx: object, site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = open_page(qtbot, ctx)
    target = tmp_path / "kpis.csv"
    with qtbot.waitSignal(page.exported, timeout=10_000):
        page.export_to(target)
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["quarter", "from", "to", "kpi"]
    assert any(r[3] == "dna_rate" and r[8] == "33% (1 of 3)" for r in rows[1:])
    assert "Pat" not in target.read_text(encoding="utf-8")


def test_locking_drops_the_report(qtbot: QtBot, ctx, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = open_page(qtbot, ctx)
    ctx.locked.emit()
    assert page.report is None and page.table.rowCount() == 0
    assert not page.export_button.isEnabled()


def test_the_trend_chart_shows_eight_quarters_against_targets(qtbot: QtBot, ctx, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from clinic import reports as rules
    from ui.reports.chart import KpiTrend

    trend = KpiTrend(ctx)
    qtbot.addWidget(trend)
    trend.resize(1000, 400)
    with qtbot.waitSignal(trend.loaded, timeout=20_000):
        trend.show()
    assert len(trend.reports) == 8 and trend.reports[0].quarter_start < trend.reports[-1].quarter_start
    names = [s.name() for s in trend.chart.series()]
    percent = [k for k in rules.KPIS if k.kind is rules.Kind.PERCENT]
    assert len([n for n in names if not n.strip().startswith("target")]) == len(percent)
    assert sum(n.strip().startswith("target") for n in names) == sum(k.target is not None for k in percent)
    assert any("lower is better" in n for n in names)
    labels = trend.chart.axes(Qt.Orientation.Horizontal)[0].categoriesLabels()
    assert labels[-1].endswith("(to date)")
    ctx.locked.emit()
    assert trend.chart.series() == []


def test_the_report_and_its_trend_keep_no_other_desk_waiting(qtbot: QtBot, ctx, site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Issue 21: the report ran as a write, so it held the site's write lock
    (SQLite's BEGIN IMMEDIATE, the server's advisory lock) for all its
    queries: at 150,000 people every other desk's record opening waited up
    to 1.9 s behind it, and the eight-quarter trend held it for several
    seconds. The KPIs, the harm-reduction counts beside them and the trend
    now read; viewing is still audited, in a short write at the end."""
    from sqlalchemy import event, select

    from db.tables.audit import AuditRow
    from ui import ops
    from ui.reports.chart import KpiTrend

    engine = ctx.clinic.site.engine
    since_begin: dict[int, list[str]] = {}  # each connection's statements in its transaction
    report_reads: list[list[str]] = []

    def ended(conn) -> None:  # type: ignore[no-untyped-def]
        since_begin[id(conn.connection.dbapi_connection)] = []

    def executed(conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        held = since_begin.setdefault(id(conn.connection.dbapi_connection), [])
        if "hb_offered" in statement or "FROM nsp_visits" in statement:  # the KPIs' cohort, the NSP counts:
            report_reads.append(list(held))  # what locks had this transaction taken?
        held.append(statement)

    for end in ("commit", "rollback"):
        event.listen(engine, end, ended)
    event.listen(engine, "before_cursor_execute", executed)
    try:
        page = open_page(qtbot, ctx)
        trend = KpiTrend(ctx)
        qtbot.addWidget(trend)
        with qtbot.waitSignal(trend.loaded, timeout=20_000):
            trend.show()
        ops.wait_for_all()
    finally:
        event.remove(engine, "before_cursor_execute", executed)
        for end in ("commit", "rollback"):
            event.remove(engine, end, ended)
    assert page.report is not None and len(report_reads) >= 10  # this quarter's two, then the trend's eight
    for before in report_reads:
        assert not any(lock in s for s in before for lock in ("BEGIN IMMEDIATE", "pg_advisory_xact_lock")), before
    with ctx.clinic.unit_of_work() as uow:
        viewed = uow.session.execute(select(AuditRow.action).where(AuditRow.action == "report.viewed")).all()
    assert len(viewed) >= 9
