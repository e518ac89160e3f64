"""Recall letters in bulk from the nurse's worklists (UI-23): overdue doses,
anti-HBs checks and hepatitis C re-tests. Each letter is the discreet
"your next appointment is due" recall (``vaccination_recall``), naming no
vaccine, virus or result; it is drafted here for every chosen person and
printed and filed by the batch (held for collection for "no post" people).
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic.errors import Refused
from clinic.letters.templates.vaccination_recall import TEMPLATE
from clinic.permissions import Actor, Permission, require
from clinic.services.letters import batch as letter_batch
from clinic.services.letters import parts as letter_parts
from clinic.services.people.register import on_register
from clinic.services.vaccination.courses import recall_letter, vaccination_due_letter
from clinic.uow import UnitOfWork

LETTER = TEMPLATE.key
#: worklist key -> what the letter says (besides how to book), for lists whose
#: recall is not a planned dose; "overdue" takes the dose's own due date.
WORDING = {
    "anti_hbs": ("You are due a short follow-up appointment with our nurse.",
                 "It is important to come back so that the care you have started is completed."),
    "retests": ("You are due a follow-up appointment with our nurse.",
                "It is important to come back so that we can keep your care up to date."),
}
LISTS = ("overdue", *WORDING)


def recall_items(uow: UnitOfWork, actor: Actor, worklist: str,
                 person_ids: Sequence[int]) -> list[letter_batch.BatchItem]:
    """One drafted recall letter per person, in the order given."""
    require(actor, Permission.LETTER_CLINICAL)
    require(actor, Permission.BBV_READ if worklist == "retests" else Permission.VACCINATION_READ)
    if worklist not in LISTS:
        raise Refused("Recall letters are made from the overdue, anti-HBs and re-test lists.")
    if not person_ids:
        raise Refused("Choose the people to recall.")
    base = {"date": uow.clock.today(), "signatory": letter_parts.signatory(actor),
            "letterhead": letter_parts.letterhead(uow)}
    items = []
    for pid in dict.fromkeys(person_ids):
        person = on_register(uow, pid)
        if worklist == "overdue":
            paragraphs = vaccination_due_letter(uow, actor, pid).paragraphs
        else:
            paragraphs = recall_letter(uow, person, LETTER, WORDING[worklist], None).paragraphs
        data = letter_parts.build(TEMPLATE.data_class, base | {"reference": letter_parts.next_reference(uow, pid),
                                                          "recipient": letter_parts.recipient_for(person),
                                                          "paragraphs": paragraphs}, {})
        items.append(letter_batch.BatchItem(pid, data))
    return items
