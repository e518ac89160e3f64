"""Mark printed probation letters sent: which ones (all listed, chosen by
default), the date, and how. The method starts as what the batch suggests
(secure email after Save as PDF, post after printing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem, QWidget

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.services.probation import letters as probation_letters
from clinic.uow import UnitOfWork
from ui.operations import probation as probation_ops, then
from ui.context import AppContext
from ui.widgets.form_dialog import FormDialog
from ui.widgets.write_dialog import date_edit, date_of


@dataclass(frozen=True)
class Marked:
    changes: Changes
    message: str


def sent_message(count: int, method: str, on: date) -> str:
    return (f"Marked {count} letter{'s' if count != 1 else ''} sent "
            f"({probation_letters.METHODS[method].lower()}, {uk_date(on)}).")


class MarkSentDialog(FormDialog):
    """``rows`` are ``printed_not_sent`` rows; ``result_value`` is ``Marked``."""

    def __init__(self, ctx: AppContext, rows: list[tuple[int, str, str, date]], method: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Mark {len(rows)} printed letter{'s' if len(rows) != 1 else ''} sent", parent)
        self.setMinimumWidth(640)
        today = ctx.clinic.clock.today()
        self.list = QListWidget(self)
        for nid, person, label, due in rows:
            item = QListWidgetItem(f"{person} — {label} (due {uk_date(due)})")
            item.setData(Qt.ItemDataRole.UserRole, nid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.on = date_edit(today, maximum=today)
        self.method = QComboBox(self)
        for key, label in probation_letters.METHODS.items():
            self.method.addItem(label, key)
        self.method.setCurrentIndex(max(0, self.method.findData(method)))
        self.field("ids", "&Letters", self.list, hint="Untick any that have not gone yet (Space ticks).")
        self.field("on", "Sent &on", self.on)
        self.field("method", "&How", self.method)
        self.save_button.setText("&Mark sent")
        self.list.setFocus()
        self.list.setCurrentRow(0)

    def chosen(self) -> tuple[int, ...]:
        return tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                     if self.list.item(i).checkState() == Qt.CheckState.Checked)

    def command(self) -> Callable[[UnitOfWork], object] | None:
        ids = self.chosen()
        if not ids:
            self.show_field_error("ids", "Tick the letters that have gone.")
            return None
        actor = self.ctx.actor
        cmd = probation_letters.MarkSent(ids, date_of(self.on), self.method.currentData())

        said = sent_message(len(ids), cmd.method, cmd.on)
        return then(probation_ops.mark_sent(actor, cmd), lambda changes: Marked(changes, said))
