"""V9: hepatitis B vaccination offers and refusals recorded as dated events
from the Vaccinations tab, with a prompt while none is recorded."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clinic.permissions import Role
from clinic.services.vaccination import offers
from tests.conftest import add_person
from ui import ops
from ui.context import AppContext
from ui.vaccines.offer_dialog import OfferDialog
from ui.vaccines.tab import VaccinesTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_prompt_then_a_refusal_with_its_reason(qtbot, clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    tab = VaccinesTab(AppContext(clinic, nurse), pid)
    qtbot.addWidget(tab)
    tab.resize(1100, 560)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show()
    assert tab.prompt.alert.startswith("No hepatitis B vaccination offer is recorded")
    tab.grab().save("/tmp/shots/loops-vacc-prompt.png")
    tab.buttons["offer"].click()
    dialog = tab.dialog
    assert isinstance(dialog, OfferDialog) and dialog.what_happened.currentData() is None
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.errors["event"].message.startswith("Choose what happened") and dialog.isVisible()
    dialog.what_happened.setCurrentIndex(dialog.what_happened.findData("declined"))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (ops.wait_for_all(), bool(dialog.errors["reason"].message))[1], timeout=5000)
    assert dialog.errors["reason"].message == "Give the reason they gave for declining (their words)."
    qtbot.keyClicks(dialog.reason, "Does not like needles")
    dialog.grab().save("/tmp/shots/loops-vacc-offer.png")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert tab.prompt.alert == ""
    assert tab.offers.text() == ("Hepatitis B vaccination offered and declined on 23 November 2026: "
                                 "Does not like needles")
    assert tab.notice.text().endswith("Does not like needles.")
    with clinic.unit_of_work() as uow:
        rows = offers.hepb_offers(uow, nurse, pid).rows
    assert [(r.event, r.event_on) for r in rows] == [("declined", date(2026, 11, 23))]


def test_future_offer_refused_and_reception_cannot_record(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    from clinic.errors import PermissionDenied, Refused

    pid = add_person(clinic)
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        offers.record_offer(uow, actors[Role.NURSE], offers.RecordOffer(pid, "accepted", date(2026, 12, 1)))
    assert refused.value.field == "event_on"
    with pytest.raises(Refused) as refused, clinic.unit_of_work(write=True) as uow:
        offers.record_offer(uow, actors[Role.NURSE], offers.RecordOffer(pid, "accepted", date(1980, 1, 1)))
    assert refused.value.field == "event_on"
    with pytest.raises(PermissionDenied), clinic.unit_of_work(write=True) as uow:
        offers.record_offer(uow, actors[Role.RECEPTION], offers.RecordOffer(pid, "offered", date(2026, 11, 1)))
