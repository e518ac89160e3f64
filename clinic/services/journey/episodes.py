"""The treatment journey: referral, first contact, episode and modalities,
key worker, discharge; and the record view the Journey tab shows.

Who does what (issue 19): reception may record that a referral arrived
(date, source, referrer, what is asked for) but not its reason, which is
clinical; key workers (nurses, prescribers, probation liaison) do the rest;
TOP forms and substance data are ``journey_top``'s, for clinical staff.
The recovery plan is in ``journey_plans``, worklists in
``journey_worklists``. Every write is audited with changed fields only and
keeps the episode's stored due dates (``next_plan_due``, ``next_top_due``)
in step, so the worklists stay index range scans.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from clinic import journey as rules
from clinic import probation
from clinic.changes import Area, Changes
from clinic.errors import Conflict, NotFound, Refused
from clinic.permissions import Actor, Permission, Role, parse_roles, require
from clinic.services.people.register import on_register
from clinic.uow import UnitOfWork
from clinic.validation import DAY_NAMED, check_date
from db.tables.journey import (
    Episode,
    EpisodeModality,
    NationalProfile,
    Referral,
    TopForm,
)
from db.tables.ost import OstPrescription
from db.tables.people import Person
from db.tables.probation import DrrOrder
from db.tables.staff import Staff

AREA = Area.JOURNEY
KEY_WORKER_ROLES = frozenset({Role.NURSE, Role.PRESCRIBER, Role.PROBATION})


@dataclass(frozen=True)
class JourneyChanged:
    id: int
    changes: Changes = field(default_factory=Changes)


def _changed(row_id: int, person_id: int) -> JourneyChanged:
    return JourneyChanged(row_id, Changes.of(AREA, person_id=person_id))


# ---- shared checks -----------------------------------------------------------



def check_day(uow: UnitOfWork, person: Person, day: date | None, field_name: str, what: str, *,
              future: bool = False) -> date:
    """Refuse a missing date, one before birth or 1900, after 2100, or (unless
    ``future``) after today, with the message by ``field_name``."""
    if day is None:
        raise Refused(f"Enter the {what}.", field_name)
    return check_date(day, field=field_name, label=f"The {what}", born=person.date_of_birth,
                      today=None if future else uow.clock.today(), wording=_DATE_WORDING)


_DATE_WORDING = replace(DAY_NAMED, out_of_range="{label} ({day}) cannot be right: check the year.")


def flush(uow: UnitOfWork) -> None:
    try:
        uow.session.flush()
    except StaleDataError:
        raise Conflict("Someone else changed this record since you opened it. Reload it and try again.") from None


def episode_row(uow: UnitOfWork, episode_id: int, *, version: int | None = None, open_only: bool = True) -> Episode:
    row = uow.session.get(Episode, episode_id)
    if row is None:
        raise NotFound("There is no such episode.")
    if version is not None and row.version != version:
        raise Conflict("Someone else changed this episode since you opened it. Reload it and try again.")
    if open_only and row.ended_on is not None:
        raise Refused("This episode has ended.")
    return row


def timescales(uow: UnitOfWork) -> dict[str, int]:
    s = uow.settings
    return {k: s[f"journey.{k}"] for k in (
        "first_contact_working_days", "first_intervention_days", "long_wait_days", "prescribing_working_days",
        "drr_prescribing_working_days", "plan_days", "plan_review_weeks", "top_review_months",
        "representation_months")}


# ---- referral ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordReferral:
    person_id: int
    referred_on: date | None
    source: str
    referrer: str = ""
    reason: str = ""
    requested: str = ""


def record_referral(uow: UnitOfWork, actor: Actor, cmd: RecordReferral) -> JourneyChanged:
    require(actor, Permission.JOURNEY_REFERRAL)
    person = on_register(uow, cmd.person_id)
    check_day(uow, person, cmd.referred_on, "referred_on", "referral date")
    if cmd.source not in set(rules.Source):
        raise Refused("Choose where the referral came from.", "source")
    if cmd.requested and cmd.requested not in set(rules.Modality):
        raise Refused("Choose what the referral asks for.", "requested")
    if cmd.reason.strip() and not actor.can(Permission.JOURNEY_WRITE):
        raise Refused("The reason for referral is clinical: a key worker records it.", "reason")
    row = Referral(person_id=person.id, referred_on=cmd.referred_on, source=cmd.source,
                   referrer=cmd.referrer.strip()[:200], reason=cmd.reason.strip(), requested=cmd.requested,
                   closed_reason="", recorded_by=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "journey.referral_recorded", "journey_referral", row.id, person_id=person.id,
              changes={"referred_on": [None, str(row.referred_on)], "source": [None, row.source]})
    return _changed(row.id, person.id)


def _referral(uow: UnitOfWork, referral_id: int, version: int | None) -> Referral:
    row = uow.session.get(Referral, referral_id)
    if row is None:
        raise NotFound("There is no such referral.")
    if version is not None and row.version != version:
        raise Conflict("Someone else changed this referral since you opened it. Reload it and try again.")
    return row


def record_first_contact(uow: UnitOfWork, actor: Actor, referral_id: int, contacted_on: date | None, *,
                         version: int | None = None) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    row = _referral(uow, referral_id, version)
    person = on_register(uow, row.person_id)
    contacted_on = check_day(uow, person, contacted_on, "contacted_on", "date of first contact")
    if contacted_on < row.referred_on:
        raise Refused("First contact cannot be before the referral.", "contacted_on")
    before = row.first_contact_on
    row.first_contact_on, row.first_contact_by = contacted_on, actor.staff_id
    flush(uow)
    uow.audit(actor, "journey.first_contact", "journey_referral", row.id, person_id=person.id,
              changes={"first_contact_on": [str(before) if before else None, str(contacted_on)]})
    return _changed(row.id, person.id)


def close_referral(uow: UnitOfWork, actor: Actor, referral_id: int, closed_on: date | None, reason: str, *,
                   version: int | None = None) -> JourneyChanged:
    """A referral that will not become an episode (declined, not suitable): its clocks stop."""
    require(actor, Permission.JOURNEY_WRITE)
    row = _referral(uow, referral_id, version)
    person = on_register(uow, row.person_id)
    check_day(uow, person, closed_on, "closed_on", "closing date")
    if not reason.strip():
        raise Refused("Say why the referral is closed.", "reason")
    if row.closed_on is not None or row.intervention_on is not None:
        raise Refused("This referral is no longer waiting.")
    row.closed_on, row.closed_reason = closed_on, reason.strip()[:200]
    flush(uow)
    uow.audit(actor, "journey.referral_closed", "journey_referral", row.id, person_id=person.id,
              changes={"closed_on": [None, str(closed_on)]})
    return _changed(row.id, person.id)


# ---- episode and modalities ------------------------------------------------------


@dataclass(frozen=True)
class NewModality:
    modality: str
    referred_on: date | None
    started_on: date | None = None
    drr_order_id: int | None = None


@dataclass(frozen=True)
class OpenEpisode:
    person_id: int
    started_on: date | None  # the assessment
    referral_id: int | None = None
    key_worker_id: int | None = None
    modalities: tuple[NewModality, ...] = ()


def open_episode(uow: UnitOfWork, actor: Actor, cmd: OpenEpisode) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    person = on_register(uow, cmd.person_id)
    start = check_day(uow, person, cmd.started_on, "started_on", "assessment date")
    if uow.session.execute(select(Episode.id).where(Episode.person_id == person.id,
                                                   Episode.ended_on.is_(None))).first():
        raise Refused("This person already has an open episode: discharge it first.", "started_on")
    referral = None
    if cmd.referral_id is not None:
        referral = _referral(uow, cmd.referral_id, None)
        if referral.person_id != person.id or referral.episode_id is not None or referral.closed_on is not None:
            raise Refused("That referral is not waiting for this person.", "referral_id")
        if start < referral.referred_on:
            raise Refused("The assessment cannot be before the referral.", "started_on")
    t = timescales(uow)
    previous = uow.session.execute(select(Episode.ended_on, Episode.exit_reason).where(
        Episode.person_id == person.id, Episode.ended_on.is_not(None))).all()
    profile = uow.session.get(NationalProfile, person.id)
    row = Episode(person_id=person.id, started_on=start, client_type=rules.client_type(
        profile.primary_substance if profile else None), exit_top_missing_reason="",
        re_presentation=rules.is_re_presentation(start, [(d, r) for d, r in previous if d and r],
                                                 months=t["representation_months"]),
        reconstructed=False, created_by=actor.staff_id,
        next_plan_due=rules.plan_due(start, days=t["plan_days"]), next_top_due=start)
    uow.session.add(row)
    uow.session.flush()
    if cmd.key_worker_id is not None:
        _check_key_worker(uow, cmd.key_worker_id)
        row.key_worker_id = cmd.key_worker_id
    if referral is not None:
        referral.episode_id = row.id
    for m in cmd.modalities:
        _add_modality(uow, actor, row, person, m)
    flush(uow)
    uow.audit(actor, "journey.episode_opened", "journey_episode", row.id, person_id=person.id,
              changes={"started_on": [None, str(start)], "key_worker_id": [None, row.key_worker_id],
                       "re_presentation": [None, row.re_presentation]})
    return _changed(row.id, person.id)


def _add_modality(uow: UnitOfWork, actor: Actor, episode: Episode, person: Person, m: NewModality) -> EpisodeModality:
    if m.modality not in set(rules.Modality):
        raise Refused("Choose the modality.", "modality")
    referred = check_day(uow, person, m.referred_on, "referred_on", "date of referral to the modality")
    if referred < episode.started_on:
        raise Refused("The referral to a modality cannot be before the episode starts.", "referred_on")
    if m.started_on is not None:
        check_day(uow, person, m.started_on, "modality_started_on", "modality start")
        if m.started_on < referred:
            raise Refused("A modality cannot start before it was referred to.", "modality_started_on")
    order_id = m.drr_order_id
    if order_id is not None:
        order = uow.session.get(DrrOrder, order_id)
        if order is None or order.person_id != person.id:
            raise Refused("That order is not this person's.", "drr_order_id")
    elif m.modality == rules.Modality.DRR_ATR:
        order_id = _current_order(uow, person.id)
    row = EpisodeModality(episode_id=episode.id, modality=m.modality, referred_on=referred,
                          started_on=m.started_on, drr_order_id=order_id, recorded_by=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    if m.started_on is not None:
        _intervention_started(uow, episode, m.started_on)
    return row


def _current_order(uow: UnitOfWork, person_id: int) -> int | None:
    """The person's pending or active DRR/ATR order, newest first: a DRR/ATR
    modality is about it, and its date starts the 5-day prescribing clock."""
    return uow.session.execute(
        select(DrrOrder.id).where(DrrOrder.person_id == person_id, DrrOrder.status.in_(probation.LIVE))
        .order_by(DrrOrder.order_date.desc(), DrrOrder.id.desc()).limit(1)).scalar()


def _intervention_started(uow: UnitOfWork, episode: Episode, started_on: date) -> None:
    """The first modality to start ends the referral's wait."""
    referral = uow.session.execute(select(Referral).where(Referral.episode_id == episode.id)).scalar_one_or_none()
    if referral is not None and (referral.intervention_on is None or started_on < referral.intervention_on):
        referral.intervention_on = started_on


