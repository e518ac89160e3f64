"""The unit of work: one session, one transaction, one clock, the audit trail.

Every service receives a UnitOfWork. Writes and their audit rows share its
transaction, so either both land or neither does. After commit the audit
anchor outside the database moves forward.

**The audit rows go in at the end.** ``UnitOfWork.audit`` only notes the
entry; just before the commit every entry of the unit of work is chained on
in one go (``db.audit.append_all``: one head lock, one executemany, one head
move). So the chain's head is locked for the last milliseconds of a
transaction, not from its first audited step, and an entry made inside a
savepoint that rolls back goes with it.

**A read may audit** (opening a record, viewing a report): it takes no write
lock at BEGIN, so it never waits for a writer, nor a writer for it, while it
reads. Its rows are chained on at the end under the head's row lock (on a
server, in the same transaction; READ COMMITTED reads the head as the last
writer left it). A SQLCipher file's read transaction holds a snapshot that
cannot become a write once another workstation has written, so there the
read ends first and its rows go in a short write transaction of their own;
the unit of work still fails, and its caller shows nothing, if they cannot
be written. A read that wrote rows of its own already holds the file's
write lock, and its audit rows join them in that transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from clinic import accounts, validation
from clinic.clock import Clock
from clinic.errors import Unavailable
from clinic.permissions import Actor
from clinic.settings import SiteSettings
from db import audit
from db.engine import WRITE
from db.server import ServerSite
from db.site import Site, SiteError
from db.tables.staff import SiteSetting

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self, session: Session, clock: Clock, data_dir: Path) -> None:
        self.session = session
        session.info["today"] = clock.today()  # past events are checked against it (clinic/validation.py)
        self.clock = clock
        self.data_dir = data_dir  # where the audit anchor lives
        #: Entries not yet chained on, each with the savepoint it was made in (None: outside any).
        self._entries: list[tuple[audit.Entry, SessionTransaction | None]] = []
        #: The head the commit left: where the anchor moves to.
        self._head: tuple[int, str] | None = None
        self._settings: SiteSettings | None = None
        event.listen(session, "after_soft_rollback", self._rolled_back)

    def audit(
        self,
        actor: Actor | None,
        action: str,
        entity: str,
        entity_id: object = None,
        *,
        person_id: int | None = None,
        changes: dict[str, Any] | None = None,
    ) -> None:
        """Record an action. ``changes`` holds changed fields only:
        ``{"field": [before, after]}`` — never a whole record. The row is
        written with the commit (see the module's docstring)."""
        entry = audit.Entry(
            actor.staff_id if actor else None, action, entity,
            None if entity_id is None else str(entity_id), person_id, changes or {},
        )
        self._entries.append((entry, self.session.get_nested_transaction()))

    def _rolled_back(self, session: Session, transaction: SessionTransaction) -> None:
        """A savepoint (or the whole transaction) rolled back: its entries go too."""
        if not transaction.nested:
            self._entries.clear()
            return
        self._entries = [(e, t) for e, t in self._entries if not _within(t, transaction)]

    def _chain_on(self) -> None:
        """Write the entries, in the order they were made, as the commit's last step."""
        if self._entries:
            self.session.flush()  # the unit's own rows first: a refusal there takes no lock
            self._head = audit.append_all(self.session, [e for e, _ in self._entries], self.clock.now)
            self._entries.clear()

    @property
    def settings(self) -> SiteSettings:
        if self._settings is None:
            rows = self.session.execute(select(SiteSetting.key, SiteSetting.value)).all()
            self._settings = SiteSettings(dict(rows))
        return self._settings


@dataclass
class Clinic:
    """The open site as the layers above see it: a source of units of work.

    ``site`` is a SQLCipher file (``db.site.Site``) or a database on a server
    (``db.server.ServerSite``); both hand out sessions on the same schema.
    """

    site: Site | ServerSite
    clock: Clock

    def __post_init__(self) -> None:
        self._sessions = self.site.sessions()
        validation.install(self._sessions)  # column declarations checked on every flush (DESIGN §7)
        event.listen(self._sessions, "after_flush", _wrote)

    @contextmanager
    def unit_of_work(self, *, write: bool = False) -> Iterator[UnitOfWork]:
        """Commit on success, roll back on any error. ``write`` takes the
        database write lock at BEGIN so concurrent writers queue cleanly: a
        service that checks before it writes (a slot is free) needs it. A
        read that only audits does not (see the module's docstring)."""
        if write and getattr(self.site, "moved_to", None):
            raise Unavailable(f"This site was moved to {self.site.moved_to}: this copy is kept read-only, "  # type: ignore[union-attr]
                              "so work there; connect this workstation with harbour-admin connect.")
        session = self._sessions()
        try:
            if write:  # may fail (another writer kept the lock, the server went away): the session still closes
                session.connection(execution_options=WRITE)
        except SiteError as exc:
            session.close()
            raise _unavailable(exc) from exc
        except BaseException:
            session.close()
            raise
        uow = UnitOfWork(session, self.clock, self.site.data_dir)
        account_check = accounts.bind(uow)  # staff changes act at once (M4)
        try:
            yield uow
            if uow._entries and not write and isinstance(self.site, Site) and not session.info.get(_WROTE):
                session.commit()  # the read's snapshot cannot become a write: end it, then take the lock
                session.connection(execution_options=WRITE)
            uow._chain_on()
            session.commit()
        except SiteError as exc:  # the server went away mid-step: say so in its own sentence
            session.rollback()
            raise _unavailable(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            accounts.unbind(account_check)
            session.close()
        # A server keeps its head in the database; a file's anchor sits beside it.
        if uow._head is not None and isinstance(self.site, Site):
            _move_anchor(self.site, *uow._head)


#: Set in a session's info once a flush has written a row in its transaction.
_WROTE = "harbour_wrote"


def _wrote(session: Session, _context: object) -> None:
    session.info[_WROTE] = True


def _within(transaction: SessionTransaction | None, rolled_back: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is rolled_back:
            return True
        transaction = transaction.parent
    return False


def _unavailable(exc: SiteError) -> Unavailable:
    return exc if isinstance(exc, Unavailable) else Unavailable(str(exc))


def _move_anchor(site: Site, seq: int, digest: str) -> None:
    """After the commit: the write has landed, so this must not fail it (M10).

    An anchor left behind (disk full, a lost race) only lags the chain head;
    the next audited write moves it on. It holds no clinical data."""
    try:
        site.move_anchor(seq, digest)
    except OSError as exc:
        log.warning("the audit anchor could not be moved to row %d: %s", seq, exc.strerror or type(exc).__name__)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The audit form of an edit: only fields whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
