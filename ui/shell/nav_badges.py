"""Counts beside pages in the navigation (UI-50): how many are waiting in
the drop-in queue beside Today, how many letters Probation is owed now
beside Probation. One count query each, read every minute by the shared
periodic read (``ops.every``, which stops while the screen is locked) and
after every change; the count is drawn as a number on a coloured pill and
is part of the entry's accessible name ("Today, 3 waiting in the drop-in
queue"), so it never depends on colour alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QListWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from clinic.changes import Changes
from clinic.permissions import Actor, Permission
from clinic.services import queue
from clinic.services.probation import worklist
from clinic.uow import UnitOfWork
from ui import ops
from ui.context import AppContext
from ui.shell import theme

#: Where an entry keeps its count (None: no badge).
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_MS = 60_000


@dataclass(frozen=True)
class Badge:
    page: str
    permission: Permission
    count: Callable[[UnitOfWork, Actor], int]
    words: str  # after the number: "3 waiting in the drop-in queue"


BADGES = (
    Badge("Today", Permission.QUEUE_WRITE, queue.waiting_count, "waiting in the drop-in queue"),
    Badge("Probation", Permission.PROBATION_READ, worklist.owed_now_count, "letters to Probation due or overdue"),
)


class NavBadges(QObject):
    def __init__(self, ctx: AppContext, nav: QListWidget) -> None:
        super().__init__(nav)
        self.ctx, self.nav = ctx, nav
        rows = {nav.item(r).text(): r for r in range(nav.count())}
        self.badges = [(b, rows[b.page]) for b in BADGES if b.page in rows and ctx.can(b.permission)]
        nav.setItemDelegate(BadgeDelegate(nav))
        self.timer = ops.every(ctx, self, REFRESH_MS, self.refresh)
        ctx.changes_applied.connect(self._changed)
        self.refresh()

    def refresh(self) -> None:
        for badge, row in self.badges:
            self.ctx.query(self.nav, partial(self._count, badge)).on_success(partial(self._show, badge, row)).start()

    def _count(self, badge: Badge, uow: UnitOfWork) -> int:
        return badge.count(uow, self.ctx.actor)

    def _changed(self, _changes: Changes, _origin: object) -> None:
        self.refresh()

    def _show(self, badge: Badge, row: int, n: int) -> None:
        item = self.nav.item(row)
        item.setData(COUNT_ROLE, n or None)
        said = f"{badge.page}, {n} {badge.words}" if n else badge.page
        item.setData(Qt.ItemDataRole.AccessibleTextRole, said)
        item.setToolTip(said + (f" · {item.toolTip().rpartition(' · ')[2]}" if item.toolTip() else ""))


class BadgeDelegate(QStyledItemDelegate):
    """The entry as usual, with its count on a pill at the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        n = index.data(COUNT_ROLE)
        if not n:
            return
        text = str(n) if n < 1000 else "999+"
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect: QRect = option.rect
        metrics = option.fontMetrics
        width = max(metrics.horizontalAdvance(text) + 12, metrics.height() + 4)
        pill = QRect(rect.right() - width - 6, rect.center().y() - metrics.height() // 2 - 1, width,
                     metrics.height() + 2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.token("onaccent" if selected else "warnbg")))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setPen(QColor(theme.token("accent" if selected else "warnfg")))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