def add_modality(uow: UnitOfWork, actor: Actor, episode_id: int, cmd: NewModality) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    episode = episode_row(uow, episode_id)
    person = on_register(uow, episode.person_id)
    row = _add_modality(uow, actor, episode, person, cmd)
    uow.audit(actor, "journey.modality_added", "journey_modality", row.id, person_id=person.id,
              changes={"modality": [None, row.modality], "referred_on": [None, str(row.referred_on)]})
    return _changed(row.id, person.id)


def start_modality(uow: UnitOfWork, actor: Actor, modality_id: int, started_on: date | None, *,
                   ost_prescription_id: int | None = None) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    row = _modality(uow, modality_id)
    episode = episode_row(uow, row.episode_id)
    person = on_register(uow, episode.person_id)
    started_on = check_day(uow, person, started_on, "started_on", "modality start")
    if row.started_on is not None:
        raise Refused("This modality has already started.", "started_on")
    if started_on < row.referred_on:
        raise Refused("A modality cannot start before it was referred to.", "started_on")
    if row.modality == rules.Modality.OST and ost_prescription_id is None:
        ost_prescription_id = _prescription_on(uow, person.id, started_on)
    row.started_on, row.ost_prescription_id = started_on, ost_prescription_id
    _intervention_started(uow, episode, started_on)
    flush(uow)
    uow.audit(actor, "journey.modality_started", "journey_modality", row.id, person_id=person.id,
              changes={"started_on": [None, str(started_on)]})
    return _changed(row.id, person.id)


