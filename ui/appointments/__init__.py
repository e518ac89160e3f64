"""Appointment book, booking and series dialogs, outcomes worklist."""

from ui.appointments.booking_dialog import BookingDialog
from ui.appointments.outcomes import OutcomesList
from ui.appointments.page import AppointmentBookPage
from ui.appointments.series_dialog import SeriesDialog

__all__ = ["AppointmentBookPage", "BookingDialog", "OutcomesList", "SeriesDialog"]
