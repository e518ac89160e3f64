"""The audit trail: append-only rows, each chained to the one before by a keyed MAC.

Each row's hash covers the previous hash and the canonical JSON (sorted keys,
no spaces, UTC ISO timestamps) of its own fields. Triggers stop UPDATE and
DELETE; the chain catches edits made around the triggers (a copied database,
a dropped trigger); the anchor file beside the database, holding the latest
(seq, hash) the application wrote, catches a truncated tail.

**Versions of the chain (M6).** Rows written before this version are chained
with plain SHA-256, which anyone can recompute. The first open by this
version appends a *marker* row (action ``audit.chain_keyed``); from the marker
on, every row is chained with HMAC-SHA256 under the *chain key*, derived from
the data key with HKDF (label "harbour audit chain") and kept in the
encrypted database (table ``audit_chain``, migration 0009) so that a rekey
does not orphan the chain. The anchor is authenticated with the same key and
records where the keyed chain starts, so nobody without the key can rewrite
the chain, forge an anchor, or pass an old one off as new. A missing anchor,
or one behind by a forged ``seq 0``, fails ``verify`` when rows exist.

The anchor lives in its own small file rather than the key file so that the
key slots — the only way into the data — are written rarely.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Table, insert, select, text, update
from sqlalchemy.orm import Session

from db.keys import atomic_write
from db.tables.audit import AuditHead, AuditRow

GENESIS = "0" * 64
ANCHOR_FILE_NAME = "audit.anchor"
MARKER_ACTION = "audit.chain_keyed"
#: Where a session finds the chain key (``Site.sessions`` puts it there).
CHAIN_KEY_INFO = "harbour_audit_chain_key"
TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


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
    #: the trail has its keyed part (False only for a site no version with M6 has opened)
    keyed: bool = True

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    keyed_from: int | None = None  # None: an anchor written before the chain was keyed
    mac: str | None = None


DAMAGED = Anchor(-1, "damaged")


def chain_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"harbour audit chain").derive(data_key)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def row_hash(prev_hash: str, at: str, entry_fields: dict[str, Any], key: bytes | None = None) -> str:
    """SHA-256 (the chain before its marker) or HMAC-SHA256 under the chain key."""
    payload = (prev_hash + canonical({"at": at, **entry_fields})).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _fields(row: AuditRow | Entry, changes_json: str) -> dict[str, Any]:
    return {
        "actor_id": row.actor_id,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "person_id": row.person_id,
        "changes": changes_json,
    }


def head(session: Session) -> tuple[int, str] | None:
    """The latest row's (seq, hash), or None for an empty trail: what the
    anchor, every backup and the day sheet record (DESIGN §3)."""
    row = session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1])


def append_all(session: Session, entries: Sequence[Entry], now: Callable[[], datetime]) -> tuple[int, str]:
    """Add ``entries``, in order, after the current head, inside the caller's
    transaction; returns the new head (seq, hash).

    Called once per transaction, just before its commit
    (``clinic.uow.UnitOfWork``), so the head row is locked (``take_head``)
    for the last few milliseconds of a writer's transaction rather than from
    its first audited step: on a server, a second writer waits for this
    one's insert and commit, not for all its work. The rows go in one
    executemany and the head moves once. ``now`` is read after the lock, so
    the rows' times rise with their seq whatever order the writers started
    in. Each row is MAC'd with the session's chain key once the chain is
    keyed (from the marker row on).
    """
    seq, prev = take_head(session)
    at_text = now().isoformat(timespec="microseconds")
    key = session.info.get(CHAIN_KEY_INFO)
    keyed = keyed_from(session) is not None
    rows = []
    for entry in entries:
        keyed = keyed or entry.action == MARKER_ACTION
        if keyed and key is None:
            raise RuntimeError("this session has no audit chain key: use Site.sessions()")
        changes_json = canonical(entry.changes)
        digest = row_hash(prev, at_text, _fields(entry, changes_json), key if keyed else None)
        rows.append({"seq": seq, "at": at_text, "prev_hash": prev, "hash": digest, "changes": changes_json,
                     "actor_id": entry.actor_id, "action": entry.action, "entity": entry.entity,
                     "entity_id": entry.entity_id, "person_id": entry.person_id})
        seq, prev = seq + 1, digest
    session.connection().execute(insert(cast(Table, AuditRow.__table__)), rows)
    move_head(session, seq - 1, prev)
    return seq - 1, prev


def keyed_from(session: Session) -> int | None:
    """The seq of the marker row, or None while the chain is plain (cached per session)."""
    cached = session.info.get("harbour_audit_keyed_from")
    if cached is not None:
        return int(cached)
    found = session.execute(select(AuditRow.seq).where(AuditRow.action == MARKER_ACTION)
                            .order_by(AuditRow.seq).limit(1)).scalar()
    if found is not None:
        session.info["harbour_audit_keyed_from"] = found
    return found


def stored_chain_key(session: Session) -> bytes | None:
    row = session.execute(text("SELECT mac_key FROM audit_chain WHERE id = 1")).first()
    return None if row is None else bytes.fromhex(row[0])


def ensure_keyed(session: Session, data_key: bytes, at: datetime) -> bytes:
    """Key the chain if no version with M6 has yet (first open): store the chain
    key and append the marker row. Returns the chain key. Call in a write
    transaction."""
    stored = stored_chain_key(session)
    if stored is not None:
        return stored
    key = chain_key(data_key)
    session.execute(text("INSERT INTO audit_chain (id, mac_key) VALUES (1, :k)"), {"k": key.hex()})
    session.info[CHAIN_KEY_INFO] = key
    plain = session.execute(select(AuditRow.seq).order_by(AuditRow.seq.desc()).limit(1)).scalar() or 0
    append_all(session, [Entry(None, MARKER_ACTION, "audit", None, None,
                               {"chain": "hmac-sha256", "plain_rows": plain})], lambda: at)
    session.flush()
    return key


def take_head(session: Session) -> tuple[int, str]:
    """The next seq and the hash to chain to, with the head row locked.

    ``SELECT ... FOR UPDATE`` holds the head row until the transaction ends,
    so on PostgreSQL a second writer waits here and then reads the head this
    one leaves (READ COMMITTED: the row as the other committed it). SQLite
    renders no FOR UPDATE: its write lock already serialises writers.
    Migration 0011 made the row at the trail's end.
    """
    seq, digest = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
                                  .with_for_update()).one()
    return seq + 1, digest


def move_head(session: Session, seq: int, digest: str) -> None:
    """Point the head row at the row just appended (same transaction).

    A Core UPDATE on the session's connection: the head is never loaded as
    an object, so the ORM's bulk-update bookkeeping (and the autoflush it
    brings) is pure cost."""
    head = cast(Table, AuditHead.__table__)
    session.connection().execute(update(head).where(head.c.id == 1).values(seq=seq, hash=digest))


def stored_head(session: Session) -> tuple[int, str] | None:
    """The head as the database holds it: the anchor of a server site."""
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return None if head is None else (int(head[0]), str(head[1]))


def stored_anchor(session: Session) -> Anchor | None:
    """The head row as an anchor: a server site's anchor lives in the database,
    where the application role can only move it forward (migration 0011), so
    it is authenticated by the server's grants rather than by a MAC."""
    head = stored_head(session)
    if head is None:
        return None
    key, marker = session.info.get(CHAIN_KEY_INFO), keyed_from(session)
    anchor = Anchor(head[0], head[1], marker)
    if key is None or marker is None:
        return anchor
    return Anchor(head[0], head[1], marker, anchor_mac(key, anchor))


