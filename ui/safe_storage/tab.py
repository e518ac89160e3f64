"""A person's safe-storage boxes: what they hold, the no-box alert, the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services.ost import worklists as ost_worklists
from clinic.services import safe_storage as svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.output.write_dialog import WriteLetterDialog
from ui.widgets.alert_banner import AlertBanner
from ui.widgets.write_dialog import date_of
from ui.widgets.record_tab import RecordTab
from ui.safe_storage.box_dialog import BoxDialog
from ui.widgets.table import fill, table

KINDS = {"received": "Received", "issued": "Issued", "returned": "Returned", "lost": "Lost", "replaced": "Replaced"}


@dataclass(frozen=True)
class _View:
    boxes: svc.PersonBoxes
    in_stock: tuple[str, ...]
    storage_alert: bool
    today: date


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    boxes = svc.person_boxes(uow, actor, person_id)
    stock = tuple(b.box_number for b in svc.stock(uow, actor).in_stock)
    alert = actor.can(Permission.OST_READ) and ost_worklists.alerts(uow, actor, person_id).storage_alert
    return _View(boxes, stock, alert, uow.clock.today())


class SafeStorageTab(RecordTab):
    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, (svc.AREA, "ost", "people"), parent)
        self.banner = AlertBanner()
        self.held = QLabel()
        self.buttons = {k: QPushButton(t) for k, t in (("issue", "&Issue box"), ("return", "&Returned"),
                                                         ("lost", "&Lost"), ("replace", "Re&place"))}
        row = QHBoxLayout()
        for kind, b in self.buttons.items():
            b.clicked.connect(lambda _=False, k=kind: self.open_dialog(k))
            b.setVisible(ctx.can(Permission.SAFE_STORAGE_WRITE))
            row.addWidget(b)
        row.addStretch(1)
        self.log = table(("Date", "Event", "Box", "Reason", "Advice given", "By"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.held)
        layout.addLayout(row)
        layout.addWidget(self.log, 1)

    def _clear(self) -> None:
        self.banner.show_alert("")
        self.held.clear()
        self.log.setRowCount(0)

    def _show(self, view: _View) -> None:
        self.view = view
        held = view.boxes.held
        self.banner.show_alert(f"⚠ {ost_worklists.STORAGE_ALERT}." if view.storage_alert else "")
        self.held.setText("<b>Holds box " + ", ".join(held) + "</b>" if held else "Holds no safe-storage box.")
        for kind in ("return", "lost", "replace"):
            self.buttons[kind].setEnabled(bool(held))
        fill(self.log, [
            (uk_date(e.event_on), KINDS.get(e.kind, e.kind),
             e.box_number + (f" → {e.new_box_number}" if e.new_box_number else ""),
             svc.REASONS.get(e.reason, "") + (f" — {e.reason_note}" if e.reason_note else ""),
             "Yes" if e.advice_given else ("No" if e.kind in ("issued", "replaced") else ""), e.staff_name)
            for e in view.boxes.events])
        self.loaded.emit()

    def open_dialog(self, kind: str) -> None:
        if self.view is None:
            return
        self.dialog = BoxDialog(self.ctx, kind, self.person_id, self.view.today, in_stock=self.view.in_stock,
                                held=self.view.boxes.held, parent=self)
        self.dialog.accepted.connect(lambda d=self.dialog: self.offer_leaflet(d))
        self.dialog.open()

    def offer_leaflet(self, dialog: BoxDialog) -> None:
        """A box handed over comes with the advice leaflet (seed 002): the
        letter dialog opens on it, already filled in, to print or skip."""
        if dialog.kind not in ("issue", "replace") or not self.ctx.can(Permission.LETTER_CLINICAL):
            return
        number = (dialog.box if dialog.kind == "issue" else dialog.new_box).currentText()
        self.leaflet = WriteLetterDialog(self.ctx, self.person_id, self, letter_type="safe_storage_leaflet",
                                         preset={"box_number": number, "issued_on": date_of(dialog.on)})
        self.leaflet.open()
