"""The unit of work: one session, one transaction, one clock, the audit trail.

Every service receives a UnitOfWork. Writes and their audit rows share its
transaction, so either both land or neither does. After commit the audit
anchor outside the database moves forward.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic import accounts, validation
from clinic.clock import Clock
from clinic.errors import Unavailable
from clinic.permissions import Actor
from clinic.settings import SiteSettings
from db import audit
from db.engine import WRITE
from db.server import ServerSite
from db.site import Site, SiteError
from db.tables.audit import AuditRow
from db.tables.staff import SiteSetting

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self, session: Session, clock: Clock, data_dir: Path) -> None:
        self.session = session
        session.info["today"] = clock.today()  # past events are checked against it (clinic/validation.py)
        self.clock = clock
        self.data_dir = data_dir  # where the audit anchor lives
        self._last_audit: AuditRow | None = None
        self._settings: SiteSettings | None = None

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
        ``{"field": [before, after]}`` — never a whole record."""
        entry = audit.Entry(
            actor.staff_id if actor else None, action, entity,
            None if entity_id is None else str(entity_id), person_id, changes or {},
        )
        self.session.flush()
        self._last_audit = audit.append(self.session, entry, self.clock.now(), after=self._last_audit)
        self.session.flush()

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

    @contextmanager
    def unit_of_work(self, *, write: bool = False) -> Iterator[UnitOfWork]:
        """Commit on success, roll back on any error. ``write`` takes the
        database write lock at BEGIN so concurrent writers queue cleanly."""
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
        if uow._last_audit is not None and isinstance(self.site, Site):
            _move_anchor(self.site, uow._last_audit.seq, uow._last_audit.hash)


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
