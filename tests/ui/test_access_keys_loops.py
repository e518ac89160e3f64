"""Keyboard first: no two access keys (&-letters) clash in one window, for
the screens and dialogs this branch added or changed."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget

from clinic.permissions import Role
from clinic.services.probation import orders
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person
from ui import ops
from ui.widgets.booking_dialog import BookingDialog
from ui.appointments.setup_dialog import ClinicSetupDialog, SessionDialog
from ui.context import AppContext
from ui.probation import ProbationPage, ProbationTab
from ui.probation.dialogs import OrderDialog, OutcomeDialog
from ui.probation.order_end import EndOrderDialog
from ui.vaccines.offer_dialog import OfferDialog
from ui.vaccines.page import VaccinationPage
from ui.vaccines.tab import VaccinesTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
KEY = re.compile(r"&([^&\s])")


def keys(root: QWidget, *, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """The access keys a user can press in ``root`` (not inside ``skip``, e.g. other tab pages)."""
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        if any(s is w or s.isAncestorOf(w) for s in skip):
            continue
        text = w.text() if isinstance(w, QAbstractButton | QLabel) else (
            w.title() if isinstance(w, QGroupBox) else "")
        found += [m.lower() for m in KEY.findall(text or "")]
        if isinstance(w, QTabWidget):
            found += [m.lower() for i in range(w.count()) for m in KEY.findall(w.tabText(i))]
    return found


def clashes(found: list[str]) -> list[str]:
    return sorted(k for k, n in Counter(found).items() if n > 1)


def test_no_clashing_access_keys(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    liaison, nurse, manager = actors[Role.PROBATION], actors[Role.NURSE], actors[Role.MANAGER]
    pid = add_person(clinic)
    oid = active_order(clinic, liaison, pid)
    lctx, nctx, mctx = AppContext(clinic, liaison), AppContext(clinic, nurse), AppContext(clinic, manager)
    with clinic.unit_of_work() as uow:
        order = orders.get_order(uow, liaison, oid)
    widgets = [ProbationTab(lctx, pid), ProbationPage(lctx), OrderDialog(lctx, pid, [], order),
               OutcomeDialog(lctx, oid), EndOrderDialog(lctx, order), BookingDialog(lctx, person_id=pid),
               VaccinesTab(nctx, pid), VaccinationPage(nctx), OfferDialog(nctx, pid, clinic.clock.today()),
               SessionDialog(mctx, ([], [], []), None, clinic.clock.today())]
    setup = ClinicSetupDialog(mctx, clinic.clock.today())
    for w in [*widgets, setup]:
        qtbot.addWidget(w)
    qtbot.waitUntil(lambda: (ops.wait_for_all(), True)[1], timeout=5000)
    assert {"a", "k", "u", "n", "t", "s"} <= set(keys(widgets[0]))  # the check sees the tab's buttons
    for w in widgets:
        assert clashes(keys(w)) == [], type(w).__name__
    for i in range(setup.tabs.count()):
        others = tuple(setup.tabs.widget(j) for j in range(setup.tabs.count()) if j != i)
        assert clashes(keys(setup, skip=others)) == [], setup.tabs.tabText(i)
