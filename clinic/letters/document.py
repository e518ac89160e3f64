"""Lay out one or many documents as one PDF, in a single reportlab pass.

A batch of 200 letters is one document with each letter starting on a new
page, so the fonts are embedded once and the run costs a fraction of 200
separate letters (``bench/letters_bench.py``). Each letter still numbers its own pages ("Page 2 of
3"): pages are held back until the end, when every letter's length is
known, and only then dressed (letterhead, address, footer) by the letter's
``PageDesign``.
"""

from __future__ import annotations

import gc
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak,
                                PageTemplate)

from clinic.letters.fonts import ensure_fonts

#: x, y, width, height in points, from the bottom-left corner of the page.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageDesign:
    """How the pages of one kind of document are dressed around the text."""

    key: str
    pagesize: tuple[float, float]
    #: Where the body text runs on the first page, and on every later page.
    first_frame: Box
    later_frame: Box
    #: ``draw(canvas, data, page, pages)`` paints everything that is not
    #: body text, once the document's page count is known.
    draw: Callable[[Canvas, Any, int, int], None]


@dataclass(frozen=True)
class Part:
    """One document in a run: its data, its pages, its body text."""

    data: Any
    design: PageDesign
    body: Sequence[Flowable]


class Cancelled(Exception):
    """Raised by an ``on_start`` callback to abandon the run."""


def build(parts: Sequence[Part], *, title: str,
          on_start: Callable[[int], None] | None = None) -> tuple[bytes, list[int]]:
    """The PDF of every part in order, and how many pages each took.

    ``on_start(i)`` is called as part ``i`` begins to be laid out; it may
    raise ``Cancelled``. Output is byte-stable for the same input.
    """
    if not parts:
        raise ValueError("Nothing to print: no letters were given.")
    ensure_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=parts[0].design.pagesize, invariant=1, title=title,
                          author="", creator="Harbour", subject="", pageCompression=1)
    doc.addPageTemplates(_page_templates(parts))
    made: list[_HeldPagesCanvas] = []

    def canvasmaker(*args: Any, **kwargs: Any) -> _HeldPagesCanvas:
        made.append(_HeldPagesCanvas(parts, *args, **kwargs))
        return made[-1]

    with _collector_paused():
        doc.build(_story(parts, on_start), canvasmaker=canvasmaker)
    counts = Counter(made[-1].owners)
    return buffer.getvalue(), [counts[i] for i in range(len(parts))]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector off while reportlab lays out.

    A 200-letter batch makes millions of short-lived objects, so the
    collector ran thousands of times mid-layout, each time walking the
    application's long-lived objects too: 10-25% of the batch's layout
    (issue 21). Reference counting still frees nearly everything; the few
    cycles wait until the layout ends (about 1 MB for 200 letters). Left
    off if something else had turned it off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _page_templates(parts: Sequence[Part]) -> list[PageTemplate]:
    """Two templates (first page, later pages) per design, the first part's first."""
    designs = list({part.design.key: part.design for part in parts}.values())
    templates = []
    for design in designs:
        templates.append(PageTemplate(f"{design.key}-first", [_frame(design.first_frame)],
                                      pagesize=design.pagesize, autoNextPageTemplate=f"{design.key}-later"))
        templates.append(PageTemplate(f"{design.key}-later", [_frame(design.later_frame)],
                                      pagesize=design.pagesize))
    return templates


def _frame(box: Box) -> Frame:
    x, y, width, height = box
    return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def _story(parts: Sequence[Part], on_start: Callable[[int], None] | None) -> list[Flowable]:
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story += [NextPageTemplate(f"{part.design.key}-first"), PageBreak()]
        story.append(_Start(index, on_start))
        story += part.body
    return story


class _Start(Flowable):
    """Invisible mark where a part begins: tells the canvas who owns the pages."""

    def __init__(self, index: int, on_start: Callable[[int], None] | None) -> None:
        super().__init__()
        self.index = index
        self.on_start = on_start

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        if self.on_start is not None:
            self.on_start(self.index)
        self.canv.owner = self.index  # type: ignore[attr-defined]


class _HeldPagesCanvas(Canvas):
    """Holds every page until ``save`` so each can say "Page n of N"."""

    def __init__(self, parts: Sequence[Part], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        self.owner = 0
        self.owners: list[int] = []
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self.owners.append(self.owner)
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's private page reset, absent from its stubs

    def save(self) -> None:
        pages = Counter(self.owners)
        seen: Counter[int] = Counter()
        for owner, state in zip(self.owners, self._held, strict=True):
            self.__dict__.update(state)
            seen[owner] += 1
            part = self.parts[owner]
            part.design.draw(self, part.data, seen[owner], pages[owner])
            super().showPage()
        super().save()


def split(pdf: bytes, pages: Sequence[int]) -> Iterator[bytes]:
    """Cut a combined PDF back into one PDF per part (``pages`` from ``build``),
    so a batch is laid out once and each letter is still filed on its own.

    Every stream is copied as it was compressed in the batch, never
    decompressed and compressed again: a copy's pages are byte for byte the
    printed ones, and re-compressing the embedded fonts in each of 200
    copies was most of a batch's cutting time (1.1 s of 1.3 s,
    ``bench/letters_bench.py``). qpdf (through pikepdf) does the copying;
    ``deterministic_id`` keeps each copy byte-stable for the same input.
    """
    import pikepdf  # only batches need it; keeps start-up fast

    with pikepdf.Pdf.open(io.BytesIO(pdf)) as source:
        start = 0
        for count in pages:
            with pikepdf.Pdf.new() as one:
                one.pages.extend(source.pages[start:start + count])
                out = io.BytesIO()
                one.save(out, deterministic_id=True, compress_streams=False,
                         stream_decode_level=pikepdf.StreamDecodeLevel.none)
            yield out.getvalue()
            start += count