def _prescription_on(uow: UnitOfWork, person_id: int, day: date) -> int | None:
    """The OST prescription in force on ``day``: it belongs to the modality started then."""
    return uow.session.execute(
        select(OstPrescription.id).where(OstPrescription.person_id == person_id, OstPrescription.start_on <= day,
                                         or_(OstPrescription.end_on.is_(None), OstPrescription.end_on >= day))
        .order_by(OstPrescription.start_on.desc()).limit(1)).scalar()


def end_modality(uow: UnitOfWork, actor: Actor, modality_id: int, ended_on: date | None) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    row = _modality(uow, modality_id)
    episode = episode_row(uow, row.episode_id)
    person = on_register(uow, episode.person_id)
    ended_on = check_day(uow, person, ended_on, "ended_on", "modality end")
    if row.ended_on is not None:
        raise Refused("This modality has already ended.", "ended_on")
    if ended_on < (row.started_on or row.referred_on):
        raise Refused("A modality cannot end before it started.", "ended_on")
    row.ended_on = ended_on
    flush(uow)
    uow.audit(actor, "journey.modality_ended", "journey_modality", row.id, person_id=person.id,
              changes={"ended_on": [None, str(ended_on)]})
    return _changed(row.id, person.id)


def _modality(uow: UnitOfWork, modality_id: int) -> EpisodeModality:
    row = uow.session.get(EpisodeModality, modality_id)
    if row is None:
        raise NotFound("There is no such modality.")
    return row


