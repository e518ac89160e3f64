"""The appointment book grid, drawn (UI-3, UI-15): time down the side,
one column per clinician, room or day.

Every booking is its own block, drawn from its true start to its true end.
Bookings that overlap in a column sit side by side in lanes, so none hides
another, and each is coloured by its own status and says it in words with
a symbol (``ui.widgets.status_look``). Free session slots are white with a
green edge and the word "free"; session time is a pale band.

Keyboard: the grid is one Tab stop. Up/Down move to the previous/next block
in the column, Left/Right to the next column, F to the next free slot,
Enter opens (books a free slot); the view scrolls to the first free slot
or the current time when shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from clinic.services.appointments.book import AppointmentRow, BookView, FreeSlot
from ui.widgets.status_look import (
    FREE_COLOUR,
    FREE_EDGE,
    SESSION_COLOUR,
    STATUS_COLOURS,
    STATUS_EDGES,
    STATUS_SYMBOLS,
    status_text,
)

FIRST = time(8, 0)
LAST = time(18, 0)
PX_PER_MINUTE = 1.6
HEADER = 28  # the column titles, fixed above the scrolling day
TOP = 8
SCROLL_MARGIN = 12  # above the first block shown, so its hour label shows too
GUTTER = 52
Thing = AppointmentRow | FreeSlot

__all__ = ["FREE_COLOUR", "STATUS_COLOURS", "Block", "BookGrid", "Column", "status_text"]


@dataclass(frozen=True)
class Column:
    key: int | date  # clinician id, room id or day
    title: str


@dataclass(frozen=True)
class Block:
    """One thing drawn: which column, which lane of how many, its colours."""

    thing: Thing
    column: int
    lane: int
    lanes: int
    fill: str
    edge: str
    text: str

    @property
    def is_booking(self) -> bool:
        return isinstance(self.thing, AppointmentRow)


def _minutes(moment: datetime) -> float:
    return (moment.hour * 60 + moment.minute + moment.second / 60) - (FIRST.hour * 60 + FIRST.minute)


def lanes_for(rows: list[AppointmentRow]) -> dict[int, tuple[int, int]]:
    """Booking id → (lane, lanes in its overlapping group): greedy interval colouring."""
    out: dict[int, tuple[int, int]] = {}
    group: list[tuple[AppointmentRow, int]] = []
    lane_ends: list[datetime] = []
    group_end: datetime | None = None

    def close() -> None:
        for row, lane in group:
            out[row.id] = (lane, len(lane_ends))

    for row in sorted(rows, key=lambda r: (r.start, r.end, r.id)):
        if group_end is not None and row.start >= group_end:
            close()
            group, lane_ends, group_end = [], [], None
        lane = next((i for i, end in enumerate(lane_ends) if end <= row.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(row.end)
        else:
            lane_ends[lane] = row.end
        group.append((row, lane))
        group_end = row.end if group_end is None else max(group_end, row.end)
    close()
    return out


def booking_text(appt: AppointmentRow) -> str:
    return f"{appt.start:%H:%M}–{appt.end:%H:%M} {appt.person_name} — {appt.type_name} · {status_text(appt.status)}"


class _Canvas(QWidget):
    """The drawn day(s); lives in the grid's scroll area."""

    def __init__(self, grid: BookGrid) -> None:
        super().__init__()
        self.grid = grid
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER + 160 * max(1, len(self.grid.columns)), self.grid.y_of_minutes(self.grid.day_minutes) + 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.grid.paint(QPainter(self), self.width())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.grid.setFocus()
        block = self.grid.block_at(event.position())
        if block is not None:
            self.grid.select(block)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        block = self.grid.block_at(event.position())
        if block is not None:
            self.grid.select(block)
            self.grid.activated.emit(block.thing)


class _Header(QWidget):
    """The column titles, which stay put while the day scrolls."""

    def __init__(self, grid: BookGrid) -> None:
        super().__init__(grid)
        self.grid = grid

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.window())
        width = self.grid.canvas.width()
        col_w = self.grid._column_width(width)
        head = QFont(self.font())
        head.setBold(True)
        p.setFont(head)
        for i, column in enumerate(self.grid.columns):
            x = GUTTER + i * col_w
            p.setPen(QPen(pal.mid().color()))
            p.drawLine(int(x), 0, int(x), HEADER)
            p.setPen(QPen(pal.text().color()))
            p.drawText(QRectF(x + 6, 0, col_w - 12, HEADER), Qt.AlignmentFlag.AlignVCenter, column.title)
        p.setPen(QPen(pal.mid().color()))
        p.drawLine(0, HEADER - 1, self.width(), HEADER - 1)


