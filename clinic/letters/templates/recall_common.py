"""What the two recall letters to the person share ("your next appointment
is due", "please come back to see us"): a heading, the service's own
paragraphs, and a check that nothing in them says what the appointment is
for.

These letters are opened by other people in the household. DESIGN §3–§4:
a recall never names a vaccine, a virus, a test or its result, a drug or
the service's purpose. The data builders (``clinic.services.vaccination.courses``,
``clinic.services.bbv``) word them discreetly; the check here refuses to
print one that is not, whoever wrote the words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.platypus import Flowable

from clinic.letters.layout import check_letter, greeting, signed
from clinic.letters.model import LetterBase
from clinic.letters.styles import STRONG, para

#: Word starts (and whole short words) a recall must never print.
_REVEALING = re.compile(
    r"\b(vaccin\w*|immuni[sz]\w*|jabs?|inject\w*|booster\w*|doses?|hepatitis|hep\.? ?[abc]|hiv|aids|syphilis"
    r"|viru\w*|viral|bbvs?|blood\w*|drugs?|substance\w*|methadone|buprenorphine|opioid\w*|opiate\w*"
    r"|treatment\w*|results?|test\w*|positive|negative|diagnos\w*|infect\w*|harm reduction|needles?"
    r"|sexual\w*|stis?|stds?|liver|prescri\w*|alcohol|overdose\w*)\b",
    re.IGNORECASE)


def revealing_words(text: str) -> list[str]:
    """The words in ``text`` that say what the appointment is for."""
    return [m.group(0) for m in _REVEALING.finditer(text)]


def check_recall(letter: LetterBase, heading: str, paragraphs: Sequence[str]) -> None:
    check_letter(letter)
    if not any(text.strip() for text in paragraphs):
        raise ValueError("The letter has no text.")
    for text in (heading, *paragraphs):
        found = revealing_words(text)
        if found:
            raise ValueError(
                f"This letter goes to the person's home and must not say what the appointment is for, "
                f"but it says “{found[0]}”. Reword it without naming the test, result, vaccine or medicine.")


def recall_body(letter: LetterBase, heading: str, paragraphs: Sequence[str]) -> list[Flowable]:
    texts = [text.strip() for text in paragraphs if text.strip()]
    return [
        greeting(letter),
        para(heading, STRONG),
        *(para(text) for text in texts[:-1]),
        signed(letter, para(texts[-1])),
    ]
