"""A batch of letters: one PDF to print, and each letter's own PDF to file.

The batch is laid out as one document, so fonts are embedded once and 200
letters print as one job; each letter's pages are then cut out of it
(``document.split``), so the filed copy is exactly the pages that were
printed. A letter that cannot be made is reported by its label and left out;
the rest print.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clinic.letters.document import Cancelled, Part, build, split

if TYPE_CHECKING:
    from clinic.letters.registry import Template

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rendered:
    """One letter of a batch, ready to file."""

    data: Any
    template: Template
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True)
class Failure:
    """A letter left out of a batch, and why, in words for staff."""

    data: Any
    label: str
    message: str


@dataclass(frozen=True)
class BatchResult:
    #: Every letter that could be made, in the order given, for printing;
    #: None if none could be made or the batch was cancelled.
    pdf: bytes | None
    letters: tuple[Rendered, ...] = ()
    failures: tuple[Failure, ...] = ()
    cancelled: bool = False


@dataclass(frozen=True)
class _Item:
    index: int
    data: Any
    part: Part


def run_batch(letters: Sequence[object], prepare: Callable[[object], Part],
              template_of: Callable[[object], Template], *, on_progress: Progress | None = None,
              should_cancel: Callable[[], bool] | None = None) -> BatchResult:
    """See ``Registry.render_batch``; ``prepare`` checks a letter and builds its body."""
    steps = _Steps(2 * len(letters), on_progress, should_cancel)
    failures: list[tuple[int, Failure]] = []
    try:
        items = _prepare(letters, prepare, steps, failures)
        try:
            pdf, pages = _lay_out(items, template_of, steps) if items else (b"", [])
        except Cancelled:
            raise
        except Exception:
            items = _printable_alone(items, prepare, steps, failures)
            pdf, pages = _lay_out(items, template_of, steps) if items else (b"", [])
        rendered = _cut(pdf, items, pages, template_of, steps)
    except Cancelled:
        return BatchResult(None, cancelled=True)
    failed = tuple(failure for _, failure in sorted(failures, key=lambda pair: pair[0]))
    return BatchResult(pdf or None, rendered, failed)


def _prepare(letters: Sequence[object], prepare: Callable[[object], Part], steps: _Steps,
             failures: list[tuple[int, Failure]]) -> list[_Item]:
    items = []
    for index, data in enumerate(letters):
        steps.check()
        try:
            items.append(_Item(index, data, prepare(data)))
        except Exception as exc:  # reported by name, never swallowed
            failures.append((index, _failure(data, exc)))
            steps.advance(2)
    return items


def _lay_out(items: list[_Item], template_of: Callable[[object], Template],
             steps: _Steps) -> tuple[bytes, list[int]]:
    titles = {template_of(item.data).pdf_title for item in items}
    title = titles.pop() if len(titles) == 1 else "Letters"
    return build([item.part for item in items], title=title, on_start=lambda _: steps.advance(1))


def _printable_alone(items: list[_Item], prepare: Callable[[object], Part], steps: _Steps,
                     failures: list[tuple[int, Failure]]) -> list[_Item]:
    """The batch failed in layout: find the letters that fail on their own.

    Slow (every letter is laid out twice), but only after something went
    wrong; reportlab flowables are used up by a layout, so bodies are rebuilt.
    """
    good = []
    for item in items:
        steps.check()
        try:
            build([prepare(item.data)], title="")
        except Exception as exc:
            failures.append((item.index, _failure(item.data, exc)))
        else:
            good.append(_Item(item.index, item.data, prepare(item.data)))
    steps.done = 2 * len(failures)
    return good


def _cut(pdf: bytes, items: list[_Item], pages: list[int], template_of: Callable[[object], Template],
         steps: _Steps) -> tuple[Rendered, ...]:
    """Each letter's pages as a PDF of its own, for filing."""
    if not items:
        return ()
    rendered = []
    for item, count, one in zip(items, pages, split(pdf, pages), strict=True):
        steps.check()
        rendered.append(Rendered(item.data, template_of(item.data), one, count))
        steps.advance(1)
    return tuple(rendered)


class _Steps:
    """Progress and cancel, asked at every step of a batch."""

    def __init__(self, total: int, on_progress: Progress | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        self.total = total
        self.done = 0
        self.on_progress = on_progress
        self.should_cancel = should_cancel

    def check(self) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise Cancelled

    def advance(self, n: int) -> None:
        self.check()
        self.done += n
        if self.on_progress is not None:
            self.on_progress(min(self.done, self.total), self.total)


def _failure(data: object, exc: Exception) -> Failure:
    label = getattr(data, "label", type(data).__name__)
    if isinstance(exc, ValueError):
        return Failure(data, label, str(exc))
    return Failure(data, label, f"It could not be made ({type(exc).__name__}: {exc}).")
