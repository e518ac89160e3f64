"""The page every letter shares: letterhead, window address, reference and
date, footer, page numbers; and the opening and signature of the text.

A4 portrait, folded in three for a DL window envelope (110 x 220 mm). The
window is on the left, 20 mm from the left edge and 50 mm from the top of
the letter, 90 mm wide and 45 mm tall (the common UK DL window). Text is
kept 5 mm inside the window's sides and 4 mm inside its top and bottom, so
a letter that slides a little in the envelope still shows the whole
address. Only the recipient and a plain return address ever sit in the
window: nothing seen from outside names the service or its purpose.

An address that does not fit the window is refused before anything is drawn
(``check_letter`` raises ``ValueError`` naming the line), never shrunk: a
squeezed address is easy to misprint and misdeliver, and reception can
correct it on the person's record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer

from clinic.dates import uk_long
from clinic.letters.document import PageDesign
from clinic.letters.fonts import BOLD, REGULAR, ensure_fonts
from clinic.letters.logo import logo_image
from clinic.letters.model import LetterBase, Letterhead, Recipient
from clinic.letters.styles import INK, MUTED, RULE, SIGNATURE, SIGNATURE_NAME, para

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

WINDOW_LEFT = 20 * mm
WINDOW_TOP = 50 * mm
WINDOW_WIDTH = 90 * mm
WINDOW_HEIGHT = 45 * mm
WINDOW_INSET_X = 5 * mm
WINDOW_INSET_Y = 4 * mm
ADDRESS_WIDTH = WINDOW_WIDTH - 2 * WINDOW_INSET_X
ADDRESS_SIZE = 10
ADDRESS_LEADING = 12.5
RETURN_SIZE = 6.5
#: The name and six address lines: what fits under the return line.
MAX_ADDRESS_LINES = 7

#: Reference and date sit beside the window, outside what the envelope shows.
ASIDE_LEFT = 125 * mm
BODY_TOP_FIRST = 105 * mm
BODY_TOP_LATER = 26 * mm
BODY_BOTTOM = 30 * mm
FOOTER_BASELINE = 20 * mm
FOOTER_WIDTH = 130 * mm
MAX_FOOTER_LINES = 3
LOGO_MAX = (60 * mm, 24 * mm)


def _y(from_top: float) -> float:
    return PAGE_HEIGHT - from_top


def address_lines(recipient: Recipient) -> list[str]:
    """The postal address as printed: blank lines dropped."""
    return [line.strip() for line in recipient.address_lines if line.strip()]


def return_line(head: Letterhead) -> str:
    return f"Return to: {head.return_address}"


def for_collection(recipient: Recipient) -> str | None:
    """Why the letter is held rather than posted, or None if it can go."""
    if recipient.no_post:
        return "Not to be posted \u2014 held at reception"
    if not address_lines(recipient):
        return "No postal address \u2014 do not post"
    return None


def check_letter(letter: LetterBase) -> None:
    """Raise ``ValueError`` for anything that would print wrongly."""
    ensure_fonts()
    recipient = letter.recipient
    if not recipient.name.strip():
        raise ValueError("The letter has no recipient name.")
    if not letter.reference.strip():
        raise ValueError("The letter has no reference.")
    if stringWidth(letter.reference, REGULAR, 10) > PAGE_WIDTH - MARGIN - ASIDE_LEFT:
        raise ValueError(f"The reference \u201c{letter.reference}\u201d is too long to print beside the address.")
    _check_address_fits([recipient.name.strip()] if for_collection(recipient)
                        else [recipient.name.strip(), *address_lines(recipient)])
    if stringWidth(return_line(letter.letterhead), REGULAR, RETURN_SIZE) > ADDRESS_WIDTH:
        raise ValueError("The return address is too long for the envelope window; shorten it in Settings.")
    if letter.letterhead.logo_png is not None and not recipient.discreet:
        logo_image(letter.letterhead.logo_png)
    if len(simpleSplit(letter.letterhead.footer, REGULAR, 7, FOOTER_WIDTH)) > MAX_FOOTER_LINES:
        raise ValueError("The confidentiality statement for the foot of letters is too long for "
                         f"{MAX_FOOTER_LINES} lines; shorten it in Settings.")


def _check_address_fits(lines: list[str]) -> None:
    if len(lines) > MAX_ADDRESS_LINES:
        raise ValueError(
            f"The address has {len(lines)} lines with the name, but the envelope window holds "
            f"{MAX_ADDRESS_LINES} (the name and {MAX_ADDRESS_LINES - 1} address lines). "
            "Combine some lines on the person's record.")
    for line in lines:
        if stringWidth(line, REGULAR, ADDRESS_SIZE) > ADDRESS_WIDTH:
            raise ValueError(
                f"The address line \u201c{line}\u201d is too long for the envelope window. "
                "Shorten it or split it over two lines on the person's record.")


def draw_letter_page(canvas: Canvas, letter: LetterBase, page: int, pages: int) -> None:
    """Dress page ``page`` of ``pages`` of ``letter`` (``PageDesign.draw``)."""
    head = letter.letterhead
    canvas.saveState()
    if page == 1:
        if letter.recipient.discreet:
            _shared(canvas, f"plain|{head.return_address}|{head.phone}", lambda c: _discreet_head(c, head))
        else:
            logo = hashlib.sha256(head.logo_png).hexdigest() if head.logo_png else ""
            _shared(canvas, f"head|{head.service_name}|{head.address_lines}|{head.phone}|{head.secure_email}|{logo}",
                    lambda c: _letterhead(c, head))
        _window(canvas, letter)
        _aside(canvas, letter)
        _shared(canvas, "folds", _fold_marks)
    else:
        _continuation_head(canvas, letter)
    _shared(canvas, f"footer|{head.footer}", lambda c: _footer(c, head.footer))
    _page_number(canvas, page, pages)
    canvas.restoreState()


def _shared(canvas: Canvas, key: str, draw: Callable[[Canvas], None]) -> None:
    """Draw what many pages repeat (letterhead, logo, footer) as a PDF form,
    once per document: a batch of 200 letters then carries it once, not
    200 times. The name comes from the content, so output stays stable."""
    name = "F" + hashlib.sha256(key.encode()).hexdigest()[:20]
    if not canvas.hasForm(name):
        canvas.beginForm(name)
        draw(canvas)
        canvas.endForm()
    canvas.doForm(name)


def _letterhead(canvas: Canvas, head: Letterhead) -> None:
    if head.logo_png is not None:
        image = logo_image(head.logo_png)
        width, height = image.getSize()
        scale = min(LOGO_MAX[0] / width, LOGO_MAX[1] / height)
        canvas.drawImage(image, MARGIN, _y(14 * mm) - height * scale, width * scale, height * scale,
                         mask="auto")
    right = PAGE_WIDTH - MARGIN
    size = 13.0
    while size > 9 and stringWidth(head.service_name, BOLD, size) > 100 * mm:
        size -= 0.5
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, size)
    canvas.drawRightString(right, _y(18 * mm), head.service_name)
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    lines = [*head.address_lines[:4], f"Telephone {head.phone}"]
    if head.secure_email:
        lines.append(f"Secure email {head.secure_email}")
    for i, line in enumerate(lines):
        canvas.drawRightString(right, _y(24 * mm + i * 3.9 * mm), line)


def _discreet_head(canvas: Canvas, head: Letterhead) -> None:
    """A plain return address and phone number: no name, logo or email."""
    right = PAGE_WIDTH - MARGIN
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    lines = [*simpleSplit(head.return_address, REGULAR, 8.5, 80 * mm), f"Telephone {head.phone}"]
    for i, line in enumerate(lines):
        canvas.drawRightString(right, _y(18 * mm + i * 3.9 * mm), line)


def _window(canvas: Canvas, letter: LetterBase) -> None:
    x = WINDOW_LEFT + WINDOW_INSET_X
    top = WINDOW_TOP + WINDOW_INSET_Y
    canvas.setFont(REGULAR, RETURN_SIZE)
    canvas.setFillColor(MUTED)
    canvas.drawString(x, _y(top + RETURN_SIZE), return_line(letter.letterhead))
    canvas.setFillColor(INK)
    first = top + RETURN_SIZE + 4 * mm + ADDRESS_SIZE
    canvas.setFont(REGULAR, ADDRESS_SIZE)
    canvas.drawString(x, _y(first), letter.recipient.name.strip())
    held = for_collection(letter.recipient)
    if held is None:
        for i, line in enumerate(address_lines(letter.recipient), start=1):
            canvas.drawString(x, _y(first + i * ADDRESS_LEADING), line)
        return
    box_top = first + 0.6 * ADDRESS_LEADING
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.2)
    canvas.rect(x - 1.5 * mm, _y(box_top + 13 * mm), ADDRESS_WIDTH + 1.5 * mm, 13 * mm)
    canvas.setFont(BOLD, 13)
    canvas.drawString(x, _y(box_top + 6 * mm), "FOR COLLECTION")
    canvas.setFont(REGULAR, 9)
    canvas.drawString(x, _y(box_top + 10.5 * mm), held)


def _aside(canvas: Canvas, letter: LetterBase) -> None:
    rows = (("Our reference", letter.reference), ("Date", uk_long(letter.date)))
    top = WINDOW_TOP + WINDOW_INSET_Y + 4 * mm
    for i, (label, value) in enumerate(rows):
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(ASIDE_LEFT, _y(top + i * 11 * mm), label)
        canvas.setFont(REGULAR, 10)
        canvas.setFillColor(INK)
        canvas.drawString(ASIDE_LEFT, _y(top + i * 11 * mm + 4.5 * mm), value)


def _fold_marks(canvas: Canvas) -> None:
    """Short ticks at the thirds of the page, for folding by hand."""
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    for from_top in (99 * mm, 198 * mm):
        canvas.line(5 * mm, _y(from_top), 9 * mm, _y(from_top))


def _continuation_head(canvas: Canvas, letter: LetterBase) -> None:
    """Later pages carry who, which letter and when: a loose page is still identifiable."""
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, _y(15 * mm), f"{letter.recipient.name} \u00b7 Our reference {letter.reference}"
                      f" \u00b7 {uk_long(letter.date)}")
    if not letter.recipient.discreet:
        canvas.drawRightString(PAGE_WIDTH - MARGIN, _y(15 * mm), letter.letterhead.service_name)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, _y(17.5 * mm), PAGE_WIDTH - MARGIN, _y(17.5 * mm))


def _footer(canvas: Canvas, statement: str) -> None:
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER_BASELINE + 4.5 * mm, PAGE_WIDTH - MARGIN, FOOTER_BASELINE + 4.5 * mm)
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(MUTED)
    for i, line in enumerate(simpleSplit(statement, REGULAR, 7, FOOTER_WIDTH)):
        canvas.drawString(MARGIN, FOOTER_BASELINE - i * 8.5, line)


def _page_number(canvas: Canvas, page: int, pages: int) -> None:
    canvas.setFont(BOLD, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, FOOTER_BASELINE, f"Page {page} of {pages}")


LETTER_PAGES = PageDesign(
    key="letter",
    pagesize=A4,
    first_frame=(MARGIN, BODY_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - BODY_TOP_FIRST - BODY_BOTTOM),
    later_frame=(MARGIN, BODY_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - BODY_TOP_LATER - BODY_BOTTOM),
    draw=draw_letter_page,
)


def greeting(letter: LetterBase) -> Flowable:
    return para(f"Dear {letter.recipient.name.strip()},")


def signed(letter: LetterBase, *last: Flowable) -> KeepTogether:
    """The closing paragraphs kept on one page with the signature, so a
    signature never stands alone on a page of its own.

    Discreet letters give the name only: a role can say what the service is.
    """
    who = letter.signatory
    lines: list[Flowable] = [*last, para("Yours sincerely,"), Spacer(1, 12 * mm), para(who.name, SIGNATURE_NAME)]
    if not letter.recipient.discreet:
        lines += [para(line, SIGNATURE) for line in (who.role, who.registration) if line.strip()]
    return KeepTogether(lines)


# -- pages handed over in person (the safe-storage advice leaflet) --------------

#: A handout has no envelope window: its text starts below the letterhead.
HANDOUT_BODY_TOP = 50 * mm


def check_handout(letter: LetterBase) -> None:
    """``check_letter`` for a page handed over, never posted: no address is
    printed, so none is checked."""
    ensure_fonts()
    if not letter.recipient.name.strip():
        raise ValueError("Say who the handout is for: the name is missing.")
    if not letter.reference.strip():
        raise ValueError("The handout has no reference.")
    if letter.letterhead.logo_png is not None and not letter.recipient.discreet:
        logo_image(letter.letterhead.logo_png)


def draw_handout_page(canvas: Canvas, letter: LetterBase, page: int, pages: int) -> None:
    """The letter page without the window and fold marks: the letterhead
    (plain for a discreet person) with our reference and date beneath it."""
    head = letter.letterhead
    canvas.saveState()
    if page == 1:
        if letter.recipient.discreet:
            _shared(canvas, f"plain|{head.return_address}|{head.phone}", lambda c: _discreet_head(c, head))
        else:
            logo = hashlib.sha256(head.logo_png).hexdigest() if head.logo_png else ""
            _shared(canvas, f"head|{head.service_name}|{head.address_lines}|{head.phone}|{head.secure_email}|{logo}",
                    lambda c: _letterhead(c, head))
        canvas.setFont(REGULAR, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, _y(HANDOUT_BODY_TOP - 5 * mm),
                          f"Our reference {letter.reference} \u00b7 {uk_long(letter.date)}")
    else:
        _continuation_head(canvas, letter)
    # No confidentiality statement: it asks for the page to be returned
    # unopened, which makes no sense on a sheet handed over in person.
    _shared(canvas, "footer|", lambda c: _footer(c, ""))
    _page_number(canvas, page, pages)
    canvas.restoreState()


HANDOUT_PAGES = PageDesign(
    key="handout",
    pagesize=A4,
    first_frame=(MARGIN, BODY_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - HANDOUT_BODY_TOP - BODY_BOTTOM),
    later_frame=(MARGIN, BODY_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - BODY_TOP_LATER - BODY_BOTTOM),
    draw=draw_handout_page,
)
