"""Clinic set-up as a page, for the admin: the admin manages the
configuration (sessions, rooms, appointment types) but does not see the
appointment book, so the set-up the manager opens from the book is here."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.appointments.setup_dialog import ClinicSetupPanel
from ui.context import AppContext
from ui.widgets.page_title import page_title


class ClinicSetupPage(QWidget):
    """``ClinicSetupPage(ctx, parent=None)``: the navigation page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = ClinicSetupPanel(ctx, ctx.clinic.clock.today(), self)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Clinic set-up: sessions, rooms and appointment types"))
        layout.addWidget(self.panel, 1)
