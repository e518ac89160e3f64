"""The dialog walk for the record and counter dialogs no test opened before
the dialog census (tests/ui/dialog_census.py): a child gone from the
household, a flag reviewed, a disclosure without consent, a referral out,
naloxone kits received, a filed letter marked sent.

As in ``test_dialog_walk_loops``: for every role, each dialog is opened from
its real button where the role can reach it, refused with the message by
the field on invalid input, then saved with valid input typed as a user
would and the result checked on screen and in the database; where the role
cannot reach it, the button is not offered.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from clinic.permissions import Permission, Role
from clinic.services.harm_reduction import naloxone as kits
from clinic.services.letters import filing
from clinic.services.safeguarding import consent as consent_svc
from clinic.services.safeguarding import flags as flags_svc
from clinic.services.safeguarding import household as household_svc
from clinic.services.safeguarding import referrals as referrals_svc
from db.tables.safeguarding import HouseholdChild
from tests.conftest import add_person
from tests.ui.conftest import choose, settle_until
from ui import ops
from ui.context import AppContext
from ui.counter.page import CounterPage
from ui.letters.letters_tab import LettersTab
from ui.safeguarding.tab import SafeguardingTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
TODAY = date(2026, 11, 23)






class Site:
    """A person with a child at home, an open flag and two filed letters, made by the roles that own them."""

    def __init__(self, clinic, actors) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        self.clinic = clinic
        self.person = add_person(clinic, "Walker", "Wren")
        with clinic.unit_of_work(write=True) as uow:
            self.child = household_svc.add_child(uow, nurse, household_svc.RecordChild(
                self.person, "J", "lives_with", "none", TODAY, age_band="1_4")).id
            flags_svc.raise_flag(uow, nurse, flags_svc.RaiseFlag(self.person, "domestic_abuse", TODAY,
                                                                 date(2027, 2, 1)))
            for category, actor in (("appointment", actors[Role.RECEPTION]), ("probation", actors[Role.PROBATION])):
                filing.file_letter(uow, actor, filing.FileLetter(
                    self.person, "appointment_confirmation", category, f"A {category} letter", f"H1/{category}",
                    b"%PDF-1.4 a filed letter", "printed"))


def _safeguarding(qtbot, ctx, site, page: str) -> SafeguardingTab:  # type: ignore[no-untyped-def]
    tab = SafeguardingTab(ctx, site.person)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show()
    tab.pages.setCurrentIndex([tab.pages.tabText(i) for i in range(tab.pages.count())].index(page))
    return tab


def _save_and_reload(qtbot, tab, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert not dialog.isVisible()


# ---- one walk per dialog: returns whether the role reached it ------------------------------------


def walk_remove_child(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.SAFEGUARDING_READ):
        return False  # no Safeguarding tab on the record
    tab = _safeguarding(qtbot, ctx, site, "Household")
    if not ctx.can(Permission.SAFEGUARDING_WRITE):
        assert tab.buttons["remove_child"].isHidden()
        return False
    tab.children_table.setCurrentCell(0, 0)
    tab.buttons["remove_child"].click()
    d = tab.dialog
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    assert d.isVisible()
    qtbot.keyClicks(d.reason, "Moved with the other parent")
    _save_and_reload(qtbot, tab, d)
    with site.clinic.unit_of_work() as uow:
        row = uow.session.get(HouseholdChild, site.child)
        assert (row.removed_on, row.removed_reason) == (TODAY, "Moved with the other parent")
    return True


def walk_review_flag(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.SAFEGUARDING_READ):
        return False
    tab = _safeguarding(qtbot, ctx, site, "Flags")
    if not ctx.can(Permission.SAFEGUARDING_WRITE):
        assert tab.buttons["review_flag"].isHidden()
        return False
    tab.flags.setCurrentCell(0, 0)
    tab.buttons["review_flag"].click()
    d = tab.dialog
    d.next_review_on.setDate(QDate(2026, 11, 23))  # today: a review is always ahead
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.errors["next_review_on"].message == "The next review date must be after today.")
    d.next_review_on.setDate(QDate(2027, 5, 24))
    _save_and_reload(qtbot, tab, d)
    assert tab.flags.item(0, 3).text() == "24/05/2027"
    return True


def walk_disclosure(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.SAFEGUARDING_READ):
        return False
    tab = _safeguarding(qtbot, ctx, site, "Consent")
    if not ctx.can(Permission.CONSENT_WRITE):
        assert tab.buttons["disclosure"].isHidden()
        return False
    tab.buttons["disclosure"].click()
    d = tab.dialog
    qtbot.keyClicks(d.recipient, "Duty team, Children's Services")
    qtbot.keyClick(d.recipient, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.errors["recipient_kind"].message.startswith("Choose"))
    choose(qtbot, d.recipient_kind, 5)  # children's services
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    d.reason.setFocus()
    qtbot.keyClicks(d.reason, "Risk of serious harm to a child")
    _save_and_reload(qtbot, tab, d)
    assert tab.disclosures.item(0, 0).text() == "Duty team, Children's Services (Children's services)"
    with site.clinic.unit_of_work() as uow:
        assert len(consent_svc.person_consents(uow, ctx.actor, site.person).disclosures) == 1
    return True


def walk_refer(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.SAFEGUARDING_READ):
        return False
    tab = _safeguarding(qtbot, ctx, site, "Referrals")
    if not ctx.can(Permission.REFERRAL_WRITE):
        assert tab.buttons["refer"].isHidden()
        return False
    tab.buttons["refer"].click()
    d = tab.dialog
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.errors["kind"].message.startswith("Choose"))
    choose(qtbot, d.kind, 1)
    choose(qtbot, d.consent, 1)
    qtbot.keyClicks(d.destination, "Hepatology, General Hospital")
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: bool(d.errors["reason"].message))
    qtbot.keyClicks(d.reason, "Liver function")
    _save_and_reload(qtbot, tab, d)
    assert tab.referrals.item(0, 2).text() == "Hepatology, General Hospital"
    with site.clinic.unit_of_work() as uow:
        assert [r.destination for r in referrals_svc.person_referrals(uow, ctx.actor, site.person)] == \
            ["Hepatology, General Hospital"]
    return True


def walk_receive_kits(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.NSP_COUNTER):
        return False  # no Counter page
    page = CounterPage(ctx)
    qtbot.addWidget(page)
    page.show()
    if not ctx.can(Permission.NALOXONE_STOCK_WRITE):
        assert page.receive_button.isHidden()
        return False
    page.receive_button.click()
    d = page.dialog
    assert d.isVisible()
    qtbot.keyClicks(d.batch, "px-7")
    qtbot.keyClick(d.batch, Qt.Key.Key_Return)  # no number of kits yet
    settle_until(qtbot, lambda: d.errors["quantity"].message.startswith("The number of kits received"))
    d.quantity.setFocus()
    qtbot.keyClick(d.quantity, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(d.quantity, "12")
    qtbot.keyClick(d.quantity, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: not d.isVisible())
    with site.clinic.unit_of_work() as uow:
        assert [(b.batch_number, b.remaining) for b in kits.kit_stock(uow, ctx.actor)] == [("PX-7", 12)]
    return True


def walk_mark_letter_sent(qtbot, ctx, site) -> bool:  # type: ignore[no-untyped-def]
    if not ctx.can(Permission.PERSON_READ):
        return False  # no record
    tab = LettersTab(ctx, site.person)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        pass
    if tab.table.rowCount() == 0:
        assert not tab.sent_button.isEnabled()
        return False  # none of the letters is in a category this role reads
    tab.table.selectRow(0)
    d = tab.mark_sent()
    assert d is not None
    d.on.setDate(QDate(2026, 11, 22))  # the day before it was filed
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: d.errors["on"].message == "A letter cannot be sent before it was filed (23/11/2026).")
    d.on.setDate(QDate(2026, 11, 23))
    choose(qtbot, d.method, 2)  # secure email
    qtbot.keyClick(d, Qt.Key.Key_Return)
    settle_until(qtbot, lambda: tab.table.current() is not None and tab.table.current().letter.status == "sent")
    with site.clinic.unit_of_work() as uow:
        sent = [x for x in filing.list_for_person(uow, ctx.actor, site.person) if x.status == "sent"]
    assert [(x.sent_on, x.sent_method) for x in sent] == [(TODAY, "secure_email")]
    return True


WALKS = (walk_remove_child, walk_review_flag, walk_disclosure, walk_refer, walk_receive_kits, walk_mark_letter_sent)
CLINICAL = [walk.__name__ for walk in WALKS]
REACHED = {
    Role.RECEPTION: ["walk_mark_letter_sent"],  # the counter, without the naloxone stock
    Role.NURSE: CLINICAL,
    Role.PRESCRIBER: CLINICAL,
    Role.PROBATION: ["walk_mark_letter_sent"],  # its own probation letter
    Role.MANAGER: [],  # reads records, but no safeguarding content, counter or letters
    Role.ADMIN: [],  # no record at all
}


@pytest.mark.parametrize("role", list(Role))
def test_dialog_walk(qtbot, clinic, actors, role: Role) -> None:  # type: ignore[no-untyped-def]
    site = Site(clinic, actors)
    ctx = AppContext(clinic, actors[role])
    reached = [walk.__name__ for walk in WALKS if walk(qtbot, ctx, site)]
    ops.wait_for_all()
    assert reached == REACHED[role]
