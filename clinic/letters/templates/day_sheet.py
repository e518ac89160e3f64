"""The day sheet reception prints each morning: every clinician's session
and its bookings (time, client, appointment type, status, notes).

It also prints the audit trail's head, short (DESIGN §3, M6): a paper record,
kept outside the building's computers, of how far the trail had got that
morning, so a trail later cut back or rewritten shows against the sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from clinic.dates import uk_long
from clinic.letters.registry import Template, register
from clinic.letters.sheet import SHEET_PAGES, TEXT_WIDTH, check_sheet
from clinic.letters.styles import CELL, CELL_LABEL, HEADING, INK, RULE, SHADE, para
from clinic.letters.wording import weekday_date

COLUMNS = (("Time", 16 * mm), ("Client", 55 * mm), ("Appointment", 60 * mm), ("Status", 34 * mm))


@dataclass(frozen=True)
class Booking:
    at: time
    client: str
    appointment_type: str
    status: str
    #: Reception's note for the day: "Bringing a friend", "Needs step-free access".
    notes: str = ""


@dataclass(frozen=True)
class ClinicianSession:
    clinician: str
    room: str
    starts: time
    ends: time
    bookings: tuple[Booking, ...]


@dataclass(frozen=True)
class DaySheet:
    day: date
    site_name: str
    #: When the sheet was printed (aware): shown on every page.
    printed_at: datetime
    sessions: tuple[ClinicianSession, ...]
    #: (row number, hash) of the audit trail's latest row; None for an empty trail
    audit_head: tuple[int, str] | None = None

    @property
    def audit_line(self) -> str:
        if self.audit_head is None:
            return "Audit trail: no rows yet"
        seq, digest = self.audit_head
        return f"Audit trail head: row {seq} \u00b7 {digest[:12]}"

    @property
    def heading(self) -> str:
        return f"Day sheet \u00b7 {weekday_date(self.day)}"

    @property
    def label(self) -> str:
        return f"Day sheet for {uk_long(self.day)}"


def _session_heading(session: ClinicianSession) -> Flowable:
    count = len(session.bookings)
    booked = f"{count} booking{'' if count == 1 else 's'}" if count else "no bookings"
    return para(f"{session.clinician} \u00b7 {session.room} \u00b7 "
                f"{session.starts:%H:%M}\u2013{session.ends:%H:%M} \u00b7 {booked}", HEADING)


def _session_table(session: ClinicianSession) -> Table:
    """The session as one table whose first row is its heading: the heading
    and column titles repeat on every page the session runs onto, and never
    sit at the foot of a page without at least two bookings under them."""
    notes_width = TEXT_WIDTH - sum(width for _, width in COLUMNS)
    titles = [para(title, CELL_LABEL) for title, _ in COLUMNS] + [para("Reception notes", CELL_LABEL)]
    rows = [[para(f"{b.at:%H:%M}", CELL), para(b.client, CELL), para(b.appointment_type, CELL),
             para(b.status, CELL), para(b.notes, CELL)] for b in sorted(session.bookings, key=lambda b: b.at)]
    heading = [_session_heading(session), "", "", "", ""]
    table = Table([heading, titles, *rows], colWidths=[width for _, width in COLUMNS] + [notes_width],
                  repeatRows=2, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)),
        ("NOSPLIT", (0, 0), (-1, min(3, len(rows) + 1))),
        ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 1), (-1, 1), SHADE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
    ]))
    return table


def body(sheet: DaySheet) -> list[Flowable]:
    story: list[Flowable] = []
    if not sheet.sessions:
        story.append(para("No clinic sessions on this day."))
    for session in sheet.sessions:
        story.append(_session_table(session) if session.bookings else _session_heading(session))
        story.append(Spacer(1, 5 * mm))
    story.append(para(sheet.audit_line, CELL))
    return story


TEMPLATE = register(Template(
    key="day_sheet", title="Day sheet", category="admin",
    data_class=DaySheet, body=body, check=check_sheet, pages=SHEET_PAGES,
))
