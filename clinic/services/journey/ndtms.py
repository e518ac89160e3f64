"""The quarter's national-return extract (client → episode → modality → TOP)
and the data-quality list of what each person's return still lacks.

The extract is person-level: initials, date of birth, sex and postcode
district, never a name or address; Harbour's client reference stands in
for the record number. It is for the manager who sends the return
(``NDTMS_EXPORT``), and every extract is audited with its row counts.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select

from clinic import ndtms
from clinic.permissions import Actor, Permission, require
from clinic.uow import UnitOfWork
from db.tables.journey import (
    Episode,
    EpisodeModality,
    NationalProfile,
    RecoveryPlan,
    Referral,
    TopForm,
)
from db.tables.people import Person

COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(
    ndtms.CLIENT_COLUMNS + ndtms.EPISODE_COLUMNS + ndtms.MODALITY_COLUMNS + ndtms.TOP_COLUMNS))


@dataclass(frozen=True)
class Client:
    person_id: int
    name: str
    row: dict[str, str]
    episodes: tuple[dict[str, str], ...]
    modalities: tuple[dict[str, str], ...]
    tops: tuple[dict[str, str], ...]



def _in_quarter(start: date, end: date):  # type: ignore[no-untyped-def]
    return and_(Episode.started_on <= end, or_(Episode.ended_on.is_(None), Episode.ended_on >= start))


_REQUIRED_PROFILE = ("ethnicity", "primary_substance", "primary_route", "injecting_status")
_PROFILE = ("ethnicity", "sexual_orientation", "religion", "disability", "primary_substance", "primary_route",
            "secondary_substance", "secondary_route", "injecting_status")


def _clients(uow: UnitOfWork, start: date, end: date) -> list[Client]:
    """Everyone with an episode open in the quarter, read in four joined
    queries (episodes with person, profile, referral and plan; modalities;
    TOPs), so a 50,000-person site is read in one pass."""
    s, in_quarter = uow.session, _in_quarter(start, end)
    episodes = s.execute(
        select(Episode.id, Episode.person_id, Episode.started_on, Episode.ended_on, Episode.exit_reason,
               Episode.key_worker_id, Episode.reconstructed, Person.surname, Person.forename, Person.date_of_birth,
               Person.gender, Person.postcode, Referral.referred_on, Referral.source, Referral.first_contact_on,
               RecoveryPlan.agreed_on, *(getattr(NationalProfile, k) for k in _PROFILE))
        .join(Person, Person.id == Episode.person_id)
        .outerjoin(NationalProfile, NationalProfile.person_id == Episode.person_id)
        .outerjoin(Referral, Referral.episode_id == Episode.id)
        .outerjoin(RecoveryPlan, RecoveryPlan.episode_id == Episode.id)
        .where(in_quarter).order_by(Episode.person_id, Episode.started_on)).all()
    modalities: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in s.execute(select(EpisodeModality.episode_id, EpisodeModality.modality, EpisodeModality.referred_on,
                                EpisodeModality.started_on, EpisodeModality.ended_on)
                         .join(Episode, Episode.id == EpisodeModality.episode_id).where(in_quarter)
                         .order_by(EpisodeModality.referred_on)):
        modalities[row[0]].append(row)
    tops: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for top_row in s.execute(select(TopForm.episode_id, TopForm.stage, TopForm.interview_on)
                             .join(Episode, Episode.id == TopForm.episode_id).where(in_quarter)
                             .order_by(TopForm.interview_on)):
        tops[top_row[0]].append(top_row)
    by_person: dict[int, list[Any]] = defaultdict(list)
    for e in episodes:
        by_person[e.person_id].append(e)
    out = []
    for pid, rows in by_person.items():
        p = rows[0]
        ref = ndtms.client_ref(pid)
        client = {"record_level": "client", "client_ref": ref, "initials": ndtms.initials(p.forename, p.surname),
                  "date_of_birth": ndtms.iso(p.date_of_birth), "sex": p.gender,
                  "postcode_district": ndtms.postcode_district(p.postcode)} | {k: getattr(p, k) or "" for k in _PROFILE}
        ep_rows, mod_rows, top_rows = [], [], []
        for e in rows:
            eref = f"{ref}-E{e.id}"
            ep_rows.append({"record_level": "episode", "client_ref": ref, "episode_ref": eref,
                            "referral_date": ndtms.iso(e.referred_on), "referral_source": e.source or "",
                            "triage_date": ndtms.iso(e.first_contact_on), "episode_start": ndtms.iso(e.started_on),
                            "key_worker_assigned": "yes" if e.key_worker_id else "",
                            "care_plan_date": ndtms.iso(e.agreed_on), "discharge_date": ndtms.iso(e.ended_on),
                            "exit_reason": e.exit_reason or "", "reconstructed": "yes" if e.reconstructed else "no"})
            mod_rows += [{"record_level": "modality", "client_ref": ref, "episode_ref": eref, "modality": m,
                          "referred_to_modality": ndtms.iso(r), "modality_start": ndtms.iso(st),
                          "modality_end": ndtms.iso(en)} for _, m, r, st, en in modalities[e.id]]
            top_rows += [{"record_level": "top", "client_ref": ref, "episode_ref": eref, "top_stage": stage,
                          "top_date": ndtms.iso(day)} for _, stage, day in tops[e.id]]
        out.append(Client(pid, f"{p.surname.upper()}, {p.forename}", client, tuple(ep_rows), tuple(mod_rows),
                          tuple(top_rows)))
    return out


@dataclass(frozen=True)
class MissingRow:
    person_id: int
    name: str
    missing: tuple[str, ...]


def data_quality(uow: UnitOfWork, actor: Actor, start: date, end: date) -> list[MissingRow]:
    """People in treatment in the quarter whose return lacks a required item.

    One query over the quarter's episodes with only the columns the checks
    need; whether a start and an exit TOP exist comes from the covering TOP
    index, never from the forms themselves."""
    require(actor, Permission.NDTMS_EXPORT)
    start_top = exists().where(TopForm.episode_id == Episode.id, TopForm.stage == "start")
    exit_top = exists().where(TopForm.episode_id == Episode.id, TopForm.stage == "exit")
    rows = uow.session.execute(
        select(Episode.person_id, Person.surname, Person.forename, Person.gender, Episode.started_on,
               Episode.ended_on, Episode.reconstructed, Episode.key_worker_id, Referral.referred_on, Referral.source,
               *(getattr(NationalProfile, k) for k in _REQUIRED_PROFILE), start_top, exit_top)
        .join(Person, Person.id == Episode.person_id)
        .outerjoin(NationalProfile, NationalProfile.person_id == Episode.person_id)
        .outerjoin(Referral, Referral.episode_id == Episode.id)
        .where(_in_quarter(start, end)).order_by(Person.surname, Person.forename, Episode.person_id,
                                                 Episode.started_on)).all()
    out: list[MissingRow] = []
    by_person: dict[int, list[Any]] = {}
    for r in rows:
        by_person.setdefault(r[0], []).append(r)
    for pid, eps in by_person.items():
        first = eps[0]
        client = {"sex": first.gender} | {k: getattr(first, k) for k in _REQUIRED_PROFILE}
        episodes = [{"episode_start": ndtms.iso(e.started_on), "reconstructed": "yes" if e.reconstructed else "no",
                     "referral_date": e.referred_on, "referral_source": e.source,
                     "key_worker_assigned": e.key_worker_id, "discharge_date": e.ended_on,
                     "has_start_top": e[-2], "has_exit_top": e[-1]} for e in eps]
        missing = ndtms.missing_items(client, episodes)
        if missing:
            out.append(MissingRow(pid, f"{first.surname.upper()}, {first.forename}", tuple(missing)))
    return out


def extract_csv(uow: UnitOfWork, actor: Actor, start: date, end: date) -> str:
    """The quarter's extract as one CSV: each client's row, then its episodes,
    modalities and TOPs (``record_level`` says which), columns shared."""
    require(actor, Permission.NDTMS_EXPORT)
    clients = _clients(uow, start, end)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    counts: dict[str, Any] = defaultdict(int)
    for c in clients:
        for row in (c.row, *c.episodes, *c.modalities, *c.tops):
            writer.writerow(row)
            counts[row["record_level"]] += 1
    uow.audit(actor, "journey.ndtms_extract", "ndtms_extract", f"{start}..{end}",
              changes={k: [None, v] for k, v in counts.items()})
    return buffer.getvalue()
