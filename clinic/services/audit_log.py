"""Reading the audit trail: the manager's viewer, CSV export, chain check,
and "who has looked at this record"."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVarTuple

from sqlalchemy import Select, func, select

from clinic.clock import SITE_TZ
from clinic.permissions import CLINICAL_READ, Actor, Permission, allows, parse_roles, require
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork
from db import audit
from db.audit import ChainReport
from db.tables.audit import AuditRow
from db.tables.letters import FiledLetter
from db.tables.staff import Staff

PAGE = 200
#: Audit actions on clinical records (DESIGN §3, M3): to a role without
#: clinical read, their changed fields show as "changed", not their values.
#: Letters count when the filed letter is a clinical one.
CLINICAL_ACTION_PREFIXES = ("bbv.", "vaccination.", "ost.", "safe_storage.", "notes.", "clinical.")
CHANGED = "changed"
#: What "who has looked at this record" lists (m8).
VIEWING_ACTIONS = ("person.opened", "letter.opened")


@dataclass(frozen=True)
class AuditFilter:
    staff_id: int | None = None
    person_id: int | None = None
    action_prefix: str = ""  # "person." matches every person action
    date_from: date | None = None
    date_to: date | None = None
    #: Newest row to include: a viewer pins this when it first counts, so
    #: rows written while it pages do not shift its offsets.
    until_seq: int | None = None
    #: Exact actions to include (any of them); empty for all.
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime  # local time
    staff: str
    action: str
    entity: str
    entity_id: str
    person_id: int | None
    changes: dict[str, object]
    staff_role: str = ""  # "Nurse", "Service manager"; "" for the system


def search(uow: UnitOfWork, actor: Actor, f: AuditFilter, *, offset: int = 0, limit: int = PAGE) -> list[AuditLine]:
    require(actor, Permission.AUDIT_READ)
    lines = _search_unchecked(uow, f, offset=offset, limit=limit)
    return lines if any(allows(actor, p) for p in CLINICAL_READ) else _without_clinical_values(uow, lines)


def count(uow: UnitOfWork, actor: Actor, f: AuditFilter) -> int:
    require(actor, Permission.AUDIT_READ)
    return uow.session.execute(_filtered(select(func.count(AuditRow.seq)), f)).scalar_one()


def export_csv(uow: UnitOfWork, actor: Actor, f: AuditFilter) -> str:
    """CSV of the filtered trail. Exporting is itself audited."""
    require(actor, Permission.AUDIT_READ)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "time", "staff", "action", "entity", "entity id", "person id", "changes"])
    offset = 0
    while batch := search(uow, actor, f, offset=offset, limit=5000):
        for line in batch:
            writer.writerow([line.seq, line.at.isoformat(timespec="seconds"), line.staff, line.action,
                             line.entity, line.entity_id, line.person_id or "", json.dumps(line.changes)])
        offset += len(batch)
    uow.audit(actor, "audit.exported", "audit", changes={"rows": [None, offset]})
    return out.getvalue()


def record_viewers(uow: UnitOfWork, actor: Actor, person_id: int, *, offset: int = 0,
                   limit: int = PAGE) -> list[AuditLine]:
    """Who opened a person's record or one of their letters, newest first,
    a page at a time (managers only)."""
    require(actor, Permission.PERSON_ACCESS_LOG)
    return _search_unchecked(uow, AuditFilter(person_id=person_id, actions=VIEWING_ACTIONS), offset=offset,
                            limit=limit)


def count_viewers(uow: UnitOfWork, actor: Actor, person_id: int) -> int:
    """How many openings ``record_viewers`` pages through."""
    require(actor, Permission.PERSON_ACCESS_LOG)
    f = AuditFilter(person_id=person_id, actions=VIEWING_ACTIONS)
    return uow.session.execute(_filtered(select(func.count(AuditRow.seq)), f)).scalar_one()


def _search_unchecked(uow: UnitOfWork, f: AuditFilter, *, offset: int = 0, limit: int = PAGE) -> list[AuditLine]:
    names, roles = staff_names(uow), _role_labels(uow)
    stmt = _filtered(select(AuditRow), f).order_by(AuditRow.seq.desc()).offset(offset).limit(limit)
    return [_line(r, names, roles) for r in uow.session.execute(stmt).scalars()]


def _without_clinical_values(uow: UnitOfWork, lines: list[AuditLine]) -> list[AuditLine]:
    """Who did what, not the clinical values: each changed field of a
    clinical record reads "changed" (M3)."""
    letter_ids = {int(x.entity_id) for x in lines if x.entity == "letter" and x.entity_id.isdigit()}
    clinical_letters = set(uow.session.execute(select(FiledLetter.id).where(
        FiledLetter.id.in_(letter_ids), FiledLetter.category == "clinical")).scalars()) if letter_ids else set()
    out = []
    for line in lines:
        clinical = line.action.startswith(CLINICAL_ACTION_PREFIXES) or (
            line.entity == "letter" and (not line.entity_id.isdigit() or int(line.entity_id) in clinical_letters))
        out.append(replace(line, changes=dict.fromkeys(line.changes, CHANGED)) if clinical else line)
    return out


def verify_chain(uow: UnitOfWork, actor: Actor) -> ChainReport:
    """Check the whole chain against the anchor; the check itself is audited."""
    require(actor, Permission.AUDIT_READ)
    report = audit.verify(uow.session, audit.read_anchor(uow.data_dir))
    uow.audit(actor, "audit.verified", "audit", changes={"ok": [None, report.ok]})
    return report


_Columns = TypeVarTuple("_Columns")


def _filtered(stmt: Select[*_Columns], f: AuditFilter) -> Select[*_Columns]:
    if f.staff_id is not None:
        stmt = stmt.where(AuditRow.actor_id == f.staff_id)
    if f.person_id is not None:
        stmt = stmt.where(AuditRow.person_id == f.person_id)
    if f.action_prefix:
        stmt = stmt.where(AuditRow.action.startswith(f.action_prefix, autoescape=True))
    if f.actions:
        stmt = stmt.where(AuditRow.action.in_(f.actions))
    if f.until_seq is not None:
        stmt = stmt.where(AuditRow.seq <= f.until_seq)
    if f.date_from is not None:
        stmt = stmt.where(AuditRow.at >= _utc_text(f.date_from))
    if f.date_to is not None:
        stmt = stmt.where(AuditRow.at < _utc_text(f.date_to + timedelta(days=1)))
    return stmt


def _utc_text(d: date) -> str:
    return datetime.combine(d, time(), SITE_TZ).astimezone(UTC).isoformat(timespec="microseconds")


def _role_labels(uow: UnitOfWork) -> dict[int, str]:
    """Each account's roles as staff say them ("Nurse, Prescriber"): who
    looked matters with the role they looked in (UI-41)."""
    return {sid: ", ".join(sorted(r.label for r in parse_roles(roles)))
            for sid, roles in uow.session.execute(select(Staff.id, Staff.roles)).all()}


def _line(r: AuditRow, names: dict[int, str], roles: dict[int, str]) -> AuditLine:
    return AuditLine(
        r.seq, datetime.fromisoformat(r.at).astimezone(SITE_TZ),
        names.get(r.actor_id, "—") if r.actor_id is not None else "(system)",
        r.action, r.entity, r.entity_id or "", r.person_id, json.loads(r.changes),
        roles.get(r.actor_id, "") if r.actor_id is not None else "",
    )
