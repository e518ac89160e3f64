"""DRR/ATR rules: orders, attendance outcomes and deadlines to Probation.

Timescales are site settings (``probation.*`` in ``clinic.settings``); the
defaults here match them: non-attendance notified by the end of the next
working day, progress report 3 working days before a review hearing, and two
unacceptable absences within 12 months flag the order.
"""

from collections.abc import Iterable, Set
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from clinic import workdays
from clinic.vocabulary import Labelled

#: The appointment type a DRR or ATR order's required appointments are booked as:
#: a booking of it links to the person's order, and a liaison worker may see it named.
REQUIRED_APPOINTMENT_TYPES = frozenset({"drr"})

_ONE_DAY = timedelta(days=1)


class OrderStatus(Labelled):
    """Where a DRR or ATR order is (``drr_orders.status``)."""

    PENDING = "pending", "Pending start"
    ACTIVE = "active"
    COMPLETED = "completed"
    REVOKED = "revoked"
    BREACHED = "breached"
    TRANSFERRED = "transferred"


#: Not yet ended: bookings link to it and attendance is recorded against it.
LIVE = (OrderStatus.PENDING, OrderStatus.ACTIVE)
#: Statuses that end an order and owe Probation a closure letter.
CLOSING = tuple(s for s in OrderStatus if s not in LIVE)


class NotificationKind(Labelled):
    """What a letter owed to Probation is (``drr_notifications.kind``)."""

    NON_ATTENDANCE = "non_attendance", "Non-attendance notification"
    ATTENDANCE_CONFIRMATION = "attendance_confirmation"
    PROGRESS_REPORT = "progress_report"
    CLOSURE = "closure", "Closure letter"


#: The kinds that report on attendance over a period.
ABOUT_ATTENDANCE = (NotificationKind.NON_ATTENDANCE, NotificationKind.ATTENDANCE_CONFIRMATION)


class NotificationStatus(StrEnum):
    """How far a letter owed to Probation has got (``drr_notifications.status``):
    due, then filed (printed), then sent; superseded by a correction, or
    cancelled while still due."""

    DUE = "due"
    FILED = "filed"
    SENT = "sent"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    """What happened at a required appointment."""

    ATTENDED = "attended"
    ATTENDED_LATE = "attended_late"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"

    @property
    def needs_notification(self) -> bool:
        """True if this outcome needs a non-attendance notification.

        Every non-attendance does (DESIGN.md §4, issue 8): an acceptable
        absence is still an absence, and Probation, not the service, decides
        what it means for the order; the letter gives the reason accepted.
        Someone who came late did attend; lateness goes in the attendance
        confirmation and progress report.
        """
        return self in (Outcome.UNACCEPTABLE_ABSENCE, Outcome.ACCEPTABLE_ABSENCE)


def notification_due(
    missed_on: date, *, working_days: int = 1, closures: Set[date] = frozenset()
) -> date:
    """Day by whose end Probation must hear of a missed appointment.

    With the default, the end of the next working day: a missed appointment on
    Thursday 24 December 2026 is due on Tuesday 29 December (Christmas Day,
    the weekend and the substitute Boxing Day holiday are skipped).
    """
    return workdays.add_working_days(missed_on, working_days, closures=closures)


def progress_report_due(
    hearing: date, *, working_days_before: int = 3, closures: Set[date] = frozenset()
) -> date:
    """Day by which the progress report for a review hearing must be sent."""
    return workdays.working_days_before(hearing, working_days_before, closures=closures)


def breach_threshold_reached(
    unacceptable_absence_dates: Iterable[date],
    *,
    on: date,
    count: int = 2,
    window_months: int = 12,
) -> bool:
    """True if ``count`` unacceptable absences fall in the window ending on ``on``.

    The window is the ``window_months`` period ending with ``on``, counted
    like an order's length (see ``order_end``): the 12 months ending on
    1 March 2026 run from 2 March 2025. Absences after ``on`` are ignored, so
    the answer for a past day does not change when later absences are added.
    The flag clears once an absence falls out of the window.
    """
    if count < 1:
        raise ValueError("The number of absences that flags an order must be at least 1")
    if window_months < 1:
        raise ValueError("The breach window must be at least one month")
    window_start = on + _ONE_DAY - relativedelta(months=window_months)
    in_window = [d for d in unacceptable_absence_dates if window_start <= d <= on]
    return len(in_window) >= count


def order_end(start: date, length_months: int) -> date:
    """Last day an order of ``length_months`` beginning on ``start`` is in force.

    It ends the day before the same date ``length_months`` later: a 12-month
    order beginning 1 March 2023 ends on 29 February 2024. Where that month
    has no such date the order ends on the month's last day: a 1-month order
    beginning 31 January 2026 ends on 28 February 2026.
    """
    if length_months < 1:
        raise ValueError("An order must last at least one month")
    same_date_later = start + relativedelta(months=length_months)
    if same_date_later.day != start.day:  # clamped to the end of a short month
        return same_date_later
    return same_date_later - _ONE_DAY


def validate_order(order_date: date, start: date, end: date) -> None:
    """Refuse order dates that cannot be right, with a reason staff understand."""
    if start < order_date:
        raise ValueError("The order cannot start before the date the court made it")
    if end < start:
        raise ValueError("The order's end date is before its start date")


def breach_window_start(on: date, *, window_months: int = 12) -> date:
    """First day of the breach window ending on ``on`` (see
    ``breach_threshold_reached``), for narrowing a query to candidates."""
    if window_months < 1:
        raise ValueError("The breach window must be at least one month")
    return on + _ONE_DAY - relativedelta(months=window_months)
