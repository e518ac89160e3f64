"""Letters and printed sheets: frozen dataclasses in, PDF bytes out.

No database and no Qt: services gather the data, this package lays it out.

    from clinic.letters import render, render_batch
    pdf = render(AppointmentConfirmation(...))            # one letter
    result = render_batch(letters, on_progress=..., should_cancel=...)
    result.pdf                                            # print this
    for letter in result.letters: file(letter.pdf, letter.sha256)
    for failure in result.failures: tell(failure.label, failure.message)

A new template is a module with a frozen ``LetterBase`` subclass, a
``body(letter) -> list[Flowable]`` and ``register(Template(...))``; see
``docs/letters/README.md``.
"""

from clinic.letters.batch import BatchResult, Failure, Rendered
from clinic.letters.layout import greeting, signed
from clinic.letters.model import LetterBase, Letterhead, Recipient, Signatory
from clinic.letters.registry import REGISTRY, Registry, Template, register, render, render_batch
from clinic.letters import templates  # noqa: E402,I001 - registers the built-in templates

__all__ = [
    "REGISTRY", "BatchResult", "Failure", "LetterBase", "Letterhead", "Recipient", "Registry", "Rendered",
    "Signatory", "Template", "greeting", "register", "render", "render_batch", "signed", "templates",
]
