"""A tab of a person's record that reads its own data (BBV, vaccinations,
safe storage): loaded when first shown, reloaded when a change touches its
areas and this person, emptied when the screen locks.

A subclass passes its ``read(uow, actor, person_id)`` (run on a worker
thread: plain data only) and implements ``_show(view)``, which keeps the
view in ``self.view`` and emits ``loaded``, and ``_clear()``, which empties
its widgets. A read that finishes after the screen locked is dropped, so a
slow query cannot put client data back on a locked screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from clinic.changes import Changes
from clinic.permissions import Actor
from clinic.uow import UnitOfWork
from ui.context import AppContext

Read = Callable[[UnitOfWork, Actor, int], Any]


class RecordTab(QWidget):
    #: Emitted after each (re)load has been shown.
    loaded = Signal()

    def __init__(self, ctx: AppContext, person_id: int, read: Read, areas: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id = ctx, person_id
        self._read, self._areas = read, areas
        self.view: Any = None
        self.dialog: QDialog | None = None
        self._stale = True
        self._generation = 0  # bumped on lock: results of older reads are dropped
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def refresh(self) -> None:
        actor, pid, read = self.ctx.actor, self.person_id, self._read
        self._stale = False
        gen = self._generation
        self.ctx.query(self, lambda uow: read(uow, actor, pid)).on_success(
            lambda view: self._show(view) if gen == self._generation else None).start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if any(changes.touches(a) for a in self._areas) and (
                not changes.person_ids or self.person_id in changes.person_ids):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        """The screen locked: forget everything about this person."""
        self.view, self._stale = None, True
        self._generation += 1
        self._clear()  # an open dialog is hidden by the lock and comes back on unlock

    def _show(self, view: Any) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError
