"""The navigation: every page, who may see it, and how to build it.

Pages are built on first visit, so start-up imports none of them. A page
is listed only for roles holding one of its permissions (the services
refuse the rest anyway).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from clinic.permissions import Permission as P  # noqa: N817 - short, so the page table reads as a table
from clinic.permissions import Role
from ui.context import AppContext

@dataclass(frozen=True)
class PageSpec:
    title: str
    permissions: tuple[P, ...]  # any one of them shows the page
    widget: str  # "module:Class", imported on first visit
    home_for: frozenset[Role] = field(default_factory=frozenset)  # opens first for these roles

    def visible(self, ctx: AppContext) -> bool:
        return any(ctx.can(p) for p in self.permissions)

    def build(self, ctx: AppContext, parent: QWidget) -> QWidget:
        module, _, name = self.widget.partition(":")
        page: QWidget = getattr(importlib.import_module(module), name)(ctx, parent)
        return page


def home_row(specs: list[PageSpec], ctx: AppContext) -> int:
    """The page a role starts on: its own home if it has one, else the first."""
    return next((i for i, spec in enumerate(specs) if spec.home_for & ctx.actor.roles), 0)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Today", (P.APPOINTMENT_READ,), "ui.today.page:TodayPage"),
    PageSpec("People", (P.PERSON_SEARCH,), "ui.people.page:PeoplePage"),
    PageSpec("Counter", (P.NSP_COUNTER,), "ui.counter.page:CounterPage"),  # harm-reduction counter
    PageSpec("Appointments", (P.APPOINTMENT_READ,), "ui.appointments.page:AppointmentBookPage"),
    PageSpec("Vaccinations", (P.VACCINATION_READ,), "ui.vaccines.page:VaccinationPage"),
    PageSpec("OST", (P.OST_READ,), "ui.ost.page:OstPage"),
    PageSpec("Safe storage", (P.SAFE_STORAGE_READ,), "ui.safe_storage.page:SafeStoragePage"),
    # safeguarding worklists; the lead's lists for a manager marked as lead; the admin marks leads (ui.safeguarding)
    PageSpec("Safeguarding", (P.SAFEGUARDING_READ, P.SAFEGUARDING_LEAD, P.STAFF_ADMIN),
             "ui.safeguarding.page:SafeguardingPage"),
    PageSpec("Probation", (P.PROBATION_READ,), "ui.probation.page:ProbationPage", frozenset({Role.PROBATION})),
    # Treatment journey (ui/journey)
    PageSpec("Journey worklist", (P.JOURNEY_READ,), "ui.journey.pages:JourneyWorklistPage"),
    PageSpec("Caseload", (P.JOURNEY_WRITE, P.WORKLISTS_ALL_STAFF), "ui.journey.pages:CaseloadPage"),
    PageSpec("Journey report", (P.REPORTS_READ,), "ui.journey.report_page:JourneyReportPage"),
    PageSpec("Letters held", (P.LETTER_APPOINTMENT, P.LETTER_CLINICAL, P.LETTER_PROBATION),
             "ui.letters.held_page:HeldLettersPage"),
    PageSpec("Staff", (P.STAFF_ADMIN,), "ui.staff.page:StaffPage"),
    PageSpec("Reports", (P.REPORTS_READ,), "ui.reports.page:ReportsPage"),
    PageSpec("Audit log", (P.AUDIT_READ,), "ui.audit.page:AuditPage"),
    PageSpec("Settings", (P.SETTINGS_ADMIN,), "ui.settings.page:SettingsPage"),
    # clinic set-up (ui/appointments/setup_page.py): the admin's way in; the manager also has it on the book
    PageSpec("Clinic set-up", (P.SESSION_ADMIN,), "ui.appointments.setup_page:ClinicSetupPage"),
)
