"""Marking a booking did-not-attend or seen, with the question first.

A DRR booking linked to an order records the outcome on the order, so
before marking it the user is told exactly what will be recorded and which
letter becomes due by when (``probation_links.status_effect``); for a seen
DRR booking they also say whether the person was on time or late. Shared
by the appointment book and the outcomes worklist (which Today shows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from clinic.services.appointments import booking as appts
from clinic.services.probation import links
from clinic.dates import uk_day
from ui.context import AppContext
from ui.operations import appointments as appointments_ops

NOT_REQUIRED = "It is not a required appointment under a probation order, so nothing is sent to Probation."


class StatusMarker:
    """``StatusMarker(ctx, parent, after=None)``; ``mark(id, version, name,
    start, status)``. ``box`` is the question on screen, if any; ``message``
    what was recorded for Probation by the last marking."""

    def __init__(self, ctx: AppContext, parent: QWidget,
                 after: Callable[[BaseException | None], None] | None = None) -> None:
        self.ctx, self.parent, self.after = ctx, parent, after
        self.box: QMessageBox | None = None
        self.message = ""

    def mark(self, appointment_id: int, version: int | None, name: str, start: datetime, status: str) -> None:
        if status not in ("dna", "seen"):
            self._apply(appts.SetStatus(appointment_id, status, version))
            return
        actor = self.ctx.actor
        self.ctx.query(self.parent, lambda uow: links.status_effect(uow, actor, appointment_id, status)).on_success(
            lambda effect: self._ask(appointment_id, version, name, start, status, effect)).start()

    def _ask(self, appointment_id: int, version: int | None, name: str, start: datetime, status: str,
             effect: str) -> None:
        if status == "seen" and not effect:
            self._apply(appts.SetStatus(appointment_id, status, version))
            return
        if status == "dna":
            box = QMessageBox(QMessageBox.Icon.Question, "Did not attend",
                              f"Record that {name} did not attend at {start:%H:%M} on {uk_day(start)}?\n\n"
                              f"{effect or NOT_REQUIRED}",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.parent)
            box.setDefaultButton(QMessageBox.StandardButton.Yes)
            yes = box.button(QMessageBox.StandardButton.Yes)
            yes.setText("&Did not attend")
            yes.clicked.connect(lambda: self._apply(appts.SetStatus(appointment_id, "dna", version)))
        else:
            box = QMessageBox(QMessageBox.Icon.Question, "Seen",
                              f"Record that {name} was seen at {start:%H:%M} on {uk_day(start)}?\n\n{effect}\n\n"
                              "If they came late, choose Attended late: the order records \u201cattended late\u201d.",
                              QMessageBox.StandardButton.Cancel, self.parent)
            on_time = box.addButton("&Attended", QMessageBox.ButtonRole.AcceptRole)
            late = box.addButton("Attended &late", QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(on_time)
            on_time.clicked.connect(lambda: self._apply(appts.SetStatus(appointment_id, "seen", version)))
            late.clicked.connect(lambda: self._apply(appts.SetStatus(appointment_id, "seen", version, late=True)))
        self.box = box
        box.open()

    def _apply(self, cmd: appts.SetStatus) -> None:
        actor = self.ctx.actor
        self.ctx.write(self.parent, appointments_ops.set_status(actor, cmd)).on_success(self._done) \
            .on_failure(self._failed).start()

    def _done(self, result: appts.StatusSet) -> None:
        self.message = result.probation_message
        if self.after is not None:
            self.after(None)

    def _failed(self, error: BaseException) -> None:
        self.ctx.show_error(self.parent, error)
        if self.after is not None:
            self.after(error)
