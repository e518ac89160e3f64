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

from sqlalchemy import or_, select

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

    @property
    def missing(self) -> list[str]:
        stages: dict[str, set[str]] = defaultdict(set)
        for t in self.tops:
            stages[t["episode_ref"]].add(t["top_stage"])
        return ndtms.missing_items(self.row, list(self.episodes), stages)


def _clients(uow: UnitOfWork, start: date, end: date) -> list[Client]:
    s = uow.session
    episodes = s.execute(select(Episode).where(
        Episode.started_on <= end, or_(Episode.ended_on.is_(None), Episode.ended_on >= start))
        .order_by(Episode.person_id, Episode.started_on)).scalars().all()
    by_person: dict[int, list[Episode]] = defaultdict(list)
    for e in episodes:
        by_person[e.person_id].append(e)
    ids = list(by_person)
    people = {p.id: p for p in s.execute(select(Person).where(Person.id.in_(ids))).scalars()} if ids else {}
    profiles = {p.person_id: p for p in s.execute(
        select(NationalProfile).where(NationalProfile.person_id.in_(ids))).scalars()} if ids else {}
    eids = [e.id for e in episodes]
    referrals = {r.episode_id: r for r in s.execute(select(Referral).where(Referral.episode_id.in_(eids))).scalars()}
    plans = dict(s.execute(select(RecoveryPlan.episode_id, RecoveryPlan.agreed_on)
                           .where(RecoveryPlan.episode_id.in_(eids))).all())
    modalities: dict[int, list[EpisodeModality]] = defaultdict(list)
    for m in s.execute(select(EpisodeModality).where(EpisodeModality.episode_id.in_(eids))
                       .order_by(EpisodeModality.referred_on)).scalars():
        modalities[m.episode_id].append(m)
    tops: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for eid, stage, day in s.execute(select(TopForm.episode_id, TopForm.stage, TopForm.interview_on)
                                     .where(TopForm.episode_id.in_(eids)).order_by(TopForm.interview_on)):
        tops[eid].append((stage, day))
    out = []
    for pid in ids:
        person, profile = people[pid], profiles.get(pid)
        ref = ndtms.client_ref(pid)
        row = {"record_level": "client", "client_ref": ref, "initials": ndtms.initials(person.forename, person.surname),
               "date_of_birth": ndtms.iso(person.date_of_birth), "sex": person.gender,
               "postcode_district": ndtms.postcode_district(person.postcode)}
        for key in ("ethnicity", "sexual_orientation", "religion", "disability", "primary_substance",
                    "primary_route", "secondary_substance", "secondary_route", "injecting_status"):
            row[key] = getattr(profile, key) if profile else ""
        ep_rows, mod_rows, top_rows = [], [], []
        for e in by_person[pid]:
            eref = f"{ref}-E{e.id}"
            r = referrals.get(e.id)
            ep_rows.append({"record_level": "episode", "client_ref": ref, "episode_ref": eref,
                            "referral_date": ndtms.iso(r.referred_on) if r else "",
                            "referral_source": r.source if r else "",
                            "triage_date": ndtms.iso(r.first_contact_on) if r else "",
                            "episode_start": ndtms.iso(e.started_on),
                            "key_worker_assigned": "yes" if e.key_worker_id else "",
                            "care_plan_date": ndtms.iso(plans.get(e.id)), "discharge_date": ndtms.iso(e.ended_on),
                            "exit_reason": e.exit_reason or "", "reconstructed": "yes" if e.reconstructed else "no"})
            mod_rows += [{"record_level": "modality", "client_ref": ref, "episode_ref": eref, "modality": m.modality,
                          "referred_to_modality": ndtms.iso(m.referred_on), "modality_start": ndtms.iso(m.started_on),
                          "modality_end": ndtms.iso(m.ended_on)} for m in modalities[e.id]]
            top_rows += [{"record_level": "top", "client_ref": ref, "episode_ref": eref, "top_stage": stage,
                          "top_date": ndtms.iso(day)} for stage, day in tops[e.id]]
        name = f"{person.surname.upper()}, {person.forename}"
        out.append(Client(pid, name, row, tuple(ep_rows), tuple(mod_rows), tuple(top_rows)))
    return out


@dataclass(frozen=True)
class MissingRow:
    person_id: int
    name: str
    missing: tuple[str, ...]


def data_quality(uow: UnitOfWork, actor: Actor, start: date, end: date) -> list[MissingRow]:
    """People in treatment in the quarter whose return lacks a required item."""
    require(actor, Permission.NDTMS_EXPORT)
    rows = [MissingRow(c.person_id, c.name, tuple(c.missing)) for c in _clients(uow, start, end)]
    return sorted((r for r in rows if r.missing), key=lambda r: r.name)


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