class BookGrid(QScrollArea):
    #: The selected block changed (its thing, or None).
    current_changed = Signal(object)
    #: Enter or a double click on a block.
    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[Column] = []
        self.blocks: list[Block] = []
        self.sessions: list[tuple[int, datetime, datetime, str]] = []
        self.current: Block | None = None
        self.day_minutes = (LAST.hour * 60 + LAST.minute) - (FIRST.hour * 60 + FIRST.minute)
        self.canvas = _Canvas(self)
        self.setWidget(self.canvas)
        self.setViewportMargins(0, HEADER, 0, 0)
        self.header = _Header(self)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Appointment book")
        self.setToolTip("Arrows move between bookings and free slots · F next free slot · Enter books a free slot")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        frame = self.frameWidth()
        self.header.setGeometry(frame, frame, self.viewport().width(), HEADER)

    # ---- geometry -------------------------------------------------------------------
    def y_of_minutes(self, minutes: float) -> int:
        return int(TOP + minutes * PX_PER_MINUTE)

    def _column_width(self, width: int) -> float:
        return (width - GUTTER) / max(1, len(self.columns))

    def rect_of(self, block: Block, width: int | None = None) -> QRectF:
        w = self._column_width(width or self.canvas.width())
        lane_w = (w - 6) / block.lanes
        top = self.y_of_minutes(max(0.0, _minutes(block.thing.start)))
        bottom = self.y_of_minutes(min(float(self.day_minutes), _minutes(block.thing.end)))
        x = GUTTER + block.column * w + 3 + block.lane * lane_w
        return QRectF(x, top, lane_w - 2, max(10, bottom - top - 1))

    def block_at(self, point: QPointF) -> Block | None:
        hits = [b for b in self.blocks if self.rect_of(b).contains(point)]
        bookings = [b for b in hits if b.is_booking]
        found = bookings or hits
        return found[0] if found else None

    # ---- content --------------------------------------------------------------------
    def show_view(self, view: BookView, columns: list[Column], column_of: str) -> None:
        """``column_of``: "clinician", "room" or "day" — which field picks the column."""
        previous = self.current.thing if self.current is not None else None
        self.columns = columns
        index = {c.key: i for i, c in enumerate(columns)}

        def col(start: datetime, clinician: int, room: int | None) -> int | None:
            key = {"clinician": clinician, "room": room, "day": start.date()}[column_of]
            return index.get(key) if key is not None else None

        self.sessions = [(c, s.start, s.end, s.label) for s in view.sessions
                         if (c := col(s.start, s.clinician_id, s.room_id)) is not None]
        blocks: list[Block] = []
        by_column: dict[int, list[AppointmentRow]] = {}
        for appt in view.appointments:
            if (c := col(appt.start, appt.clinician_id, appt.room_id)) is not None:
                by_column.setdefault(c, []).append(appt)
        for slot in view.free_slots:
            if (c := col(slot.start, slot.clinician_id, slot.room_id)) is not None:
                blocks.append(Block(slot, c, 0, 1, FREE_COLOUR, FREE_EDGE, f"{slot.start:%H:%M} free"))
        for c, rows in by_column.items():
            lanes = lanes_for(rows)
            for appt in rows:
                lane, count = lanes[appt.id]
                blocks.append(Block(appt, c, lane, count, STATUS_COLOURS[appt.status], STATUS_EDGES[appt.status],
                                    booking_text(appt)))
        self.blocks = sorted(blocks, key=lambda b: (b.column, b.thing.start, b.lane, not b.is_booking))
        self.current = next((b for b in self.blocks if previous is not None and b.thing == previous), None)
        self.canvas.updateGeometry()
        self.canvas.setMinimumHeight(self.canvas.sizeHint().height())
        self.canvas.update()
        self.header.update()
        if previous is None:
            self._scroll_to_start()
        self.current_changed.emit(self.current_thing())

    def clear_view(self) -> None:
        self.columns, self.blocks, self.sessions, self.current = [], [], [], None
        self.canvas.update()
        self.current_changed.emit(None)

    def _scroll_to_start(self) -> None:
        """The day's first block, whole, when the first free slot shows below it;
        else the first free slot, which Enter books, without cutting through a
        block at the top edge. With nothing on the day, the morning."""
        if not self.blocks:
            self.verticalScrollBar().setValue(0)
            return
        rects = [(self.rect_of(b), b.is_booking) for b in sorted(self.blocks, key=lambda b: b.thing.start)]
        top = rects[0][0].top() - SCROLL_MARGIN
        free = next((r for r, is_booking in rects if not is_booking), None)
        if free is not None and free.bottom() > top + self.viewport().height():
            top = free.top() - SCROLL_MARGIN
            across = [r.top() for r, _ in rects if r.top() < top < r.bottom()]
            if across and free.bottom() <= min(across) + self.viewport().height():
                top = min(across)  # that block whole, at the top edge
        self.verticalScrollBar().setValue(max(0, int(top)))

    # ---- selection ------------------------------------------------------------------
    def current_thing(self) -> Thing | None:
        return self.current.thing if self.current is not None else None

    def find_block(self, predicate: Callable[[Thing], bool]) -> Block | None:
        return next((b for b in self.blocks if predicate(b.thing)), None)

    def select(self, block: Block | None) -> None:
        self.current = block
        if block is not None:
            rect = self.rect_of(block)
            self.ensureVisible(int(rect.center().x()), int(rect.top()), 10, int(min(rect.height(), 200)))
        self.canvas.update()
        self.current_changed.emit(self.current_thing())

    def _move(self, step: int, *, column: int | None = None) -> None:
        if not self.blocks:
            return
        if self.current is None:
            self.select(self.blocks[0])
            return
        if column is not None:
            target = self.current.column + column
            options = [b for b in self.blocks if b.column == target]
            if options:
                start = self.current.thing.start
                self.select(min(options, key=lambda b: abs((b.thing.start - start).total_seconds())))
            return
        order = self.blocks
        i = order.index(self.current) + step
        if 0 <= i < len(order) and order[i].column == self.current.column:
            self.select(order[i])

    def next_free(self) -> None:
        frees = [b for b in self.blocks if not b.is_booking]
        if not frees:
            return
        after = [b for b in frees if self.current is None or (b.column, b.thing.start) > (self.current.column,
                                                                                       self.current.thing.start)]
        self.select((after or frees)[0])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Down:
            self._move(1)
        elif key == Qt.Key.Key_Up:
            self._move(-1)
        elif key == Qt.Key.Key_Right:
            self._move(0, column=1)
        elif key == Qt.Key.Key_Left:
            self._move(0, column=-1)
        elif key == Qt.Key.Key_F:
            self.next_free()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current is not None:
            self.activated.emit(self.current.thing)
        else:
            super().keyPressEvent(event)

    # ---- drawing --------------------------------------------------------------------
    def paint(self, p: QPainter, width: int) -> None:
        pal = self.palette()
        p.fillRect(0, 0, width, self.canvas.height(), pal.base())
        col_w = self._column_width(width)
        text_pen, grid_pen = QPen(pal.text().color()), QPen(pal.mid().color())
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        for c, start, end, _label in self.sessions:
            top, bottom = self.y_of_minutes(_minutes(start)), self.y_of_minutes(_minutes(end))
            p.fillRect(QRectF(GUTTER + c * col_w, top, col_w, bottom - top), QColor(SESSION_COLOUR))
        p.setFont(small)
        for m in range(0, self.day_minutes + 1, 30):  # half-hour lines, hours labelled
            y = self.y_of_minutes(m)
            p.setPen(grid_pen if m % 60 == 0 else QPen(pal.midlight().color()))
            p.drawLine(GUTTER, y, width, y)
            if m % 60 == 0 or PX_PER_MINUTE * 30 >= 40:
                p.setPen(text_pen)
                hour = FIRST.hour * 60 + m
                p.drawText(QRectF(0, y - 8, GUTTER - 6, 16),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           f"{hour // 60:02d}:{hour % 60:02d}")
        for i in range(len(self.columns)):
            x = int(GUTTER + i * col_w)
            p.setPen(grid_pen)
            p.drawLine(x, 0, x, self.canvas.height())
        for block in self.blocks:
            self._paint_block(p, block, small)

    def _paint_block(self, p: QPainter, block: Block, font: QFont) -> None:
        rect = self.rect_of(block)
        chosen = block is self.current
        p.setPen(QPen(QColor(block.edge), 1, Qt.PenStyle.SolidLine if block.is_booking else Qt.PenStyle.DashLine))
        p.setBrush(QColor(block.fill))
        p.drawRoundedRect(rect, 3, 3)
        p.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), QColor(block.edge))
        if chosen:
            p.setPen(QPen(self.palette().highlight().color(), 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        p.setPen(QPen(QColor("#1b1b1b")))
        p.setFont(font)
        text = block.text
        if block.is_booking and rect.height() < 30:
            appt = block.thing
            text = f"{STATUS_SYMBOLS[appt.status]} {appt.start:%H:%M} {appt.person_name}"  # type: ignore[union-attr]
        p.drawText(rect.adjusted(7, 1, -3, -1), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                                    | Qt.TextFlag.TextWordWrap), text)


def legend() -> QWidget:
    """What each colour means, always with its word and symbol."""
    box = QWidget()
    box.setObjectName("legend")
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(10)
    entries = [(FREE_COLOUR, FREE_EDGE, "Free slot")] + [
        (STATUS_COLOURS[s], STATUS_EDGES[s], status_text(s))
        for s in ("booked", "arrived", "in_progress", "seen", "dna", "left_unseen", "cancelled_client")]
    for fill, edge, text in entries:
        swatch = QLabel()
        swatch.setFixedSize(14, 14)
        swatch.setStyleSheet(f"background: {fill}; border: 1px solid {edge}; border-left: 4px solid {edge};")
        row.addWidget(swatch)
        row.addWidget(QLabel(text.replace("Cancelled by the client", "Cancelled")))
    row.addStretch(1)
    return box
