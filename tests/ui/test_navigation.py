"""Every role's navigation: each visible page and every tab of a person's
record builds and loads without error, and only the pages a role may use
are listed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.people.page import PeoplePage
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui
#: Set HARBOUR_SHOTS=/some/dir to keep a screenshot of every page.
SHOTS = os.environ.get("HARBOUR_SHOTS")

EXPECTED = {
    Role.RECEPTION: {"Today", "People", "Counter", "Appointments", "Letters held"},
    Role.NURSE: {"Today", "People", "Counter", "Appointments", "Vaccinations", "OST", "Safe storage", "Safeguarding",
                 "Letters held"},
    Role.PROBATION: {"Today", "People", "Appointments", "Probation", "Letters held"},
    Role.MANAGER: {"Today", "People", "Appointments", "Safeguarding", "Reports", "Audit log"},
    Role.ADMIN: {"Staff", "Safeguarding", "Settings"},
}
for _role in (Role.NURSE, Role.PROBATION, Role.MANAGER):  # the journey pages (ui/journey)
    EXPECTED[_role] |= {"Journey worklist", "Caseload"}
EXPECTED[Role.MANAGER] |= {"Journey report"}
for _role in (Role.MANAGER, Role.ADMIN):  # clinic set-up (ui/appointments/setup_page.py)
    EXPECTED[_role] |= {"Clinic set-up"}


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ops.wait_for_all()
        qtbot.wait(50)
        QApplication.processEvents()


def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_page_builds_for_each_role(qtbot, clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    ctx = AppContext(clinic, actors[role], demo=True)
    ctx.error_shown.connect(errors.append)
    window = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    titles = {window.nav.item(i).text() for i in range(window.nav.count())}
    assert titles == EXPECTED[role]
    for title in sorted(titles):
        window.page(title)
        settle(qtbot)
        shoot(window, f"{role.value}-{title.lower().replace(' ', '-')}")
    assert errors == []
    window.close()


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.PROBATION, Role.MANAGER])
def test_a_record_opens_with_every_tab_the_role_may_see(qtbot, clinic: Clinic, actors: dict[Role, Actor],  # type: ignore[no-untyped-def]
                                                        role: Role) -> None:
    person = add_person(clinic, "Ó Súilleabháin", "Zoë", children_in_household=True,
                        address_lines="Flat 2\n14 Harbour Road", postcode="EX1 2BB")
    errors: list[str] = []
    ctx = AppContext(clinic, actors[role])
    ctx.error_shown.connect(errors.append)
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.open_person(person)
    settle(qtbot)
    view = page.records.currentWidget()
    tabs = [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]
    clinical = {"BBV", "Vaccinations", "OST", "Safe storage", "Safeguarding"}
    if role in (Role.PROBATION, Role.RECEPTION, Role.MANAGER):
        assert not clinical & set(tabs)
    if role in (Role.NURSE, Role.PRESCRIBER):
        assert clinical <= set(tabs)
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        settle(qtbot)
        shoot(page, f"record-{role.value}-{tabs[i].lower().replace(' ', '-')}")
    assert errors == []
    assert page.records.tabText(0) == "Ó SÚILLEABHÁIN, Zoë"


def test_a_worklist_opens_the_record_on_the_people_page(qtbot, clinic: Clinic, actors: dict[Role, Actor]) -> None:  # type: ignore[no-untyped-def]
    person = add_person(clinic, "Worklist", "Wendy")
    ctx = AppContext(clinic, actors[Role.NURSE])
    window = MainWindow(ctx, site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    vaccinations = window.page("Vaccinations")
    vaccinations.open_person.emit(person)
    settle(qtbot)
    people = window.stack.currentWidget()
    assert isinstance(people, PeoplePage)
    assert people.records.currentWidget().person_id == person
