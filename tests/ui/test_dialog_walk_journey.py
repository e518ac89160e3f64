"""The dialog walk for the treatment-journey dialogs no other test opened
(issue 14): key worker, add modality, modality start/end, plan review and the
national-return details. For every role, each is opened from its real button
on the person's Journey tab where the role can reach it, refused with the
message by the field on invalid or missing input, then filled by typing and
clicking, saved, and the result checked on the tab and through the service;
where the role cannot reach it, the button is not offered.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Permission, Role
from clinic.services.journey import episodes as svc
from clinic.services.journey import plans
from clinic.services.journey import top as journey_top
from clinic.services.journey.record import EpisodeView, journey_record
from clinic.uow import Clinic
from tests.clinic.services.journey_fixtures import episode, referral
from tests.conftest import add_person
from tests.ui.conftest import settle_until
from tests.ui.test_journey import open_tab, pick, save
from ui.context import AppContext
from ui.journey import dialogs
from ui.journey.tab import JourneyTab
from ui.journey.top_dialog import ProfileDialog

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "support raise", "grabbing the keyboard")]




def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Replace what the field holds, as a user selecting it and typing over it."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _uk(d: date) -> str:
    return d.strftime("%d/%m/%Y")


class Site:
    """A person referred by reception 40 days ago, contacted by the nurse and
    assessed 30 days ago (no key worker yet, referred to psychosocial work),
    with a recovery plan of one goal agreed 20 days ago."""

    def __init__(self, clinic: Clinic, actors: dict[Role, Actor]) -> None:
        nurse = actors[Role.NURSE]
        self.clinic, self.actors = clinic, actors
        self.today = today = clinic.clock.today()
        self.started_on = today - timedelta(days=30)
        self.agreed_on = today - timedelta(days=20)
        self.person = add_person(clinic, "Journey", "Jo")
        rid = referral(clinic, actors[Role.RECEPTION], self.person, today - timedelta(days=40))
        with clinic.unit_of_work(write=True) as uow:
            svc.record_first_contact(uow, nurse, rid, today - timedelta(days=38))
        self.episode = episode(clinic, nurse, self.person, self.started_on, referral_id=rid,
                               modalities=(svc.NewModality("psychosocial", self.started_on),))
        with clinic.unit_of_work(write=True) as uow:
            plans.save_plan(uow, nurse, plans.SavePlan(self.episode, self.agreed_on, True,
                                                       (plans.Goal("Cut down to weekends only",
                                                                   today + timedelta(days=60)),)))

    def open_episode(self) -> EpisodeView:
        """The episode as the service gives it now (the nurse reading it)."""
        with self.clinic.unit_of_work() as uow:
            ep = journey_record(uow, self.actors[Role.NURSE], self.person).open_episode
        assert ep is not None
        return ep


# ---- one walk per dialog: returns whether the role reached it ------------------------------------


def walk_key_worker(qtbot: QtBot, ctx: AppContext, site: Site) -> bool:
    tab = _tab(qtbot, ctx, site)
    if tab is None:
        return False  # no Journey tab on the record
    if not ctx.can(Permission.JOURNEY_WRITE):
        assert tab.buttons["key_worker"].isHidden()
        return False
    tab.buttons["key_worker"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.KeyWorkerDialog)
    assert d.key_worker.currentData() is None  # none named yet: nobody is assumed
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["key_worker_id"].message))
    assert d.errors["key_worker_id"].message == "Choose the key worker."
    pick(qtbot, d.key_worker, "Pat Probation")
    save(qtbot, tab, d)
    assert not d.isVisible()
    assert "key worker Pat Probation" in tab.episode.text()
    assert site.open_episode().key_worker_id == site.actors[Role.PROBATION].staff_id
    return True


def walk_add_modality(qtbot: QtBot, ctx: AppContext, site: Site) -> bool:
    tab = _tab(qtbot, ctx, site)
    if tab is None:
        return False
    if not ctx.can(Permission.JOURNEY_WRITE):
        assert tab.buttons["modality"].isHidden()
        return False
    tab.buttons["modality"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.AddModalityDialog)
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["modality"].message))
    assert d.errors["modality"].message == "Choose the modality."
    pick(qtbot, d.modality, "Alcohol")
    _type(qtbot, d.referred_on, _uk(site.started_on - timedelta(days=1)))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["referred_on"].message))
    assert d.errors["referred_on"].message == "The referral to a modality cannot be before the episode starts."
    assert d.modality.currentData() == "alcohol"  # nothing lost
    referred = site.today - timedelta(days=2)
    _type(qtbot, d.referred_on, _uk(referred))
    save(qtbot, tab, d)
    rows = [[_cell(tab.modalities, r, c) for c in range(2)] for r in range(tab.modalities.rowCount())]
    assert ["Alcohol", _uk(referred)] in rows
    assert [(m.modality, m.referred_on, m.started_on) for m in site.open_episode().modalities
            if m.modality == "alcohol"] == [("alcohol", referred, None)]
    return True


def walk_modality_date(qtbot: QtBot, ctx: AppContext, site: Site) -> bool:
    tab = _tab(qtbot, ctx, site)
    if tab is None:
        return False
    if not ctx.can(Permission.JOURNEY_WRITE):
        assert tab.buttons["modality_date"].isHidden()
        return False
    tab.buttons["modality_date"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.ModalityDateDialog)
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["modality"].message))
    assert d.errors["modality"].message == "Choose the modality."
    pick(qtbot, d.which, "Psychosocial")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["what"].message))
    assert d.errors["what"].message == "Say whether it started or ended."
    pick(qtbot, d.what, "Started")
    _type(qtbot, d.on, _uk(site.started_on - timedelta(days=1)))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["started_on"].message))
    assert d.errors["started_on"].message == "A modality cannot start before it was referred to."
    started = site.today - timedelta(days=5)
    _type(qtbot, d.on, _uk(started))
    save(qtbot, tab, d)
    row = next(r for r in range(tab.modalities.rowCount()) if _cell(tab.modalities, r, 0) == "Psychosocial")
    assert _cell(tab.modalities, row, 2) == _uk(started)
    assert _cell(tab.referrals, 0, 5) == f"{_uk(started)} (35 days)"  # the wait ended
    psychosocial = next(m for m in site.open_episode().modalities if m.modality == "psychosocial")
    assert (psychosocial.started_on, psychosocial.ended_on) == (started, None)

    tab.buttons["modality_date"].click()  # and the same dialog ends it
    ending = tab.dialog
    assert isinstance(ending, dialogs.ModalityDateDialog)
    pick(qtbot, ending.which, "Psychosocial")
    pick(qtbot, ending.what, "Ended")
    _type(qtbot, ending.on, _uk(started - timedelta(days=1)))
    ending.save_button.setFocus()  # Save pressed from the keyboard
    qtbot.keyClick(ending.save_button, Qt.Key.Key_Space)
    settle_until(qtbot, lambda: bool(ending.errors["ended_on"].message))
    assert ending.errors["ended_on"].message == "A modality cannot end before it started."
    assert ending.focusWidget() is ending.on  # the cursor where it is put right
    _type(qtbot, ending.on, _uk(site.today))
    save(qtbot, tab, ending)
    assert _cell(tab.modalities, row, 3) == _uk(site.today)
    psychosocial = next(m for m in site.open_episode().modalities if m.modality == "psychosocial")
    assert psychosocial.ended_on == site.today
    return True


def walk_review(qtbot: QtBot, ctx: AppContext, site: Site) -> bool:
    tab = _tab(qtbot, ctx, site)
    if tab is None:
        return False
    if not ctx.can(Permission.JOURNEY_CLINICAL):
        assert tab.buttons["review"].isHidden()
        return False
    tab.buttons["review"].click()
    d = tab.dialog
    assert isinstance(d, dialogs.ReviewDialog)
    _type(qtbot, d.reviewed_on, _uk(site.agreed_on - timedelta(days=1)))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["reviewed_on"].message))
    assert d.errors["reviewed_on"].message == "A review cannot be before the plan was agreed."
    _type(qtbot, d.reviewed_on, _uk(site.today))
    qtbot.keyClicks(d.notes, "Using at weekends only now")
    goal, _ = d.achieved[0]
    assert not goal.isChecked()  # a goal is never assumed met
    qtbot.mouseClick(goal, Qt.MouseButton.LeftButton)
    save(qtbot, tab, d)
    assert f"last reviewed {_uk(site.today)}" in tab.plan.text()
    assert f"(met {_uk(site.today)})" in tab.plan.text()
    plan = site.open_episode().plan
    assert plan is not None
    assert [(r.reviewed_on, r.notes) for r in plan.reviews] == [(site.today, "Using at weekends only now")]
    assert [g.achieved_on for g in plan.goals] == [site.today]
    return True


def walk_profile(qtbot: QtBot, ctx: AppContext, site: Site) -> bool:
    tab = _tab(qtbot, ctx, site)
    if tab is None:
        return False
    if not ctx.can(Permission.JOURNEY_CLINICAL):
        assert tab.buttons["profile"].isHidden()
        return False
    tab.buttons["profile"].click()
    d = tab.dialog
    assert isinstance(d, ProfileDialog)
    assert all(box.currentData() is None for box in d.boxes.values())  # nothing recorded: nothing assumed
    pick(qtbot, d.boxes["ethnicity"], "White")
    pick(qtbot, d.boxes["primary_route"], "Injecting")
    pick(qtbot, d.boxes["injecting_status"], "Currently injecting")
    qtbot.keyClicks(d.status_on, "31/02/2026")
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["injecting_status_on"].message))
    assert "31/02/2026" in d.errors["injecting_status_on"].message
    _type(qtbot, d.status_on, _uk(site.today - timedelta(days=3)))
    d.save_button.click()
    settle_until(qtbot, lambda: bool(d.errors["primary_substance"].message))
    assert d.errors["primary_substance"].message == "Choose the substance this route is for."
    assert d.boxes["primary_route"].currentData() == "injecting"  # nothing lost
    pick(qtbot, d.boxes["primary_substance"], "Heroin")
    save(qtbot, tab, d)
    assert tab.profile.text() == ("<b>National return:</b> White – British · Heroin · Injecting · "
                                  "Currently injecting")
    with site.clinic.unit_of_work() as uow:
        saved = journey_top.profile(uow, ctx.actor, site.person)
    assert (saved.ethnicity, saved.primary_substance, saved.primary_route, saved.injecting_status,
            saved.injecting_status_on) == ("A", "heroin", "injecting", "current", site.today - timedelta(days=3))
    return True


def _tab(qtbot: QtBot, ctx: AppContext, site: Site) -> JourneyTab | None:
    """The person's Journey tab, or None where the record does not offer it."""
    if not ctx.can(Permission.JOURNEY_REFERRAL):
        return None
    return open_tab(qtbot, ctx, site.person)


WALKS = (walk_key_worker, walk_add_modality, walk_modality_date, walk_review, walk_profile)
KEY_WORKING = ["walk_key_worker", "walk_add_modality", "walk_modality_date"]
CLINICAL = [*KEY_WORKING, "walk_review", "walk_profile"]
REACHED = {
    Role.RECEPTION: [],  # the tab, with the referral button only
    Role.NURSE: CLINICAL,
    Role.PRESCRIBER: CLINICAL,
    Role.PROBATION: KEY_WORKING,  # a key worker, without the clinical forms
    Role.MANAGER: [],  # reads the journey, writes none of it
    Role.ADMIN: [],  # no Journey tab
}


@pytest.mark.parametrize("role", list(Role))
def test_dialog_walk(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:
    site = Site(clinic, actors)
    ctx = AppContext(clinic, actors[role])
    reached = [walk.__name__ for walk in WALKS if walk(qtbot, ctx, site)]
    assert reached == REACHED[role]
