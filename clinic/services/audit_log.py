"""Reading the audit trail: the manager's viewer, CSV export, chain check,
and "who has looked at this record"."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from clinic.clock import SITE_TZ
from clinic.permissions import Actor, Permission, require
from clinic.services.staff import staff_names
from clinic.uow import UnitOfWork
from db import audit
from db.audit import ChainReport
from db.tables.audit import AuditRow

PAGE = 200


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


def search(uow: UnitOfWork, actor: Actor, f: AuditFilter, *, offset: int = 0, limit: int = PAGE) -> list[AuditLine]:
    require(actor, Permission.AUDIT_READ)
    names = staff_names(uow)
    stmt = _filtered(select(AuditRow), f).order_by(AuditRow.seq.desc()).offset(offset).limit(limit)
    return [_line(r, names) for r in uow.session.execute(stmt).scalars()]


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


def record_viewers(uow: UnitOfWork, actor: Actor, person_id: int) -> list[AuditLine]:
    """Who opened a person's record, newest first (managers only)."""
    require(actor, Permission.PERSON_ACCESS_LOG)
    return search_unchecked(uow, AuditFilter(person_id=person_id, action_prefix="person.opened"))


def search_unchecked(uow: UnitOfWork, f: AuditFilter) -> list[AuditLine]:
    names = staff_names(uow)
    stmt = _filtered(select(AuditRow), f).order_by(AuditRow.seq.desc()).limit(PAGE)
    return [_line(r, names) for r in uow.session.execute(stmt).scalars()]


def verify_chain(uow: UnitOfWork, actor: Actor) -> ChainReport:
    """Check the whole chain against the anchor; the check itself is audited."""
    require(actor, Permission.AUDIT_READ)
    report = audit.verify(uow.session, audit.read_anchor(uow.data_dir))
    uow.audit(actor, "audit.verified", "audit", changes={"ok": [None, report.ok]})
    return report


def _filtered(stmt: Select, f: AuditFilter) -> Select:  # type: ignore[type-arg]
    if f.staff_id is not None:
        stmt = stmt.where(AuditRow.actor_id == f.staff_id)
    if f.person_id is not None:
        stmt = stmt.where(AuditRow.person_id == f.person_id)
    if f.action_prefix:
        stmt = stmt.where(AuditRow.action.startswith(f.action_prefix, autoescape=True))
    if f.until_seq is not None:
        stmt = stmt.where(AuditRow.seq <= f.until_seq)
    if f.date_from is not None:
        stmt = stmt.where(AuditRow.at >= _utc_text(f.date_from))
    if f.date_to is not None:
        stmt = stmt.where(AuditRow.at < _utc_text(f.date_to + timedelta(days=1)))
    return stmt


def _utc_text(d: date) -> str:
    return datetime.combine(d, time(), SITE_TZ).astimezone(UTC).isoformat(timespec="microseconds")


def _line(r: AuditRow, names: dict[int, str]) -> AuditLine:
    return AuditLine(
        r.seq, datetime.fromisoformat(r.at).astimezone(SITE_TZ),
        names.get(r.actor_id, "—") if r.actor_id is not None else "(system)",
        r.action, r.entity, r.entity_id or "", r.person_id, json.loads(r.changes),
    )
