"""A batch of letters (recalls, the probation worklist's letters due): each
drafted, rendered on a worker, then filed one by one, so one that cannot be
filed is named and the rest still land."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clinic.changes import Area, Changes
from clinic.permissions import Actor, PermissionDenied
from clinic.services.letters import filing
from clinic.uow import UnitOfWork


@dataclass(frozen=True)
class BatchItem:
    """One letter of a batch: whom it is about, and its drafted data."""

    person_id: int | None
    data: Any

    @property
    def label(self) -> str:
        return str(getattr(self.data, "label", type(self.data).__name__))


@dataclass(frozen=True)
class ToFile:
    person_id: int | None
    letter_type: str
    reference: str
    pdf: bytes
    label: str


@dataclass(frozen=True)
class BatchFiled:
    filed: tuple[filing.LetterSummary, ...]
    #: (label, message) for each letter that could not be filed.
    failures: tuple[tuple[str, str], ...]
    changes: Changes


def to_file(item: BatchItem, rendered: Any) -> ToFile:
    return ToFile(item.person_id, rendered.template.key, getattr(item.data, "reference", ""), rendered.pdf,
                  item.label)


def file_batch(uow: UnitOfWork, actor: Actor, letters_: Sequence[ToFile], disposition: str) -> BatchFiled:
    """File each letter on its own: one that cannot be filed is reported by
    name and the others still land (each in its own savepoint)."""
    filed, failures, people = [], [], set()
    for item in letters_:
        try:
            with uow.session.begin_nested():
                result = filing.file_rendered(uow, actor, item.person_id, item.letter_type, item.pdf, disposition,
                                       reference=item.reference)
        except (ValueError, PermissionDenied) as exc:
            failures.append((item.label, str(exc)))
        else:
            filed.append(result.letter)
            if item.person_id is not None:
                people.add(item.person_id)
    return BatchFiled(tuple(filed), tuple(failures), Changes(frozenset({Area.LETTERS}), frozenset(people)))
