"""Every public service function is reached from a screen or the command
line, or is on ALLOWED below with the reason it has no caller there.

A service the screens never call is a loop left open (issue 14: orders that
could not be ended, DRR bookings never linked): the check is by name, over
the Python syntax of ui/ and cli/ (a call, an attribute or an import of
that name counts).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: "module.function": why nothing in ui/ or cli/ calls it.
ALLOWED: dict[str, str] = {
    # -- this branch's modules (appointments, probation, vaccination, reports, worklists) --
    "appointments.booking.get_for_update": "the row loader of edit and set_status",
    "appointments.book.person_appointments": "read by the person's outstanding list (appointments_outstanding)",
    "appointments.book.sessions_between": "the session query of book_range and sessions.setup_lists",
    "probation.links.link_booking": "called by appointments.booking.book in its transaction",
    "probation.links.on_status": "called by appointments.booking.set_status in its transaction",
    "probation.links.is_probation_type": "part of link_booking and orders_for_booking",
    "appointments.watchers.watch": "the seam's wiring, done by clinic/services/__init__.py",
    "appointments.watchers.watcher": "the seam, called by appointments.booking",
    "probation.attendance.record_on_order": "called by probation.links.on_status",
    "people.register.on_register": "the person loader of every service that records on a record",
    "probation.common.get_row": "row loader shared by the probation services",
    "probation.attendance.amend_for_booking": "called by probation.links.on_status",
    "probation.attendance.due_for": "part of probation.links.status_effect",
    "probation.attendance.order_for_appointment": "the link lookup of probation_links",
    "probation.attendance.confirmation_period": "the rule behind the confirmation's due date",
    "probation.orders.summaries": "the row mapper of orders_for_person and get_order",
    "probation.orders.contact_warning": "part of the order summary's warnings",
    "probation.orders.consent_withdrawn_message": "part of withdraw_consent's result",
    "probation.orders.probation_outstanding": "an Outstanding provider, read by the person summary service",
    "probation.worklist.owed": "the query behind worklist",
    "probation.letter_data.check_summary": "the clinical-words check run by set_summary and the letter",
    "probation.letters.letter_data": "the letter's data as tests inspect it; screens print the PDF",
    "vaccination.courses.recall_letter": "the shared recall wording of the letter services",
    "vaccination.courses.vaccination_due_letter": "the pre-fill of the vaccination recall letter",
    "vaccination.courses.vaccination_outstanding": "an Outstanding provider, read by the person summary service",
    "worklists.bounded": "the LIMIT rule of every worklist query",
    "worklists.listed_name": "how every worklist prints a name",
    # -- other modules: helpers of their own services, or read by another service --
    "bbv.bbv_outstanding": "an Outstanding provider, read by the person summary service",
    "bbv.results_ready_letter": "the pre-fill of the results-ready letter",
    "letters.parts.decode_logo": "part of letterhead",
    "letters.writing.form_to_values": "part of draft",
    "letters.filing.held_if_no_post": "part of file_rendered",
    "letters.filing.file_letters": "batch filing of letters.batch and probation.letters; file_letter is one of one",
    "letters.filing.rendered": "the checked command file_rendered and letters.batch file",
    "letters.parts.handed_over": "the address block of a leaflet handed over (the OST and journey letter data)",
    "letters.parts.patient_facts": "the patient block of a letter to a GP, pharmacy or referral service",
    "letters.parts.to_gp": "the GP letter's data, in letters.writing.PREFILL",
    "ost.letters.review_to_gp": "the OST review letter's data, in letters.writing.PREFILL",
    "ost.letters.safe_storage_handout": "the safe-storage leaflet's data, in letters.writing.PREFILL",
    "ost.letters.to_pharmacy_missed": "the pharmacy letter's data, in letters.writing.PREFILL",
    "letters.parts.letterhead": "part of draft (and the recall batch)",
    "letters.parts.next_reference": "part of draft (and the recall batch)",
    "letters.parts.recipient_for": "part of draft (and the recall batch)",
    "letters.parts.signatory": "part of draft (and the recall batch)",
    "letters.filing.to_person": "part of held_if_no_post",
    "letters.filing.held_for_collection": "read by letters.writing.held_letters",
    "letters.filing.list_for_person": "read by letters.writing.filed_letters",
    "letters.filing.permission_for": "the category-to-permission rule of the letter services",
    "letters.filing.record_export": "part of letters.filing.file_rendered",
    "letters.filing.supersede": "part of the letter services' corrections",
    "ost.prescriptions.current_rows": "shared query of the OST services",
    "ost.prescriptions.prescription_on": "shared query of the OST services",
    "ost.prescriptions.prescription_row": "the row mapper of the prescription service",
    "ost.prescriptions.warn_limits": "the dose-warning settings of the prescription service",
    "ost.letters.gp_review_summary": "the pre-fill of the GP review letter",
    "ost.letters.pharmacy_missed_notice": "the pre-fill of the pharmacy missed-doses letter",
    "ost.letters.safe_storage_leaflet": "the pre-fill of the safe-storage leaflet",
    "ost.missed.missed_doses": "read by ost_record for the OST tab",
    "ost.reviews.review_row": "the row mapper of the review service",
    "ost.worklists.ost_outstanding": "an Outstanding provider, read by the person summary service",
    "people.records.details_of": "read by the person summary service",
    "people.records.record_status": "read by the merge service",
    "people.merge.linked_columns": "the schema walk behind merge",
    "people.merge.merge_history": "no screen yet (the merge log is in the audit trail)",
    "people.search.chips_of": "part of the search hit",
    "people.search.format_nhs": "part of the search hit",
    "people.search.hit_of": "the row mapper of the people services",
    "safe_storage.holds_box": "read by the OST worklists",
    "safe_storage.issued_between": "no screen yet (the KPI counts boxes itself)",
    "safe_storage.safe_storage_outstanding": "an Outstanding provider, read by the person summary service",
    "staff.actor_of": "turns a signed-in staff row into an actor (sign-in)",
    # -- helpers of the counter, the journey and safeguarding (called by their own services) --
    "safeguarding.consent.check_letter": "called by letters.filing.file_rendered before any outside letter is filed",
    "safeguarding.consent.check_referral": "called by referrals before a referral letter",
    "safeguarding.consent.consent_in_force": "part of check_letter and of safeguarding_requests",
    "safeguarding.consent.probation_refused_on": "the sharing rule for one person, part of check_letter",
    "safeguarding.consent.probation_refusals": "probation_refused_on for a batch of letters (probation.letters)",
    "safeguarding.consent.record_override": "called by safeguarding_requests when sharing without consent",
    "harm_reduction.record.harm_reduction_outstanding": "a provider of people_summary's outstanding list",
    "harm_reduction.common.check_day": "date check shared by the counter's services",
    "harm_reduction.common.check_text": "text check shared by the counter's services",
    "journey.episodes.check_day": "date check shared by the journey's services",
    "journey.episodes.episode_row": "row loader shared by the journey's services",
    "journey.episodes.timescales": "the journey's settings, read by its services",
    "journey.letters.recovery_plan_handout": "the letter data builder letter_writing offers as a template",
    "journey.record.record_of": "part of the Journey tab's read and of the printed plan",
    "journey.worklists.journey_outstanding": "a provider of people_summary's outstanding list",
    "safeguarding.referrals.from_bbv": "called by bbv.record_referral, which the BBV tab reaches",
    "safeguarding.household.children_around": "read by ost_worklists for the safe-storage alert",
    "safeguarding.household.children_condition": "read by ost_worklists for the safe-storage alert",
    "safeguarding.household.safeguarding_outstanding": "a provider of people_summary's outstanding list",
    "safeguarding.common.dated": "date check shared by the safeguarding services",
    "safeguarding.common.same_version": "version check shared by the safeguarding services",
    "safeguarding.flags.greeting_chip": "part of safeguarding_outstanding (reception's content-free chip)",
    "safeguarding.flags.open_flag_items": "part of safeguarding_outstanding",
    "safeguarding.requests.open_request_items": "part of safeguarding_outstanding",
}


def _public_functions() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    services = ROOT / "clinic" / "services"
    for path in sorted(services.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        if names:
            out[".".join(path.relative_to(services).with_suffix("").parts)] = names
    return out


def _names_used(folders: tuple[str, ...]) -> set[str]:
    used: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute):
                    used.add(node.attr)
                elif isinstance(node, ast.Name):
                    used.add(node.id)
                elif isinstance(node, ast.ImportFrom):
                    used |= {a.name for a in node.names}
    return used


def test_every_public_service_function_is_reached_or_explained() -> None:
    used = _names_used(("ui", "cli"))
    unreached = sorted(f"{module}.{name}" for module, names in _public_functions().items() for name in names
                       if name not in used and f"{module}.{name}" not in ALLOWED)
    assert unreached == [], "no screen or command calls these; wire them up or explain them in ALLOWED"


def test_the_allow_list_names_only_real_unreached_functions() -> None:
    functions = {f"{m}.{n}" for m, names in _public_functions().items() for n in names}
    assert sorted(set(ALLOWED) - functions) == []
    used = _names_used(("ui", "cli"))
    assert sorted(k for k in ALLOWED if k.rsplit(".", 1)[1] in used) == []  # reached now: take it off the list
