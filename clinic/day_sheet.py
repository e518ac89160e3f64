"""The printable day sheet: each clinician's sessions and bookings for one day.

``day_sheet_data`` gathers plain data (permission-checked through the book
service); ``render_day_sheet`` lays it out with reportlab in DejaVu (the
letters engine has no day-sheet template yet; move it there when it does).
Reception notes only — never clinical content. The PDF stays in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clinic.letters.fonts import BOLD, REGULAR, ensure_fonts
from clinic.permissions import Actor
from clinic.services import appointments_book as book
from clinic.services.appointments_common import STATUS_LABELS
from clinic.uow import UnitOfWork


@dataclass(frozen=True)
class DaySheetRow:
    start: datetime
    end: datetime
    person_name: str
    date_of_birth: date
    type_name: str
    room_name: str
    status: str
    note: str


@dataclass(frozen=True)
class DaySheetClinician:
    name: str
    sessions: tuple[str, ...]  # "BBV nurse clinic 10:00–13:00, Room 2"
    rows: tuple[DaySheetRow, ...]
    free_slots: int


@dataclass(frozen=True)
class DaySheet:
    day: date
    service_name: str
    clinicians: tuple[DaySheetClinician, ...]


def day_sheet_data(uow: UnitOfWork, actor: Actor, day: date) -> DaySheet:
    view = book.book_range(uow, actor, day, day)
    names = sorted({a.clinician_name for a in view.appointments} | {s.clinician_name for s in view.sessions})
    out = []
    for name in names:
        sessions = tuple(f"{s.label or 'Session'} {s.start:%H:%M}–{s.end:%H:%M}, {s.room_name}"
                         for s in view.sessions if s.clinician_name == name)
        ids = {s.id for s in view.sessions if s.clinician_name == name}
        rows = tuple(DaySheetRow(a.start, a.end, a.person_name, a.date_of_birth, a.type_name, a.room_name,
                                 STATUS_LABELS[a.status], a.reception_note)
                     for a in view.appointments if a.clinician_name == name)
        out.append(DaySheetClinician(name, sessions, rows, sum(1 for f in view.free_slots if f.session_id in ids)))
    return DaySheet(day, uow.settings["site.service_name"], tuple(out))


def render_day_sheet(sheet: DaySheet) -> bytes:
    """A4 PDF bytes: one section per clinician, a table of bookings."""
    ensure_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"Day sheet {sheet.day:%d %b %Y}", invariant=1)
    title = ParagraphStyle("t", fontName=BOLD, fontSize=15, leading=19)
    head = ParagraphStyle("h", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8)
    small = ParagraphStyle("s", fontName=REGULAR, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"))
    cell = ParagraphStyle("c", fontName=REGULAR, fontSize=9, leading=11)
    story = [Paragraph(f"Day sheet — {sheet.day:%A %d %B %Y}", title),
             Paragraph(f"{sheet.service_name}. Confidential: reception notes only.", small), Spacer(1, 4 * mm)]
    if not sheet.clinicians:
        story.append(Paragraph("No sessions or bookings on this day.", cell))
    for clinician in sheet.clinicians:
        story.append(Paragraph(clinician.name, head))
        for line in clinician.sessions:
            story.append(Paragraph(line + (f" · {clinician.free_slots} free slots" if clinician.free_slots else ""),
                                   small))
        data = [["Time", "Person", "Born", "Type", "Room", "Status", "Note"]]
        for r in clinician.rows:
            data.append([f"{r.start:%H:%M}–{r.end:%H:%M}", Paragraph(r.person_name, cell),
                         f"{r.date_of_birth:%d/%m/%Y}", Paragraph(r.type_name, cell), r.room_name, r.status,
                         Paragraph(r.note, cell)])
        if len(data) == 1:
            data.append(["", "No bookings", "", "", "", "", ""])
        table = Table(data, colWidths=[22 * mm, 38 * mm, 22 * mm, 30 * mm, 18 * mm, 22 * mm, 28 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("FONTSIZE", (0, 0), (-1, -1), 9), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8f9fa")]),
        ]))
        story += [Spacer(1, 2 * mm), table]
    doc.build(story)
    return buffer.getvalue()
