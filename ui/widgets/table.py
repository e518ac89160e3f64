"""A read-only table of text: whole rows selected one at a time, one Tab
stop (arrows move inside it), no row numbers, columns sized to their
contents and the last one (or those named by ``stretch``: a name, a
description) taking the spare width.

    self.log = table(("Date", "Event", "By"))
    fill(self.log, [(uk_date(e.on), e.kind, e.by) for e in events])

And the one table density (UI-28, UI-49): every table, tree and list has
rows ``ROW_HEIGHT`` high. ``theme.apply`` installs ``DENSITY`` on the
application, so each view gets it as it is first shown, wherever it was
built; nothing needs to call ``density`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)

#: Every row of every table, tree and list, in pixels: the roomy worklist rows, not the tight record ones.
ROW_HEIGHT = 28


def table(headers: Sequence[str], *, stretch: int | tuple[int, ...] = -1) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setTabKeyNavigation(False)
    t.setAlternatingRowColors(True)  # every table alike (UI-49)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    stretched = (stretch,) if isinstance(stretch, int) else stretch
    if stretched in ((-1,), (len(headers) - 1,)):
        t.horizontalHeader().setStretchLastSection(True)
    else:  # these share the spare width, and shrink (eliding) in a narrow pane rather than scroll sideways
        for column in stretched:
            t.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return t


def fill(t: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace every row with ``rows``, one string a cell."""
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))


class _RowHeight(QStyledItemDelegate):
    """The plain delegate, with rows at least ``ROW_HEIGHT`` high (trees and lists)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return super().sizeHint(option, index).expandedTo(QSize(0, ROW_HEIGHT))


def density(view: QAbstractItemView) -> None:
    """Give ``view`` the one row height; a view with its own delegate keeps it."""
    if isinstance(view, QTableView):
        view.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    elif type(view.itemDelegate()) is QStyledItemDelegate and view.objectName() != "navigation":
        view.setItemDelegate(_RowHeight(view))


class _Density(QObject):
    """Applies ``density`` to each item view as Qt first polishes it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Polish and isinstance(watched, QAbstractItemView):
            density(watched)
        return False


DENSITY = _Density()
