"""Every site setting, declared once: key, type, default, help text.

Site settings live in the database (one site, every workstation sees the
same); window geometry and the chosen printer live in QSettings per
workstation (ui/). Rules never read settings themselves: services read them
here and pass the values in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    # Letterhead and site identity
    Setting("site.service_name", str, "Harbour Harm Reduction Service", "Service name on letters and the window"),
    Setting("site.address", str, "1 Example Street\nExampletown\nEX1 1AA", "Postal address, one line per line"),
    Setting("site.phone", str, "01234 567890", "Telephone number printed on letters"),
    Setting("site.secure_email", str, "harbour.service@nhs.net", "Secure email address printed on letters"),
    Setting("site.return_address", str, "PO Box 1, Exampletown EX1 1AA",
            "Plain return address for discreet envelopes (no service name)"),
    Setting("site.letter_footer", str,
            "This letter contains confidential information. If it has reached you in error, "
            "please return it to the sender unopened.", "Confidentiality statement at the foot of letters"),
    Setting("site.logo_png_base64", str, "", "Letterhead logo (PNG, base64); empty for none"),
    Setting("workdays.closures", list, [], "Site closure dates (ISO yyyy-mm-dd), not working days"),
    # Security (DESIGN.md §3)
    Setting("security.lockout_attempts", int, 5, "Wrong passwords before an account locks"),
    Setting("security.lockout_minutes", int, 15, "Minutes an account stays locked"),
    Setting("security.idle_lock_minutes", int, 5, "Idle minutes before the screen locks"),
    # Appointments and reception
    Setting("appointments.late_cancel_hours", int, 24, "Cancellations with less notice are late"),
    Setting("queue.wait_warn_minutes", int, 30, "Drop-in waits longer than this are highlighted"),
    Setting("callbacks.due_working_days", int, 1, "Callbacks due by the end of this many working days"),
    # BBV and vaccination
    Setting("bbv.hcv_retest_months", int, 12, "HCV retest interval for people who inject"),
    Setting("vaccines.anti_hbs_weeks_from", int, 4, "Anti-HBs check due from this many weeks after a hep B course"),
    Setting("vaccines.anti_hbs_weeks_to", int, 12, "Anti-HBs check due by this many weeks after a hep B course"),
    Setting("vaccines.batch_expiry_warn_days", int, 30, "Warn when a vaccine batch expires within this many days"),
    # OST
    Setting("ost.review_months", int, 3, "Months between OST reviews"),
    Setting("ost.missed_dose_threshold", int, 3, "Consecutive missed doses that need a prescriber review"),
    Setting("ost.methadone_warn_mg", int, 120, "Warn above this daily methadone dose (mg)"),
    Setting("ost.buprenorphine_warn_mg", int, 32, "Warn above this daily buprenorphine dose (mg)"),
    # DRR/ATR
    Setting("probation.notification_working_days", int, 1, "Non-attendance notified within this many working days"),
    Setting("probation.report_days_before_hearing", int, 3, "Progress report due this many working days before a review hearing"),
    Setting("probation.breach_count", int, 2, "Unacceptable absences that flag an order"),
    Setting("probation.breach_window_months", int, 12, "...within this many months"),
    Setting("probation.confirmation_frequency", str, "per_appointment",
            "Attendance confirmations: per_appointment, weekly or monthly"),
    # Treatment journey (clinic.journey; seed 002 §10.3, §12, §15, App. 1)
    Setting("journey.first_contact_working_days", int, 3, "First contact due within this many working days of referral"),
    Setting("journey.first_intervention_days", int, 21, "First intervention target: days from referral"),
    Setting("journey.long_wait_days", int, 42, "Waits of this many days or more count as breaches"),
    Setting("journey.prescribing_working_days", int, 10, "Prescribing due within this many working days of referral to it"),
    Setting("journey.drr_prescribing_working_days", int, 5, "DRR prescribing due within this many working days of the order"),
    Setting("journey.plan_days", int, 21, "Recovery plan due within this many days of the episode start"),
    Setting("journey.plan_review_weeks", int, 12, "Recovery plan reviewed at least every this many weeks"),
    Setting("journey.top_review_months", int, 6, "Months between review TOPs"),
    Setting("journey.representation_months", int, 6, "New episodes this soon after a successful completion are re-presentations"),
    # Backups
    Setting("backup.folder", str, "", "Folder for the automatic backup on close; empty for none"),
    Setting("backup.keep_last", int, 7, "Automatic backups to keep"),
)

BY_KEY = {s.key: s for s in SETTINGS}


class SiteSettings:
    """The site's values over the declared defaults; read-only."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self._values = {key: stored.get(key, s.default) for key, s in BY_KEY.items()}

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    @property
    def closures(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(d) for d in self._values["workdays.closures"])


def validate(key: str, value: Any) -> Any:
    """Check a value against its declaration; ValueError names the setting."""
    try:
        setting = BY_KEY[key]
    except KeyError:
        raise ValueError(f"There is no setting called {key!r}.") from None
    if setting.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{setting.help}: a whole number is needed.")
    if setting.type is int and value < 0:
        raise ValueError(f"{setting.help}: cannot be negative.")
    if not isinstance(value, setting.type):
        raise ValueError(f"{setting.help}: expected {setting.type.__name__}.")
    if key == "workdays.closures":
        for item in value:
            date.fromisoformat(item)
    return value
