"""Letter templates by key, and rendering: one letter, or a batch to print.

A template is a key, a title, the frozen dataclass it takes and a function
from that data to the body text (reportlab flowables); the page around the
text (letterhead, address window, footer) comes from its ``PageDesign``.
A letter is rendered by the template registered for its data class.

Batches are run by ``clinic.letters.batch``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from clinic.letters.batch import BatchResult, Progress, run_batch
from clinic.letters.document import PageDesign, Part, build
from clinic.letters.fonts import ensure_fonts
from clinic.letters.layout import LETTER_PAGES, check_letter


@dataclass(frozen=True)
class Template:
    #: Stored with every filed letter: never change a key once used.
    key: str
    #: What staff see: "Appointment confirmation".
    title: str
    #: Who may file and read it (``clinic.services.letters.filing.CATEGORY_PERMISSION``).
    category: str
    data_class: type
    #: The body text, from salutation to signature.
    body: Callable[[Any], list[Flowable]]
    #: Raises ``ValueError`` for data that would print wrongly, before layout.
    check: Callable[[Any], None] = check_letter
    pages: PageDesign = LETTER_PAGES

    @property
    def pdf_title(self) -> str:
        """The title a PDF viewer shows. Letters to or about a person say only
        "Letter": a saved "Vaccination recall" would tell anyone glancing at
        the screen or the file what the person comes to the service for."""
        return "Letter" if self.category in ("appointment", "clinical") else self.title


class Registry:
    """Templates by key and by data class. ``REGISTRY`` holds the application's;
    a test may build its own."""

    def __init__(self) -> None:
        self._by_key: dict[str, Template] = {}
        self._by_class: dict[type, Template] = {}

    def register(self, template: Template) -> Template:
        """Add ``template``; a key or data class used twice is a mistake."""
        if template.key in self._by_key:
            raise ValueError(f"A letter template with key {template.key!r} is already registered.")
        if template.data_class in self._by_class:
            raise ValueError(f"{template.data_class.__name__} already has a letter template "
                             f"({self._by_class[template.data_class].key!r}).")
        self._by_key[template.key] = template
        self._by_class[template.data_class] = template
        return template

    def get(self, key: str) -> Template:
        try:
            return self._by_key[key]
        except KeyError:
            raise ValueError(f"There is no letter template {key!r}.") from None

    def for_data(self, data: object) -> Template:
        try:
            return self._by_class[type(data)]
        except KeyError:
            raise ValueError(f"There is no letter template for {type(data).__name__}.") from None

    def __iter__(self) -> Iterator[Template]:
        return iter(self._by_key.values())

    def render(self, data: object) -> bytes:
        """The PDF of one letter; ``ValueError`` if its data cannot be printed."""
        part = self._part(data)
        pdf, _ = build([part], title=self.for_data(data).pdf_title)
        return pdf

    def render_batch(self, letters: Sequence[object], *, on_progress: Progress | None = None,
                     should_cancel: Callable[[], bool] | None = None) -> BatchResult:
        """One PDF of all the letters that could be made, and each letter's own PDF.

        ``on_progress(done, total)`` counts steps for a progress bar (two per
        letter: laying it out, then cutting its filed copy). ``should_cancel``
        is asked between letters; if it says yes, nothing is returned to
        print or file (``cancelled=True``).
        """
        return run_batch(letters, self._part, self.for_data, on_progress=on_progress,
                         should_cancel=should_cancel)

    def _part(self, data: object) -> Part:
        template = self.for_data(data)
        ensure_fonts()  # paragraph styles name the fonts as they are built
        template.check(data)
        return Part(data, template.pages, template.body(data))


REGISTRY = Registry()
register = REGISTRY.register
render = REGISTRY.render
render_batch = REGISTRY.render_batch
