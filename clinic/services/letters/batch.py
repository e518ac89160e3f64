"""A batch of letters (recalls, the probation worklist's letters due): each
drafted, rendered on a worker, then filed together in one pass; if one cannot
be filed, they are filed one by one instead, so that one is named and the
rest still land."""

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
    """File the batch in one pass (``filing.file_letters``); if any letter
    cannot be filed, file each on its own instead, so the one that cannot is
    reported by name and the others still land (each in its own savepoint)."""
    try:
        with uow.session.begin_nested():
            filed = [f.letter for f in filing.file_letters(uow, actor, [
                filing.rendered(uow, actor, item.person_id, item.letter_type, item.pdf, disposition,
                                reference=item.reference) for item in letters_])]
    except (ValueError, PermissionDenied):
        return _one_by_one(uow, actor, letters_, disposition)
    return _batch_filed(filed, ())


def _one_by_one(uow: UnitOfWork, actor: Actor, letters_: Sequence[ToFile], disposition: str) -> BatchFiled:
    filed, failures = [], []
    for item in letters_:
        try:
            with uow.session.begin_nested():
                result = filing.file_rendered(uow, actor, item.person_id, item.letter_type, item.pdf, disposition,
                                              reference=item.reference)
        except (ValueError, PermissionDenied) as exc:
            failures.append((item.label, str(exc)))
        else:
            filed.append(result.letter)
    return _batch_filed(filed, failures)


def _batch_filed(filed: Sequence[filing.LetterSummary], failures: Sequence[tuple[str, str]]) -> BatchFiled:
    people = frozenset(f.person_id for f in filed if f.person_id is not None)
    return BatchFiled(tuple(filed), tuple(failures), Changes(frozenset({Area.LETTERS}), people))