def verify(session: Session, anchor: Anchor | None) -> ChainReport:
    """Walk the whole chain, then the anchor, then the triggers; report the first problem."""
    key = session.info.get(CHAIN_KEY_INFO)
    prev, expected_seq, count, marker = GENESIS, 1, 0, None
    hashes: dict[int, str] = {}
    for row in session.execute(select(AuditRow).order_by(AuditRow.seq)).scalars():
        count += 1
        if row.seq != expected_seq:
            return ChainReport(count, row.seq, f"row {expected_seq} is missing (found {row.seq} after it)")
        if marker is None and row.action == MARKER_ACTION:
            marker = row.seq
        if marker is not None and key is None:
            return ChainReport(count, row.seq, "the audit chain key is missing from the database")
        if row.prev_hash != prev or row.hash != row_hash(prev, row.at, _fields(row, row.changes),
                                                         key if marker is not None else None):
            return ChainReport(count, row.seq, f"row {row.seq} has been altered or reordered")
        prev, expected_seq = row.hash, expected_seq + 1
        hashes[row.seq] = row.hash
    problem = _anchor_problem(anchor, count, hashes, marker, key)
    if problem:
        return ChainReport(count, problem[0], problem[1], keyed=marker is not None)
    missing = _missing_triggers(session)
    if missing:
        return ChainReport(count, None, f"the append-only trigger {', '.join(missing)} has been removed",
                           keyed=marker is not None)
    return ChainReport(count, None, "", keyed=marker is not None)


