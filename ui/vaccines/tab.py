"""A person's vaccinations: courses as a timeline of doses (given, due,
overdue, planned), single vaccines and anti-HBs results, with the actions a
nurse takes from the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services.appointments import book as appointments_book
from clinic.services.appointments import sessions
from clinic.services.people import search as people_search
from clinic.services.vaccination import courses as svc
from clinic.services.vaccination import offers
from clinic.services.vaccination import stock
from clinic.uow import UnitOfWork
from clinic.workdays import next_working_day
from ui.operations import vaccination as vaccination_ops
from ui.widgets.booking_dialog import BookingDialog
from ui.context import AppContext
from ui.vaccines.dialogs import (
    AntiHbsDialog,
    DoseDialog,
    StartCourseDialog,
)
from ui.vaccines.offer_dialog import OfferDialog
from ui.widgets.alert_banner import AlertBanner
from ui.widgets.reason_dialog import ReasonDialog
from ui.widgets.record_tab import RecordTab

#: Each state carries a word and a symbol as well as its colour (colour-blind safe).
STATE_TEXT = {"given": "✓ Given", "due_today": "◷ Due today", "due": "◷ Due this week", "overdue": "! Overdue",
              "planned": "• Planned"}
STATE_COLOUR = {"overdue": "#b00020", "due_today": "#8a5a00", "due": "#8a5a00", "given": "#1b5e20"}
STATUS_TEXT = {"active": "in progress", "completed": "complete", "stopped": "stopped"}
COLUMNS = ("Course / dose", "Due", "Given", "Status", "Product and batch", "Site, route", "Given by")


@dataclass(frozen=True)
class _View:
    overview: svc.VaccinationOverview
    batches: tuple[stock.BatchStock, ...]
    today: date
    offers: offers.HepBOffers


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    return _View(svc.overview(uow, actor, person_id), tuple(stock.stock(uow, actor)), uow.clock.today(),
                 offers.hepb_offers(uow, actor, person_id))


class VaccinesTab(RecordTab):
    """``VaccinesTab(ctx, person_id, parent=None)``; loads when first shown."""

    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, (svc.AREA, stock.AREA, "people"), parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setAccessibleName("Vaccinations")
        self.tree.currentItemChanged.connect(self._enable)
        self.tree.itemActivated.connect(lambda *_: self.record_dose())
        self.buttons: dict[str, QPushButton] = {}
        # two rows, the course's own actions first: nine in one row made the window 1410 px wide
        course_row, other_row = QHBoxLayout(), QHBoxLayout()
        for row, key, text, slot in (
            (course_row, "start", "&Start course…", self.start_course),
            (course_row, "dose", "&Record dose…", self.record_dose),
            (course_row, "edit", "&Edit dose…", self.edit_dose),
            (course_row, "void", "Re&move dose…", self.void_dose),
            (course_row, "stop", "S&top course…", self.stop_course),
            (course_row, "book", "&Book next dose…", self.book_next_dose),
            (other_row, "single", "Si&ngle vaccine…", self.record_single),
            (other_row, "anti", "&Anti-HBs result…", self.anti_hbs),
            (other_row, "offer", "Hep B &offer…", self.record_offer),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setVisible(ctx.can(Permission.VACCINATION_WRITE))
            self.buttons[key] = button
            row.addWidget(button)
        self.buttons["book"].setVisible(ctx.can(Permission.APPOINTMENT_WRITE))
        course_row.addStretch(1)
        other_row.addStretch(1)
        self.anti = QLabel()
        self.anti.setWordWrap(True)
        self.prompt = AlertBanner(self)  # no hep B offer and no sign of immunity
        self.offers = QLabel()
        self.offers.setWordWrap(True)
        self.offers.setTextFormat(Qt.TextFormat.PlainText)
        self.notice = QLabel()  # what the last save said (e.g. the next dose's due date)
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.summary)
        layout.addLayout(course_row)
        layout.addLayout(other_row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.anti)
        layout.addWidget(self.offers)
        layout.addWidget(self.notice)
        QShortcut(QKeySequence("Ctrl+D"), self, self.record_dose)
        self._enable()

    # --- loading ---------------------------------------------------------------

    def _clear(self) -> None:
        self.tree.clear()
        self.summary.clear()
        self.anti.clear()
        self.offers.clear()
        self.notice.clear()
        self.prompt.show_alert("")
        self._enable()

    def _show(self, view: _View) -> None:
        self.view = view
        selected = self._selected_key()
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        next_due = []
        for course in view.overview.courses:
            status = STATUS_TEXT.get(course.status, course.status)
            top = QTreeWidgetItem([f"{course.label} — {status}", "", "", "", "", "", ""])
            top.setData(0, Qt.ItemDataRole.UserRole, ("course", course.id))
            top.setFont(0, bold)
            if course.stopped_reason:
                top.setText(3, f"Stopped: {course.stopped_reason}")
            for d in course.doses:
                child = QTreeWidgetItem([
                    f"Dose {d.number}", uk_date(d.due),
                    uk_date(d.given) if d.given else "",
                    STATE_TEXT[d.state],
                    f"{d.product}, batch {d.batch_number}" if d.product else "",
                    f"{d.site}, {d.route}" if d.site else "", d.given_by])
                child.setData(0, Qt.ItemDataRole.UserRole, ("dose", course.id, d.number))
                if d.state in STATE_COLOUR:
                    child.setForeground(3, QBrush(QColor(STATE_COLOUR[d.state])))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(course.status == "active" or len(view.overview.courses) <= 2)
            if course.next_due:
                label = course.label.split(" (")[0]
                next_due.append(f"{label}: next dose due {uk_date(course.next_due)}")
        if view.overview.singles:
            top = QTreeWidgetItem(["Single vaccines", "", "", "", "", "", ""])
            top.setFont(0, bold)
            top.setData(0, Qt.ItemDataRole.UserRole, ("singles",))
            for s in view.overview.singles:
                child = QTreeWidgetItem([s.label, "", uk_date(s.given), "Given",
                                         f"{s.product}, batch {s.batch_number}", f"{s.site}, {s.route}",
                                         s.given_by])
                child.setData(0, Qt.ItemDataRole.UserRole, ("single", s.dose_id))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        if not self.tree.topLevelItemCount():
            self.summary.setText("No vaccinations recorded. Start a course or record a single vaccine.")
        else:
            self.summary.setText("<br>".join(next_due) or "No course in progress.")
        self._show_anti_hbs(view)
        self.prompt.show_alert(view.offers.prompt if self.ctx.can(Permission.VACCINATION_WRITE) else "")
        self.offers.setText("\n".join(r.text for r in view.offers.rows[:3]))
        self._reselect(selected)
        self._enable()
        self.loaded.emit()

    def _show_anti_hbs(self, view: _View) -> None:
        lines = []
        for c in view.overview.courses:
            if c.anti_hbs_window:
                start, end = c.anti_hbs_window
                lines.append(f"<b>Anti-HBs check due</b> between {uk_date(start)} and {uk_date(end)}.")
        for r in view.overview.anti_hbs[:3]:
            colour = "" if r.responder else " style='color:#b00020'"
            lines.append(f"Anti-HBs {r.miu_per_ml:g} mIU/mL on {uk_date(r.taken_on)}: "
                         f"<span{colour}>{r.interpretation}</span>")
        self.anti.setText("<br>".join(lines))

    # --- selection ---------------------------------------------------------------

    def _selected_key(self) -> tuple[object, ...] | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _reselect(self, key: tuple[object, ...] | None) -> None:
        if key is None:
            return
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            for item in [top, *(top.child(n) for n in range(top.childCount()))]:
                if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == key:
                    self.tree.setCurrentItem(item)
                    return

    def _course(self) -> svc.CourseView | None:
        key = self._selected_key()
        if self.view is None:
            return None
        if key and key[0] in ("course", "dose"):
            return next((c for c in self.view.overview.courses if c.id == key[1]), None)
        active = [c for c in self.view.overview.courses if c.status == "active"]
        return active[0] if len(active) == 1 else None

    def _dose(self) -> svc.DoseView | svc.SingleDoseView | None:
        key = self._selected_key()
        if self.view is None or not key:
            return None
        if key[0] == "dose":
            course = self._course()
            dose = next((d for d in course.doses if d.number == key[2]), None) if course else None
            return dose if dose and dose.dose_id else None
        if key[0] == "single":
            return next((s for s in self.view.overview.singles if s.dose_id == key[1]), None)
        return None

    def _enable(self) -> None:
        loaded = self.view is not None
        course, dose = self._course(), self._dose()
        self.buttons["start"].setEnabled(loaded)
        self.buttons["single"].setEnabled(loaded)
        self.buttons["anti"].setEnabled(loaded)
        self.buttons["offer"].setEnabled(loaded)
        self.buttons["dose"].setEnabled(course is not None and course.status == "active")
        self.buttons["stop"].setEnabled(course is not None and course.status == "active")
        self.buttons["edit"].setEnabled(dose is not None)
        self.buttons["void"].setEnabled(dose is not None)
        self.buttons["book"].setEnabled(course is not None and course.status == "active"
                                        and course.next_due is not None)

    # --- actions -------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        self.notice.clear()
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.open()

    def _saved(self, dialog: QDialog) -> None:
        """Show what the service said about the save (e.g. "Dose 2 due …")."""
        message = getattr(getattr(dialog, "result_value", None), "message", "")
        self.notice.setText(message or "")

    def record_offer(self) -> None:
        if self.view is not None:
            self._open(OfferDialog(self.ctx, self.person_id, self.view.today, self))

    def start_course(self) -> None:
        if self.view is not None:
            self._open(StartCourseDialog(self.ctx, self.person_id, self.view.today,
                                         self.view.overview.date_of_birth, self))

    def record_dose(self) -> None:
        course = self._course()
        if self.view is None or course is None or course.status != "active":
            return
        nxt = next((d for d in course.doses if d.given is None), None)
        title = f"Record dose {nxt.number} — {course.label.split(' (')[0]}" if nxt else "Record a dose"
        self._open(DoseDialog(self.ctx, self.person_id, self.view.today, self.view.batches,
                              course_id=course.id, vaccine=course.vaccine, title=title, parent=self))

    def record_single(self) -> None:
        if self.view is not None:
            self._open(DoseDialog(self.ctx, self.person_id, self.view.today, self.view.batches,
                                  single=True, title="Record a single vaccine", parent=self))

    def edit_dose(self) -> None:
        dose, course = self._dose(), self._course()
        if self.view is None or dose is None:
            return
        vaccine = dose.vaccine if isinstance(dose, svc.SingleDoseView) else (course.vaccine if course else None)
        self._open(DoseDialog(self.ctx, self.person_id, self.view.today, self.view.batches, vaccine=vaccine,
                              editing=dose, title="Correct a dose", parent=self))

    def void_dose(self) -> None:
        dose = self._dose()
        if dose is None or dose.dose_id is None:
            return
        actor, dose_id = self.ctx.actor, dose.dose_id
        self._open(ReasonDialog(
            self.ctx, "Remove a dose recorded in error", "&Why is it wrong?",
            lambda reason: vaccination_ops.void_dose(actor, svc.VoidDose(dose_id, reason)), self))

    def stop_course(self) -> None:
        course = self._course()
        if course is None:
            return
        actor, course_id = self.ctx.actor, course.id
        self._open(ReasonDialog(
            self.ctx, "Stop this course", "&Reason",
            lambda reason: vaccination_ops.stop_course(actor, svc.StopCourse(course_id, reason)), self))

    def anti_hbs(self) -> None:
        if self.view is not None:
            self._open(AntiHbsDialog(self.ctx, self.person_id, self.view.today, self))

    def book_next_dose(self) -> None:
        """Book the selected course's next dose: the booking dialog opens on
        its due date (today if it is overdue), moved on to a working day (never
        a bank holiday or closure), at 10:00, as a vaccination, with the
        signed-in clinician when they hold sessions around then (UI-7)."""
        course = self._course()
        if (self.view is None or course is None or course.next_due is None
                or not self.ctx.can(Permission.APPOINTMENT_WRITE)):
            return
        actor, pid, due = self.ctx.actor, self.person_id, max(course.next_due, self.view.today)
        gen = self._generation  # a lock meanwhile: do not open it

        def read(uow: UnitOfWork) -> tuple[str, int | None, date, bool]:
            types = sessions.list_types(uow, actor)
            day = next_working_day(due, closures=uow.settings.closures)
            around = appointments_book.book_range(uow, actor, day, day + timedelta(days=28),
                                                  clinician_ids=[actor.staff_id])
            return (people_search.name_of(uow, actor, pid),
                    next((t.id for t in types if t.code == "vaccination"), None), day, bool(around.sessions))

        def opened(found: tuple[str, int | None, date, bool]) -> None:
            if gen != self._generation:
                return
            name, type_id, day, has_sessions = found
            self._open(BookingDialog(self.ctx, person_id=pid, person_name=name,
                                     start=datetime.combine(day, time(10, 0)), type_id=type_id,
                                     clinician_id=actor.staff_id if has_sessions else None, parent=self))

        self.ctx.query(self, read).on_success(opened).start()