# ---- key worker ---------------------------------------------------------------------


@dataclass(frozen=True)
class KeyWorker:
    id: int
    name: str


def key_workers(uow: UnitOfWork, actor: Actor) -> list[KeyWorker]:
    """Active staff who can hold a caseload."""
    require(actor, Permission.JOURNEY_READ)
    rows = uow.session.execute(select(Staff.id, Staff.full_name, Staff.roles).where(Staff.active.is_(True))
                               .order_by(Staff.full_name)).all()
    return [KeyWorker(i, n) for i, n, roles in rows if parse_roles(roles) & KEY_WORKER_ROLES]


def _check_key_worker(uow: UnitOfWork, staff_id: int) -> None:
    row = uow.session.get(Staff, staff_id)
    if row is None or not row.active or not parse_roles(row.roles) & KEY_WORKER_ROLES:
        raise Refused("A key worker is an active nurse, prescriber or probation liaison worker.", "key_worker_id")


def set_key_worker(uow: UnitOfWork, actor: Actor, episode_id: int, staff_id: int | None, *,
                   version: int | None = None) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    row = episode_row(uow, episode_id, version=version)
    if staff_id is None:
        raise Refused("Choose the key worker.", "key_worker_id")
    _check_key_worker(uow, staff_id)
    before = row.key_worker_id
    row.key_worker_id = staff_id
    flush(uow)
    if before != staff_id:
        uow.audit(actor, "journey.key_worker_set", "journey_episode", row.id, person_id=row.person_id,
                  changes={"key_worker_id": [before, staff_id]})
    return _changed(row.id, row.person_id)


