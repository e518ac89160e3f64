"""The audit trail as a paged table model.

The trail grows without end, so the model never loads it whole: it knows
the row count (``count``) and fetches pages of ``PAGE`` rows
(``search(offset, limit)``) only when the view paints them, keeping the
pages it has. The filter is pinned to the newest row at the first count
(``until_seq``) so rows written meanwhile do not shift the pages.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from clinic.people import client_id
from clinic.services import audit_log
from clinic.services.audit_log import AuditFilter, AuditLine
from clinic.uow import UnitOfWork
from clinic.dates import uk_date_time
from ui.audit.actions import plain_action, plain_entity
from ui.context import AppContext

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200
COLUMNS = ("Time", "Staff", "Action", "Entity", "Person", "Changed fields")
LOADING = "…"


def changes_text(changes: dict[str, object], limit: int = 160) -> str:
    """``field: before → after; …`` for the table (the tooltip has it all)."""
    parts = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            before, after = (_short(v) for v in value)
            parts.append(f"{field}: {before} → {after}")
        else:
            parts.append(f"{field}: {_short(value)}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: object) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("\n", " ")


def line_cells(line: AuditLine) -> tuple[str, ...]:
    """Staff names, plain action names and the person's client number, not
    internal names and ids (UI-40)."""
    return (uk_date_time(line.at, seconds=True), line.staff, plain_action(line.action),
            client_id(int(line.entity_id)) if line.entity == "person" and line.entity_id.isdigit()
            else plain_entity(line.entity, line.entity_id),
            "" if line.person_id is None else client_id(line.person_id), changes_text(line.changes))


class AuditTableModel(QAbstractTableModel):
    #: (total rows) after each new filter is counted.
    counted = Signal(int)

    def __init__(self, ctx: AppContext, owner: QWidget) -> None:
        super().__init__()
        self._ctx = ctx
        self._owner = owner  # ops started for this model die with it
        self._filter: AuditFilter | None = None
        self._total = 0
        self._pages: dict[int, list[AuditLine]] = {}
        self._pending: set[int] = set()
        self._generation = 0

    @property
    def pinned_filter(self) -> AuditFilter | None:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    def search(self, f: AuditFilter) -> None:
        """Count ``f`` and load its first page; the table shows it when both are in."""
        self._generation += 1
        generation, actor = self._generation, self._ctx.actor

        def first(uow: UnitOfWork) -> tuple[AuditFilter, int, list[AuditLine]]:
            lines = audit_log.search(uow, actor, f, offset=0, limit=PAGE)
            pinned = replace(f, until_seq=lines[0].seq) if lines else f
            return pinned, audit_log.count(uow, actor, pinned), lines

        self._ctx.query(self._owner, first).on_success(lambda r: self._first(generation, *r)).start()

    def _first(self, generation: int, pinned: AuditFilter, total: int, lines: list[AuditLine]) -> None:
        if generation != self._generation:
            return  # a newer search has started
        self.beginResetModel()
        self._filter, self._total = pinned, total
        self._pages, self._pending = {0: lines}, set()
        self.endResetModel()
        self.counted.emit(total)

    def clear(self) -> None:
        """Forget every row (the screen locked)."""
        self._generation += 1
        self.beginResetModel()
        self._filter, self._total, self._pages, self._pending = None, 0, {}, set()
        self.endResetModel()

    def line(self, row: int) -> AuditLine | None:
        page = self._pages.get(row // PAGE)
        if page is None:
            self._fetch(row // PAGE)
            return None
        index = row % PAGE
        return page[index] if index < len(page) else None

    def _fetch(self, page: int) -> None:
        if page in self._pending or self._filter is None:
            return
        self._pending.add(page)
        generation, actor, f = self._generation, self._ctx.actor, self._filter

        def load(uow: UnitOfWork) -> list[AuditLine]:
            return audit_log.search(uow, actor, f, offset=page * PAGE, limit=PAGE)

        self._ctx.query(self._owner, load).on_success(lambda lines: self._loaded(generation, page, lines)).start()

    def _loaded(self, generation: int, page: int, lines: list[AuditLine]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = lines
        first = page * PAGE
        last = min(first + PAGE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # -- Qt model ---------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        line = self.line(index.row())
        if line is None:
            return LOADING if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == len(COLUMNS) - 1 and line.changes:
                return json.dumps(line.changes, ensure_ascii=False, indent=1)
            return None
        return line_cells(line)[index.column()]
