"""A person's Harm reduction tab: kit status and the NSP visits, naloxone
kits, training, alcohol screens and brief interventions in time order,
with the naloxone and alcohol dialogs a nurse opens from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic import alcohol, naloxone
from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services.harm_reduction import record as svc
from clinic.services.harm_reduction import naloxone as kits
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.counter.alcohol_dialogs import AuditDialog, InterventionDialog
from ui.counter.naloxone_dialogs import ReportUsedDialog, SupplyKitDialog, TrainingDialog
from ui.widgets.record_tab import RecordTab
from ui.counter.widgets import stretch_column
from ui.widgets.table import fill, table


@dataclass(frozen=True)
class _View:
    record: svc.HarmReductionRecord
    batches: tuple[kits.Batch, ...]
    today: date


def _read(uow: UnitOfWork, actor: Actor, person_id: int) -> _View:
    return _View(svc.person_harm_reduction(uow, actor, person_id), tuple(kits.kit_stock(uow, actor)),
                 uow.clock.today())


def status_text(record: svc.HarmReductionRecord) -> str:
    parts = [naloxone.STATUS_LABELS[record.kit_status]]
    parts += [k.label + (" — expired" if k.expired else "") for k in record.held_kits]
    parts.append(f"Last NSP visit {uk_date(record.last_nsp_visit)}" if record.last_nsp_visit
                 else "No NSP visits")
    if record.shows_alcohol:
        parts.append(f"Last AUDIT zone {record.last_audit_zone} ({alcohol.ZONE_LABELS[record.last_audit_zone]})"
                     if record.last_audit_zone else "No full AUDIT recorded")
    return " · ".join(parts)


class HarmReductionTab(RecordTab):
    view: _View | None

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, person_id, _read, ("harm_reduction", "people"), parent)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("harm reduction status")
        self.message = QLabel()
        self.buttons = {
            "supply": QPushButton("Supply &kit…"), "used": QPushButton("Kit &used…"),
            "training": QPushButton("Overdose trai&ning…"), "audit": QPushButton("&AUDIT-C…"),
            "alcohol_bi": QPushButton("Alcohol brief &intervention…"),
            "drug_bi": QPushButton("&Drug brief intervention…"),
        }
        needs = {"supply": Permission.HARM_REDUCTION_WRITE, "used": Permission.HARM_REDUCTION_WRITE,
                 "training": Permission.HARM_REDUCTION_WRITE, "audit": Permission.ALCOHOL_WRITE,
                 "alcohol_bi": Permission.ALCOHOL_WRITE, "drug_bi": Permission.HARM_REDUCTION_WRITE}
        row = QHBoxLayout()
        for key, button in self.buttons.items():
            button.setVisible(ctx.can(needs[key]))
            button.clicked.connect(lambda _=False, k=key: self.open_dialog(k))
            row.addWidget(button)
        row.addStretch(1)
        self.log = table(("Date", "What", "Detail", "By"))
        stretch_column(self.log, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.log, 1)

    def _clear(self) -> None:
        self.status.clear()
        self.message.clear()
        self.log.setRowCount(0)

    def _show(self, view: _View) -> None:
        self.view = view
        self.status.setText(status_text(view.record))
        self.buttons["used"].setEnabled(bool(view.record.held_kits))
        fill(self.log, [(uk_date(e.on), e.kind, e.detail, e.by) for e in view.record.events])
        self.loaded.emit()

    def open_dialog(self, kind: str, *, reason: str | None = None) -> None:
        if self.view is None:
            return
        ctx, pid, today = self.ctx, self.person_id, self.view.today
        if kind == "supply":
            self.dialog = SupplyKitDialog(ctx, pid, self.view.batches, today, reason=reason, parent=self)
        elif kind == "used":
            self.dialog = ReportUsedDialog(ctx, self.view.record.held_kits, today, parent=self)
            self.dialog.accepted.connect(self.offer_resupply)
        elif kind == "training":
            self.dialog = TrainingDialog(ctx, pid, today, parent=self)
        elif kind == "audit":
            self.dialog = AuditDialog(ctx, pid, today, parent=self)
            self.dialog.accepted.connect(lambda d=self.dialog: self._screened(d.result_value))
        else:
            self.dialog = InterventionDialog(ctx, pid, "alcohol" if kind == "alcohol_bi" else "drug", today,
                                             parent=self)
        self.dialog.open()

    def offer_resupply(self) -> None:
        """A used kit should be replaced: the supply dialog opens with that reason."""
        self.message.setText("Kit reported used: supply a replacement now.")
        self.loaded.connect(self._open_resupply)

    def _open_resupply(self) -> None:
        self.loaded.disconnect(self._open_resupply)
        self.open_dialog("supply", reason="used")

    def _screened(self, result: object) -> None:
        zone = getattr(result, "zone", None)
        score = getattr(result, "audit_c_score", None)
        self.message.setText(f"AUDIT-C {score} saved." if zone is None else
                             f"AUDIT zone {zone} ({alcohol.ZONE_LABELS[zone]}) saved: record the brief "
                             "intervention given.")
