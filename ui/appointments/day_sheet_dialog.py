"""The day sheet: preview the day's sessions and bookings, then print or
save it. It is filed like any letter once it has left the screen."""

from __future__ import annotations

from functools import partial

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from clinic.dates import uk_long
from clinic.services.letters import writing
from clinic.services.letters import filing
from clinic.services.appointments import letters as appointment_letters
from clinic.services.letters.filing import Filed
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.output import export, printing
from ui.output.export import save_pdf
from ui.output.preview import PdfPreview
from ui.output.printing import print_pdf


class DaySheetDialog(QDialog):
    #: The sheet was printed or saved and filed.
    filed = Signal()
    #: The preview is showing (tests wait on it).
    previewed = Signal()

    def __init__(self, ctx: AppContext, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.day = ctx, day
        self.pdf = b""
        self.setWindowTitle(f"Day sheet — {uk_long(day)}")
        self.preview = PdfPreview(self)
        self.status = QLabel("Preparing the day sheet…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button = buttons.addButton("&Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1000, 760)
        ctx.locked.connect(self.reject)
        actor = ctx.actor

        def make(uow: UnitOfWork) -> bytes:
            return writing.render(appointment_letters.draft_day_sheet(uow, actor, day))

        ctx.query(self, make).on_success(self._show).start()

    def _show(self, pdf: bytes) -> None:
        self.pdf = pdf
        pages = self.preview.set_pdf(pdf)
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''}. Printed sheets are confidential: "
                            "keep them at reception and shred them at the end of the day.")
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.previewed.emit()

    def print_sheet(self) -> None:
        # named as a day sheet, not a letter, in every title (UI-16)
        if print_pdf(self.pdf, self, ask=partial(printing.ask_with_dialog, what="day sheet"),
                     copies_title=f"Harbour day sheet {self.day:%d-%m-%Y}"):
            self._file("printed", exported=False)

    def save_sheet(self) -> None:
        try:
            path = save_pdf(self.pdf, self, suggested_name=f"day-sheet-{self.day.isoformat()}.pdf",
                            ask=partial(export.ask_with_dialog, what="day sheet"))
        except ValueError as exc:
            self.ctx.show_error(self, exc)
            return
        if path is not None:
            self._saved_to = path
            self._file("saved", exported=True)

    def _file(self, disposition: str, *, exported: bool) -> None:
        actor, pdf, day = self.ctx.actor, self.pdf, self.day

        def file(uow: UnitOfWork) -> Filed:
            return filing.file_rendered(uow, actor, None, "day_sheet", pdf, disposition,
                                         reference=f"Day sheet {day.isoformat()}", exported=exported)

        self.ctx.write(self, file).on_success(lambda _filed: self._done()).start()

    def _done(self) -> None:
        where = getattr(self, "_saved_to", None)
        self.status.setText(f"Saved to {where} and filed." if where else "Printed and filed.")
        self.filed.emit()
