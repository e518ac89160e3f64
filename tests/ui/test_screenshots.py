"""Screenshots of every page and record tab for every role, at a laptop
(1366×768) and a desktop (1920×1080) size, on a demo site. A tool, not an
assertion: it runs only with ``HARBOUR_SHOTS=<folder>`` and writes
``<size>/<role>-<page>.png`` and ``<size>/<role>-record-<tab>.png`` there,
to be opened and judged (issue 17)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.demo.staff import DEMO_PASSWORD
from clinic.permissions import Actor, Role
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.tables.people import Person
from db.tables.staff import Staff
from ui import ops
from ui.context import AppContext
from ui.shell import theme
from ui.shell.demo import build_demo_site
from ui.shell.main_window import MainWindow

SHOTS = os.environ.get("HARBOUR_SHOTS")
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", ".*"),
              pytest.mark.skipif(not SHOTS, reason="a tool: set HARBOUR_SHOTS=<folder> to write the screenshots")]
SIZES = ((1366, 768), (1920, 1080))
ROLES = (Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.PROBATION, Role.MANAGER, Role.ADMIN)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    clock = FixedClock(datetime(2026, 12, 1, 11, 40, tzinfo=SITE_TZ))
    clinic = build_demo_site(tmp_path_factory.mktemp("demo") / "site", clock, people=150)
    yield clinic
    ops.wait_for_all()
    clinic.site.close()


def _actor(clinic: Clinic, role: Role) -> Actor:
    with clinic.unit_of_work() as uow:
        return next(a for a in map(actor_of, uow.session.execute(select(Staff)).scalars()) if role in a.roles)


def _someone_with_most(clinic: Clinic) -> int:
    """A demo person on OST with a probation order if there is one: the record with the most tabs filled."""
    from db.tables.ost import OstPrescription as Prescription
    from db.tables.probation import DrrOrder as ProbationOrder

    with clinic.unit_of_work() as uow:
        both = uow.session.execute(select(Person.id).join(Prescription, Prescription.person_id == Person.id)
                                   .join(ProbationOrder, ProbationOrder.person_id == Person.id).limit(1)).scalar()
        return both or uow.session.execute(select(Person.id).limit(1)).scalar_one()


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        ops.wait_for_all()
        qtbot.wait(60)
        QApplication.processEvents()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_screenshots(qtbot, demo: Clinic, role: Role) -> None:  # type: ignore[no-untyped-def]
    theme.apply(QApplication.instance())
    person = _someone_with_most(demo)
    for width, height in SIZES:
        folder = Path(SHOTS or ".") / f"{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        window = MainWindow(AppContext(demo, _actor(demo, role), demo=True), site_name="Harbour demo",
                            idle_minutes=60)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        for title in titles:
            window.page(title)
            settle(qtbot)
            window.grab().save(str(folder / f"{role.value}-{title.lower().replace(' ', '-')}.png"))
        if "People" in titles:
            window.open_person(person)
            settle(qtbot)
            view = window.page("People").records.currentWidget()  # type: ignore[attr-defined]
            for i in range(view.tabs.count()):
                view.tabs.setCurrentIndex(i)
                settle(qtbot)
                name = view.tabs.tabText(i).lower().replace(" ", "-")
                window.grab().save(str(folder / f"{role.value}-record-{name}.png"))
        window.lock()
        window.grab().save(str(folder / f"{role.value}-locked.png"))
        window.close()
    assert DEMO_PASSWORD


def test_dialog_screenshots(qtbot, demo: Clinic) -> None:  # type: ignore[no-untyped-def]
    """The forms people type into most, at the size they open at."""
    from ui.widgets.booking_dialog import BookingDialog
    from ui.bbv.dialogs import OfferDialog, TestDialog
    from ui.ost.missed_dialog import DecisionDialog, MissedDoseDialog
    from ui.ost.prescription_dialog import PrescriptionDialog
    from ui.ost.review_dialog import ReviewDialog
    from ui.people.register import RegisterDialog
    from ui.safe_storage.box_dialog import BoxDialog

    theme.apply(QApplication.instance())
    person, today = _someone_with_most(demo), demo.clock.today()
    folder = Path(SHOTS or ".") / "dialogs"
    folder.mkdir(parents=True, exist_ok=True)
    nurse, prescriber = AppContext(demo, _actor(demo, Role.NURSE)), AppContext(demo, _actor(demo, Role.PRESCRIBER))
    reception = AppContext(demo, _actor(demo, Role.RECEPTION))
    for name, dialog in (("register", RegisterDialog(reception)), ("booking", BookingDialog(reception)),
                         ("booking-for-person", BookingDialog(reception, person_id=person)),
                         ("bbv-offer", OfferDialog(nurse, person, today, declined=False)),
                         ("bbv-sample", TestDialog(nurse, person, today)),
                         ("ost-missed", MissedDoseDialog(nurse, person, today)),
                         ("ost-decision", DecisionDialog(prescriber, person, today)),
                         ("ost-review", ReviewDialog(prescriber, person, today)),
                         ("ost-start", PrescriptionDialog(prescriber, person, (), today)),
                         ("box-issue", BoxDialog(nurse, "issue", person, today, in_stock=("SSB-1", "SSB-2")))):
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot)
        dialog.grab().save(str(folder / f"{name}.png"))
        dialog.close()
