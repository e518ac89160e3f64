"""The audit trail: append-only rows, each hash-chained to the one before.

Each row's hash is SHA-256 over the previous hash and the canonical JSON
(sorted keys, no spaces, UTC ISO timestamps) of its own fields. Triggers stop
UPDATE and DELETE; the chain catches edits made around the triggers (a copied
database, a dropped trigger); the anchor file beside the database, holding the
latest (seq, hash) the application wrote, catches a truncated tail.

The anchor lives in its own small file rather than the key file so that the
key slots — the only way into the data — are written rarely.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.keys import atomic_write
from db.tables.audit import AuditHead, AuditRow

GENESIS = "0" * 64
ANCHOR_FILE_NAME = "audit.anchor"


@dataclass(frozen=True)
class Entry:
    """What a service asks to be written."""

    actor_id: int | None
    action: str
    entity: str
    entity_id: str | None
    person_id: int | None
    changes: dict[str, Any]


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_bad_seq: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def row_hash(prev_hash: str, at: str, entry_fields: dict[str, Any]) -> str:
    payload = canonical({"at": at, **entry_fields})
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _fields(row: AuditRow | Entry, changes_json: str) -> dict[str, Any]:
    return {
        "actor_id": row.actor_id,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "person_id": row.person_id,
        "changes": changes_json,
    }


def append(session: Session, entry: Entry, at: datetime) -> AuditRow:
    """Add one row chained to the current head, inside the caller's transaction.

    The head is taken under a lock (see ``take_head``), so it cannot move
    between reading it and inserting after it.
    """
    seq, prev = take_head(session)
    at_text = at.isoformat(timespec="microseconds")
    changes_json = canonical(entry.changes)
    digest = row_hash(prev, at_text, _fields(entry, changes_json))
    row = AuditRow(seq=seq, at=at_text, prev_hash=prev, hash=digest, changes=changes_json,
                   actor_id=entry.actor_id, action=entry.action, entity=entry.entity,
                   entity_id=entry.entity_id, person_id=entry.person_id)
    session.add(row)
    move_head(session, seq, digest)
    return row


def take_head(session: Session) -> tuple[int, str]:
    """The next seq and the hash to chain to, with the head row locked.

    ``SELECT ... FOR UPDATE`` holds the head row until the transaction ends,
    so on PostgreSQL a second writer waits here and then reads the head this
    one leaves (SQLite renders no FOR UPDATE: its write lock already
    serialises writers). Migration 0011 made the row at the trail's end.
    """
    seq, digest = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
                                  .with_for_update()).one()
    return seq + 1, digest


def move_head(session: Session, seq: int, digest: str) -> None:
    """Point the head row at the row just appended (same transaction)."""
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))


def stored_head(session: Session) -> tuple[int, str] | None:
    """The head as the database holds it: the anchor of a server site."""
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return None if head is None else (int(head[0]), str(head[1]))


def verify(session: Session, anchor: tuple[int, str] | None) -> ChainReport:
    """Walk the whole chain; report the first row that does not hold."""
    prev, expected_seq, count = GENESIS, 1, 0
    hashes: dict[int, str] = {}
    for row in session.execute(select(AuditRow).order_by(AuditRow.seq)).scalars():
        count += 1
        if row.seq != expected_seq:
            return ChainReport(count, row.seq, f"row {expected_seq} is missing (found {row.seq} after it)")
        if row.prev_hash != prev or row.hash != row_hash(prev, row.at, _fields(row, row.changes)):
            return ChainReport(count, row.seq, f"row {row.seq} has been altered or reordered")
        prev, expected_seq = row.hash, expected_seq + 1
        hashes[row.seq] = row.hash
    if anchor is not None:
        seq, digest = anchor
        if seq < 0:
            return ChainReport(count, None, f"the anchor file {ANCHOR_FILE_NAME} is damaged")
        if seq > count:
            return ChainReport(count, count + 1, f"the trail ends at row {count} but row {seq} was written: rows were removed")
        if seq and hashes.get(seq) != digest:
            return ChainReport(count, seq, f"row {seq} differs from the copy anchored outside the database")
    return ChainReport(count, None, "")


def read_anchor(data_dir: Path) -> tuple[int, str] | None:
    try:
        data = json.loads((data_dir / ANCHOR_FILE_NAME).read_text(encoding="utf-8"))
        return int(data["seq"]), str(data["hash"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return (-1, "damaged")


def write_anchor(data_dir: Path, seq: int, digest: str) -> None:
    """Move the anchor forward (never back: another workstation may be ahead)."""
    current = read_anchor(data_dir)
    if current is not None and current[0] >= seq:
        return
    atomic_write(data_dir / ANCHOR_FILE_NAME, json.dumps({"seq": seq, "hash": digest}).encode("utf-8"))
