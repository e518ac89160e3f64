"""Every site setting, declared once: key, type, default, bounds, choices, label.

Site settings live in the database (one site, every workstation sees the
same); window geometry and the chosen printer live in QSettings per
workstation (ui/). Rules never read settings themselves: services read them
here and pass the values in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic.errors import Refused
from clinic.nsp import DEFAULT_ITEMS as NSP_DEFAULT_ITEMS
from clinic.nsp import parse_items as parse_nsp_items
from clinic.validation import check_date, check_number, check_text


@dataclass(frozen=True)
class Setting:
    """One setting, fully declared: the page and the validation are built
    from this alone (issue 15, item 3; as qutebrowser's configdata)."""

    key: str
    type: type
    default: Any
    help: str
    #: The label on the settings page; the help text when empty.
    label: str = ""
    #: Bounds of a whole number, both inclusive.
    minimum: int | None = None
    maximum: int | None = None
    #: For a text that is one of a few words: (stored value, label shown).
    choices: tuple[tuple[str, str], ...] = ()
    #: For text: its longest, and whether line breaks belong in it.
    max_length: int = 200
    multiline: bool = False

    @property
    def shown_label(self) -> str:
        return self.label or self.help


def _whole(key: str, default: int, help: str, minimum: int, maximum: int, label: str = "") -> Setting:
    return Setting(key, int, default, help, label, minimum, maximum)


SETTINGS: tuple[Setting, ...] = (
    # Letterhead and site identity
    Setting("site.service_name", str, "Harbour Harm Reduction Service", "Service name on letters and the window",
            max_length=120),
    Setting("site.address", str, "1 Example Street\nExampletown\nEX1 1AA", "Postal address, one line per line",
            max_length=400, multiline=True),
    Setting("site.phone", str, "01234 567890", "Telephone number printed on letters", max_length=40),
    Setting("site.secure_email", str, "harbour.service@nhs.net", "Secure email address printed on letters"),
    Setting("site.return_address", str, "PO Box 1, Exampletown EX1 1AA",
            "Plain return address for discreet envelopes (no service name)"),
    Setting("site.letter_footer", str,
            "This letter contains confidential information. If it has reached you in error, "
            "please return it to the sender unopened.", "Confidentiality statement at the foot of letters",
            max_length=1000, multiline=True),
    Setting("site.logo_png_base64", str, "", "Letterhead logo (PNG, base64); empty for none", "Letterhead logo",
            max_length=4_000_000),
    Setting("workdays.closures", list, [], "Site closure dates (ISO yyyy-mm-dd), not working days",
            "Site closure days", max_length=1000),
    # Security (DESIGN.md §3). Lockout cannot be switched off (m10), and the
    # idle lock stays within what a timer can hold (M14).
    _whole("security.lockout_attempts", 5, "Wrong passwords before an account locks", 3, 10),
    _whole("security.lockout_minutes", 15, "Minutes an account stays locked", 5, 1440),
    _whole("security.idle_lock_minutes", 5, "Idle minutes before the screen locks", 1, 60),
    _whole("security.temporary_password_days", 7, "Days a temporary password can be used before it expires", 1, 90,
           "Days a temporary password lasts"),
    # Appointments and reception
    _whole("appointments.late_cancel_hours", 24, "Cancellations with less notice are late", 0, 168),
    _whole("queue.wait_warn_minutes", 30, "Drop-in waits longer than this are highlighted", 1, 480),
    _whole("callbacks.due_working_days", 1, "Callbacks due by the end of this many working days", 0, 20),
    # BBV and vaccination
    _whole("bbv.hcv_retest_months", 12, "HCV retest interval for people who inject", 1, 60),
    _whole("vaccines.anti_hbs_weeks_from", 4, "Anti-HBs check due from this many weeks after a hep B course", 1, 52),
    _whole("vaccines.anti_hbs_weeks_to", 12, "Anti-HBs check due by this many weeks after a hep B course", 1, 104),
    _whole("vaccines.batch_expiry_warn_days", 30, "Warn when a vaccine batch expires within this many days", 0, 365),
    # OST
    _whole("ost.review_months", 3, "Months between OST reviews", 1, 24),
    _whole("ost.missed_dose_threshold", 3, "Consecutive missed doses that need a prescriber review", 1, 14),
    _whole("ost.methadone_warn_mg", 120, "Warn above this daily methadone dose (mg)", 10, 300),
    _whole("ost.buprenorphine_warn_mg", 32, "Warn above this daily buprenorphine dose (mg)", 2, 64),
    # DRR/ATR
    _whole("probation.notification_working_days", 1, "Non-attendance notified within this many working days", 0, 10),
    _whole("probation.report_days_before_hearing", 3,
           "Progress report due this many working days before a review hearing", 0, 20),
    _whole("probation.breach_count", 2, "Unacceptable absences that flag an order", 1, 10),
    _whole("probation.breach_window_months", 12, "...within this many months", 1, 36,
           "...counted within this many months"),
    Setting("probation.confirmation_frequency", str, "per_appointment",
            "Attendance confirmations: per_appointment, weekly or monthly", "Attendance confirmations to Probation",
            choices=(("per_appointment", "After every appointment"), ("weekly", "Weekly"), ("monthly", "Monthly"))),
    # Harm-reduction counter (clinic.nsp, clinic.services.harm_reduction.nsp)
    Setting("nsp.items", str, "\n".join(NSP_DEFAULT_ITEMS),
            "NSP items at the counter, one a line: type|label, or type|label|needles in one (packs)",
            "NSP items at the counter", max_length=4000, multiline=True),
    _whole("nsp.under_18_needle_cap", 10, "Most needles given to an under-18 in one visit", 0, 100),
    _whole("nsp.reception_may_record", 1, "Reception may record NSP visits at the counter (1 yes, 0 no)", 0, 1),
    _whole("nsp.needles_per_returned_bin", 50,
           "Needles a returned sharps bin is counted as holding, for the return rate", 1, 1000),
    # Safeguarding, consent and referrals out (clinic.services.safeguarding.household*, consent, referrals)
    _whole("safeguarding.urgent_request_hours", 2, "Urgent MASH/police requests answered within this many clock hours",
           1, 24),
    _whole("safeguarding.routine_request_working_days", 3,
           "Routine MASH/police requests answered by 17:00 on this working day after receipt", 1, 20),
    _whole("safeguarding.hidden_harm_review_months", 6, "Months between reviews of the children's situation", 1, 24),
    _whole("safeguarding.flag_review_months", 3, "A new safeguarding flag is reviewed after this many months", 1, 24),
    _whole("consent.review_months", 12, "Consent to share is reviewed after this many months", 1, 60),
    _whole("referrals.outcome_weeks", 4, "Referrals out without an outcome after this many weeks are listed", 1, 52),
    # Treatment journey (clinic.journey; seed 002 §10.3, §12, §15, App. 1)
    _whole("journey.first_contact_working_days", 3, "First contact due within this many working days of referral",
           1, 20),
    _whole("journey.first_intervention_days", 21, "First intervention target: days from referral", 1, 90),
    _whole("journey.long_wait_days", 42, "Waits of this many days or more count as breaches", 1, 180),
    _whole("journey.prescribing_working_days", 10, "Prescribing due within this many working days of referral to it",
           1, 60),
    _whole("journey.drr_prescribing_working_days", 5, "DRR prescribing due within this many working days of the order",
           1, 60),
    _whole("journey.plan_days", 21, "Recovery plan due within this many days of the episode start", 1, 90),
    _whole("journey.plan_review_weeks", 12, "Recovery plan reviewed at least every this many weeks", 1, 52),
    _whole("journey.top_review_months", 6, "Months between review TOPs", 1, 24),
    _whole("journey.representation_months", 6,
           "New episodes this soon after a successful completion are re-presentations", 1, 24),
    # Backups
    Setting("backup.folder", str, "", "Folder for the automatic backup on close; empty for none", max_length=1000),
    _whole("backup.keep_last", 7, "Automatic backups to keep", 1, 365),
)

BY_KEY = {s.key: s for s in SETTINGS}


class SiteSettings:
    """The site's values over the declared defaults; read-only."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self._values = {key: _valid_or_default(s, stored.get(key, s.default)) for key, s in BY_KEY.items()}

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    @property
    def closures(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(d) for d in self._values["workdays.closures"])


def validate(key: str, value: Any) -> Any:
    """Check a value against its declaration; the ``Refused`` names the
    setting (its key is the field)."""
    try:
        setting = BY_KEY[key]
    except KeyError:
        raise Refused(f"There is no setting called {key!r}.", field=key) from None
    label = setting.shown_label
    if setting.type is int:
        assert setting.minimum is not None and setting.maximum is not None
        check_number(value, field=key, minimum=setting.minimum, maximum=setting.maximum, label=label, whole=True)
    elif setting.type is str:
        check_text(value, field=key, max_length=setting.max_length, multiline=setting.multiline, label=label)
        if setting.choices and value not in dict(setting.choices):
            raise Refused(f"{label}: choose one of {', '.join(dict(setting.choices).values())}.", field=key)
    elif key == "workdays.closures":
        if not isinstance(value, list) or len(value) > setting.max_length:
            raise Refused(f"{label}: a list of at most {setting.max_length} dates is needed.", field=key)
        for item in value:
            try:
                check_date(date.fromisoformat(item), field=key, label="A closure day")
            except (TypeError, ValueError) as exc:
                raise Refused(f"{label}: {item!r} is not a date (yyyy-mm-dd).", field=key) from exc
    if key == "nsp.items":  # harm-reduction counter
        parse_nsp_items(value.splitlines())
    return value


def _valid_or_default(setting: Setting, value: Any) -> Any:
    """A stored value outside its declaration (saved before the bounds were
    declared) reads as the default: an idle lock of a million minutes
    locked everyone out (M14), so it is never used."""
    try:
        return validate(setting.key, value)
    except ValueError:
        return setting.default


def validate_all(values: dict[str, Any], current: SiteSettings) -> None:
    """Rules between settings, over the values as they would be saved."""
    merged = {key: values.get(key, current[key]) for key in BY_KEY}
    if merged["vaccines.anti_hbs_weeks_from"] > merged["vaccines.anti_hbs_weeks_to"]:
        raise Refused("The anti-HBs check cannot be due from later than it is due by.",
                      field="vaccines.anti_hbs_weeks_from")
