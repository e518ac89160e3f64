"""The safe-storage advice handed to the person with their lockable box
(DESIGN §4, seed 002): the box number and the day it was given, the
everyday habits that keep medicine away from children, and what to do at
once if a child may have taken any (999; naloxone).

It is handed over, never posted, so it has no envelope window
(``layout.HANDOUT_PAGES``). The everyday points come from
``clinic.services.ost.letters.LEAFLET_POINTS``; the emergency advice is
fixed here so that no leaflet can go out without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle

from clinic.letters.layout import HANDOUT_PAGES, TEXT_WIDTH, check_handout
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import BODY, HEADING, INK, SHADE, SIGNATURE, SIGNATURE_NAME, STRONG, label_value_table, para
from clinic.letters.wording import weekday_date

TITLE = "Keeping your medicine safe at home"
EMERGENCY = (
    "Phone 999 straight away, even if the child seems well. The effects can take hours to show.",
    "If they are very sleepy, hard to wake, or breathing slowly or noisily, give naloxone if you have it, "
    "and tell the 999 call handler you have done so.",
    "If they are unconscious but breathing, lie them on their side. Stay with them until help comes.",
    "Take the bottle or packet with you to hospital, so the doctors know what it was and how much.",
)


@dataclass(frozen=True, kw_only=True)
class SafeStorageAdvice(LetterBase):
    box_number: str
    issued_on: date
    #: The everyday habits, one sentence each.
    points: tuple[str, ...]


def check(letter: SafeStorageAdvice) -> None:
    check_handout(letter)
    if not letter.box_number.strip():
        raise ValueError("Give the number of the box handed over.")
    if not any(p.strip() for p in letter.points):
        raise ValueError("The leaflet has no advice in it.")


def _bullets(texts: tuple[str, ...], style: ParagraphStyle = BODY) -> ListFlowable:
    # types-reportlab's ListFlowable does not list ListItem among what it takes; reportlab does.
    return ListFlowable([ListItem(para(t.strip(), style), leftIndent=12, value="\u2022")  # type: ignore[misc]
                         for t in texts if t.strip()],
                        bulletType="bullet", start="\u2022", leftIndent=12, bulletFontSize=10)


def _emergency() -> Table:
    box = Table([[para("If a child may have taken any of your medicine",
                       HEADING.clone("emergency", spaceBefore=0, spaceAfter=4))],
                 [_bullets(EMERGENCY, STRONG.clone("emergency_text", spaceAfter=4))]],
                colWidths=(TEXT_WIDTH,), hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.4, INK), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (0, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ]))
    return box


def body(letter: SafeStorageAdvice) -> list[Flowable]:
    phone = letter.letterhead.phone.strip().replace(" ", "\u00a0")  # a number split over two lines is misdialled
    return [
        para(TITLE, HEADING.clone("title", fontSize=16, leading=20, spaceBefore=0, spaceAfter=8)),
        label_value_table((("For", letter.recipient.name.strip()), ("Box number", letter.box_number.strip()),
                           ("Given on", weekday_date(letter.issued_on))), width=TEXT_WIDTH),
        Spacer(1, 5 * mm),
        para("Thank you for taking a lockable box. Even a small amount of methadone or buprenorphine, much less "
             "than your own dose, can kill a child. These few habits keep everyone at home safe."),
        para("Every day", HEADING),
        _bullets(letter.points),
        Spacer(1, 4 * mm),
        KeepTogether([_emergency(), Spacer(1, 5 * mm)]),
        KeepTogether([
            para(f"If you do not have naloxone, or would like a new kit, ask us: we will give you one and show you "
                 f"how to use it. If you have any questions, or the box is lost or broken, please phone us on "
                 f"{phone}. Please keep this sheet with your box."),
            Spacer(1, 3 * mm),
            para("Given by", SIGNATURE),
            para(letter.signatory.name, SIGNATURE_NAME),
            *([para(letter.signatory.role, SIGNATURE)]
              if letter.signatory.role.strip() and not letter.recipient.discreet else []),
        ]),
    ]


TEMPLATE = register(Template(
    key="safe_storage_leaflet", title="Safe-storage advice leaflet", category="clinical",
    data_class=SafeStorageAdvice, body=body, check=check, pages=HANDOUT_PAGES,
))