def _anchor_problem(anchor: Anchor | None, count: int, hashes: dict[int, str], marker: int | None,
                    key: bytes | None) -> tuple[int | None, str] | None:
    name = ANCHOR_FILE_NAME
    if anchor is None:
        return (None, f"the anchor file {name} is missing, so a removed tail would not show") if count else None
    if anchor.seq < 0:
        return None, f"the anchor file {name} is damaged"
    if marker is not None:
        if anchor.mac is None or key is None or not hmac.compare_digest(anchor.mac, anchor_mac(key, anchor)):
            return None, f"the anchor file {name} is not this site's (it has been altered or replaced)"
        if anchor.keyed_from is not None and anchor.keyed_from != marker:
            return marker, f"the keyed chain should start at row {anchor.keyed_from}, not {marker}"
    elif anchor.mac is not None:
        return None, f"the keyed part of the trail (from row {anchor.keyed_from}) has been removed"
    if anchor.seq > count:
        return count + 1, f"the trail ends at row {count} but row {anchor.seq} was written: rows were removed"
    if count and anchor.seq == 0:
        return None, f"the anchor file {name} says no row was written, but there are {count}"
    if anchor.seq and hashes.get(anchor.seq) != anchor.hash:
        return anchor.seq, f"row {anchor.seq} differs from the copy anchored outside the database"
    return None


def _missing_triggers(session: Session) -> list[str]:
    if session.get_bind().dialect.name != "sqlite":
        return []  # the server back end forbids it by role (DESIGN.md §2)
    present = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    return [t for t in TRIGGERS if t not in present]


def anchor_mac(key: bytes, anchor: Anchor) -> str:
    payload = canonical({"seq": anchor.seq, "hash": anchor.hash, "keyed_from": anchor.keyed_from})
    return hmac.new(key, b"harbour audit anchor:" + payload.encode("utf-8"), hashlib.sha256).hexdigest()


def read_anchor(data_dir: Path) -> Anchor | None:
    try:
        data = json.loads((data_dir / ANCHOR_FILE_NAME).read_text(encoding="utf-8"))
        keyed = data.get("keyed_from")
        return Anchor(int(data["seq"]), str(data["hash"]), None if keyed is None else int(keyed),
                      None if data.get("mac") is None else str(data["mac"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return DAMAGED


def write_anchor(data_dir: Path, seq: int, digest: str, *, key: bytes | None = None,
                 keyed_from: int | None = None) -> None:
    """Move the anchor forward (never back: another workstation may be ahead).

    With ``key`` the anchor is authenticated (the chain is keyed from row
    ``keyed_from``)."""
    current = read_anchor(data_dir)
    if current is not None and current.seq >= seq and (current.mac is not None or key is None):
        return
    data: dict[str, Any] = {"seq": seq, "hash": digest}
    if key is not None:
        anchor = Anchor(seq, digest, keyed_from)
        data.update(keyed_from=keyed_from, mac=anchor_mac(key, anchor))
    atomic_write(data_dir / ANCHOR_FILE_NAME, json.dumps(data).encode("utf-8"))
