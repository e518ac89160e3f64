"""The clinical vocabulary: words that must never reach Probation (DESIGN.md §3).

Free text typed for a probation letter (an absence reason, the evidence
seen, an engagement summary) is checked here before it is saved or printed.
A deny-list of exact spellings misses the forms people type (review M1:
"Hep-C", "H.I.V.", "On Suboxone 8mg", "Had his jabs"), so the text is first
normalised — case and accents folded, punctuation and spacing ignored,
dotted or spaced initials joined ("H.I.V.", "h i v" → "hiv"), digits cut off
a unit ("8mg" → "mg") — and then matched against three lists: whole words,
word starts (stems, which catch plurals, misspellings and derived forms) and
phrases. The words found are reported as they were typed, so a screen can
highlight them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from clinic.errors import Refused

#: Whole words (after folding): abbreviations, short names and units.
WORDS = frozenset({
    # blood-borne viruses and sexual health
    "hiv", "aids", "hcv", "hbv", "hav", "bbv", "bbvs", "hep", "hepa", "hepb", "hepc", "sti", "stis", "std", "stds",
    "prep", "pep", "arv", "arvs", "haart", "cd4", "dbs", "reactive", "herpes", "hpv",
    # vaccination
    "jab", "jabs", "jabbed", "booster", "boosters",
    # opioid substitution and overdose
    "ost", "oat", "mat", "script", "scripts", "dose", "doses", "dosed", "dosing", "od", "mg", "mcg", "ml",
    "bupe", "subbies", "narcan", "nyxoid", "prenoxad",
    # other clinical detail
    "liver", "bloods", "psychosis", "adhd", "ptsd",
})

#: Word starts: a folded word beginning with one of these is clinical.
STEMS = (
    "hepat", "hepit", "hepet", "hiv", "retrovir", "antiretrovir", "syphil", "chlamyd", "gonorr", "gonor",
    "vaccin", "vacin", "vaxx", "immunis", "immuniz", "innocul", "inocul", "engerix", "twinrix", "fendrix",
    "methad", "metad", "methed", "bupren", "buprin", "subox", "subut", "espranor", "buvidal", "physept",
    "naloxon", "nalox", "overdos", "prescri", "pharmac", "medicat", "inject", "needle",
    "diagnos", "pregnan", "antenatal", "psychiatr", "schizo", "bipolar", "depress", "antidepress", "sectioned",
    "fibroscan", "cirrho", "hepatol", "virolog", "serolog", "safeguard",
)

#: Phrases, as sequences of folded words.
PHRASES = tuple(tuple(p.split()) for p in (
    "hep a", "hep b", "hep c", "hepatitis a", "hepatitis b", "hepatitis c", "blood test", "blood tests",
    "blood borne", "blood result", "blood results", "viral load", "sexual health",
    "mental health", "liver clinic", "gum clinic", "drug treatment", "opioid substitution", "supervised consumption",
    "dried blood", "positive for", "tested positive", "came back positive", "came back reactive",
))

_TOKEN = re.compile(r"[^\W_]+")
_JOINABLE_GAP = re.compile(r"[\s.\-/]{0,2}")


class ClinicalWordsFound(Refused):
    """Free text for Probation names clinical detail; ``words`` are the
    offending words as typed, for the screen to highlight."""

    def __init__(self, message: str, field: str | None, words: tuple[str, ...]) -> None:
        super().__init__(message, field=field)
        self.words = words


def find(text: str) -> tuple[str, ...]:
    """The clinical words and phrases in ``text``, as typed, in order."""
    tokens = _join_initials(text, [(m.start(), m.end(), _fold(m.group())) for m in _TOKEN.finditer(text)])
    words = [w.lstrip("0123456789") or w for _, _, w in tokens]
    spans: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        if word in WORDS or word.startswith(STEMS):
            spans.append((tokens[i][0], tokens[i][1]))
    for phrase in PHRASES:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == phrase:
                spans.append((tokens[i][0], tokens[i + n - 1][1]))
    return tuple(text[s:e] for s, e in _merged(spans))


def check(text: str, *, field: str, label: str) -> str:
    """Refuse ``text`` if it names clinical detail; ``label`` says which text
    ("The absence reason"). Returns the text unchanged when it is clean."""
    found = find(text)
    if found:
        quoted = ", ".join(f'"{w}"' for w in found)
        raise ClinicalWordsFound(f"{label} mentions {quoted}. Clinical details are never shared with Probation: "
                                 "describe attendance and engagement only.", field, found)
    return text


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_initials(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join runs of single letters ("H.I.V.", "h i v") into one word."""
    out: list[tuple[int, int, str]] = []
    for start, end, word in tokens:
        if (len(word) == 1 and word.isalpha() and out and out[-1][2].isalpha()
                and _single_run(out[-1], text) and _JOINABLE_GAP.fullmatch(text[out[-1][1]:start])):
            prev = out.pop()
            out.append((prev[0], end, prev[2] + word))
        else:
            out.append((start, end, word))
    return out


def _single_run(token: tuple[int, int, str], text: str) -> bool:
    """True when the token is a single letter or joined single letters."""
    return all(len(part) == 1 for part in _TOKEN.findall(text[token[0]:token[1]]))


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
