"""One date format in every table (UI-26): each main page and record tab,
filled with demo data, shows a date cell only as 01/12/2026 (a moment as
01/12/2026 14:05), never "1 December 2026", "Tue 01 Dec" or 2026-12-01."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QWidget
from sqlalchemy import select

from clinic.dates import uk_date, uk_date_time
from clinic.permissions import Role
from clinic.uow import Clinic
from tests.ui.conftest import demo_actor, settle
from ui.context import AppContext
from ui.shell import theme
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
ANY_DATE = (rf"[0-9]{{1,2}} {_MONTH}(?: [0-9]{{4}})?"  # 1 December 2026, 01 Dec
            r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"  # 2026-12-01
            r"|[0-9]{1,2}[/.][0-9]{1,2}[/.](?:[0-9]{4}|[0-9]{2})")  # 01/12/2026, 1.12.26
#: A cell that is a date: perhaps a word before it (OVERDUE, Sent), a weekday, a time after.
DATE_CELL = re.compile(rf"(?:[A-Za-z]+ )?(?:[A-Z][a-z]+ )?(?P<date>{ANY_DATE})"
                       r"(?P<time> [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?(?: \(.*\))?")
ONE_FORM = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")


def test_the_display_functions() -> None:
    assert uk_date(datetime(2026, 3, 7).date()) == "07/03/2026"
    assert uk_date_time(datetime(2026, 3, 7, 9, 5)) == "07/03/2026 09:05"
    assert uk_date_time(datetime(2026, 3, 7, 9, 5, 4), seconds=True) == "07/03/2026 09:05:04"


def _cells(model: QAbstractItemModel, parent: QModelIndex) -> Iterator[str]:
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield str(index.data() or "")
            if column == 0 and model.rowCount(index) > 0:
                yield from _cells(model, index)


def _cells_shown(root: QWidget) -> Iterator[tuple[str, str]]:
    """Every table and tree cell shown under ``root``, with its widget's class."""
    for view in root.findChildren(QAbstractItemView):
        if view.isVisibleTo(root) and not isinstance(view, QHeaderView) and (model := view.model()) is not None:
            for text in _cells(model, QModelIndex()):
                yield type(view).__name__, text


def _look(window: MainWindow, where: str, wrong: list[str], seen: list[str]) -> None:
    for kind, text in _cells_shown(window.stack.currentWidget()):
        if match := DATE_CELL.fullmatch(text):
            seen.append(text)
            if not ONE_FORM.fullmatch(match["date"]):
                wrong.append(f"{where} {kind}: {text!r}")


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.PROBATION, Role.MANAGER],
                         ids=lambda r: r.value)
def test_every_page_and_record_tab_shows_one_date_format_and_fits_a_laptop(qtbot, demo: Clinic, role: Role) -> None:  # type: ignore[no-untyped-def]
    from db.tables.ost import OstPrescription

    with demo.unit_of_work() as uow:
        person = uow.session.execute(select(OstPrescription.person_id).limit(1)).scalar_one()
    theme.apply(QApplication.instance())  # the style sheet's padding is part of every width
    window = MainWindow(AppContext(demo, demo_actor(demo, role), demo=True), site_name="Demo", idle_minutes=60)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    wrong: list[str] = []
    seen: list[str] = []
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    too_wide: list[str] = []  # UI-5: nothing clipped at 1366×768 (a row of buttons widens the window)
    for title in titles:
        window.page(title)
        settle(qtbot)
        _look(window, title, wrong, seen)
        if window.minimumSizeHint().width() > 1366:
            too_wide.append(f"{title}: {window.minimumSizeHint().width()} px")
    if "People" in titles:
        window.open_person(person)
        settle(qtbot)
        view = window.page("People").records.currentWidget()  # type: ignore[attr-defined]
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            settle(qtbot)
            _look(window, f"record {view.tabs.tabText(i)}", wrong, seen)
            if window.minimumSizeHint().width() > 1366:
                too_wide.append(f"record {view.tabs.tabText(i)}: {window.minimumSizeHint().width()} px")
    window.close()
    assert not wrong, "\n".join(wrong)
    assert not too_wide, "wider than a 1366-pixel laptop: " + ", ".join(too_wide)
    assert seen, "the demo pages show some dates"