# ---- discharge -----------------------------------------------------------------------


@dataclass(frozen=True)
class Discharge:
    episode_id: int
    ended_on: date | None
    exit_reason: str
    #: For people leaving OST (an OST modality in the episode): both must be answered.
    overdose_risk_discussed: bool | None = None
    naloxone_offered: bool | None = None
    naloxone_accepted: bool | None = None
    #: When no exit TOP could be done, why (not seen again, died); else "".
    no_exit_top_reason: str = ""
    version: int | None = None


def leaving_ost(uow: UnitOfWork, episode_id: int) -> bool:
    return uow.session.execute(select(EpisodeModality.id).where(
        EpisodeModality.episode_id == episode_id, EpisodeModality.modality == rules.Modality.OST,
        EpisodeModality.started_on.is_not(None)).limit(1)).first() is not None


def discharge(uow: UnitOfWork, actor: Actor, cmd: Discharge) -> JourneyChanged:
    require(actor, Permission.JOURNEY_WRITE)
    row = episode_row(uow, cmd.episode_id, version=cmd.version)
    person = on_register(uow, row.person_id)
    ended = check_day(uow, person, cmd.ended_on, "ended_on", "discharge date")
    if ended < row.started_on:
        raise Refused("The discharge cannot be before the episode started.", "ended_on")
    if cmd.exit_reason not in {r.code for r in rules.exit_choices(row.client_type)}:
        raise Refused("Choose the exit reason.", "exit_reason")
    has_exit_top = uow.session.execute(select(TopForm.id).where(
        TopForm.episode_id == row.id, TopForm.stage == "exit").limit(1)).first() is not None
    if not has_exit_top and not cmd.no_exit_top_reason.strip():
        raise Refused("Record the exit TOP first, or say why it could not be done.", "no_exit_top_reason")
    if leaving_ost(uow, row.id):
        if cmd.overdose_risk_discussed is None:
            raise Refused("Leaving OST: record whether overdose risk was discussed.", "overdose_risk_discussed")
        if cmd.naloxone_offered is None:
            raise Refused("Leaving OST: record whether naloxone was offered.", "naloxone_offered")
        if cmd.naloxone_offered and cmd.naloxone_accepted is None:
            raise Refused("Record whether the naloxone was accepted.", "naloxone_accepted")
    row.ended_on, row.exit_reason = ended, cmd.exit_reason
    row.overdose_risk_discussed, row.naloxone_offered = cmd.overdose_risk_discussed, cmd.naloxone_offered
    row.naloxone_accepted = cmd.naloxone_accepted if cmd.naloxone_offered else None
    row.exit_top_missing_reason = "" if has_exit_top else cmd.no_exit_top_reason.strip()[:200]
    row.next_plan_due = row.next_top_due = None
    for m in uow.session.execute(select(EpisodeModality).where(
            EpisodeModality.episode_id == row.id, EpisodeModality.ended_on.is_(None))).scalars():
        m.ended_on = max(ended, m.started_on or m.referred_on)
    flush(uow)
    uow.audit(actor, "journey.discharged", "journey_episode", row.id, person_id=person.id,
              changes={"ended_on": [None, str(ended)], "exit_reason": [None, cmd.exit_reason]})
    return _changed(row.id, person.id)
