"""The page for internal printed lists (the day sheet): landscape A4, a
heading on every page, and a footer that says "Confidential" and when the
sheet was printed, since a sheet left on a desk goes out of date.

No letterhead and no address window: sheets never leave the building.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from clinic.clock import SITE_TZ
from clinic.dates import uk_long
from clinic.letters.document import PageDesign
from clinic.letters.fonts import BOLD, REGULAR
from clinic.letters.styles import INK, MUTED, RULE

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 15 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEAD_HEIGHT = 22 * mm
FOOT_HEIGHT = 16 * mm


class Sheet(Protocol):
    """What a sheet's data must offer its pages."""

    @property
    def heading(self) -> str: ...

    @property
    def site_name(self) -> str: ...

    @property
    def printed_at(self) -> datetime: ...


def check_sheet(sheet: Sheet) -> None:
    if sheet.printed_at.tzinfo is None:
        raise ValueError("The sheet's printing time needs a time zone (use the clinic clock).")


def printed_text(at: datetime) -> str:
    local = at.astimezone(SITE_TZ)
    return f"Printed {uk_long(local.date())} at {local:%H:%M}"


def draw_sheet_page(canvas: Canvas, sheet: Sheet, page: int, pages: int) -> None:
    """``PageDesign.draw`` for sheets: the same heading and footer on every page."""
    canvas.saveState()
    top = PAGE_HEIGHT - 12 * mm
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 14)
    canvas.drawString(MARGIN, top - 4 * mm, sheet.heading)
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 4 * mm, sheet.site_name)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 7 * mm, PAGE_WIDTH - MARGIN, top - 7 * mm)
    canvas.line(MARGIN, FOOT_HEIGHT - 3 * mm, PAGE_WIDTH - MARGIN, FOOT_HEIGHT - 3 * mm)
    baseline = FOOT_HEIGHT - 8 * mm
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 8)
    canvas.drawString(MARGIN, baseline, "Confidential")
    canvas.setFont(REGULAR, 8)
    canvas.drawString(MARGIN + 20 * mm, baseline, "Contains client names: do not leave unattended; shred after use. "
                      f"{printed_text(sheet.printed_at)}")
    canvas.setFont(BOLD, 8)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, baseline, f"Page {page} of {pages}")
    canvas.restoreState()


SHEET_PAGES = PageDesign(
    key="sheet",
    pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
    first_frame=(MARGIN, FOOT_HEIGHT, TEXT_WIDTH, PAGE_HEIGHT - HEAD_HEIGHT - FOOT_HEIGHT),
    later_frame=(MARGIN, FOOT_HEIGHT, TEXT_WIDTH, PAGE_HEIGHT - HEAD_HEIGHT - FOOT_HEIGHT),
    draw=draw_sheet_page,
)
