"""Alcohol screening: AUDIT-C and the full AUDIT (seed 000 §6, DESIGN.md §4–§5).

AUDIT-C is questions 1–3 of the AUDIT, each scored 0–4 (total 0–12,
positive at 5 or more). The full AUDIT is ten questions: 1–8 score 0–4,
9 and 10 score only 0, 2 or 4 (total 0–40). Zones: 1 lower risk (0–7),
2 increasing risk (8–15), 3 higher risk (16–19), 4 possible dependence
(20+). Anything impossible — a wrong number of answers, an answer out of
range, a score no questionnaire can give — is a ``ValueError``, never a
quietly clamped number.

The wording is the UK version (units, not "drinks"), as the nurse reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

AUDIT_C_POSITIVE_FROM = 5
AUDIT_C_MAX = 12
AUDIT_MAX = 40
FIRST_EIGHT = (0, 1, 2, 3, 4)
LAST_TWO = (0, 2, 4)

#: (lower bound, zone, label); a score falls in the last zone whose bound it reaches.
ZONES = ((0, 1, "Lower risk"), (8, 2, "Increasing risk"), (16, 3, "Higher risk"), (20, 4, "Possible dependence"))
ZONE_LABELS = {zone: label for _, zone, label in ZONES}

_FREQUENCY = ("Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily")
_INJURY = ("No", "Yes, but not in the last year", "Yes, during the last year")

#: (question, ((score, answer), ...)) for questions 1–10.
QUESTIONS: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = (
    ("How often do you have a drink containing alcohol?",
     tuple(enumerate(("Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week",
                      "4 or more times a week")))),
    ("How many units of alcohol do you drink on a typical day when you are drinking?",
     tuple(enumerate(("0 to 2", "3 to 4", "5 to 6", "7 to 9", "10 or more")))),
    ("How often have you had 6 or more units if female, or 8 or more if male, on a single occasion "
     "in the last year?", tuple(enumerate(_FREQUENCY))),
    ("How often during the last year have you found that you were not able to stop drinking once you "
     "had started?", tuple(enumerate(_FREQUENCY))),
    ("How often during the last year have you failed to do what was normally expected from you because "
     "of your drinking?", tuple(enumerate(_FREQUENCY))),
    ("How often during the last year have you needed an alcoholic drink in the morning to get yourself "
     "going after a heavy drinking session?", tuple(enumerate(_FREQUENCY))),
    ("How often during the last year have you had a feeling of guilt or remorse after drinking?",
     tuple(enumerate(_FREQUENCY))),
    ("How often during the last year have you been unable to remember what happened the night before "
     "because you had been drinking?", tuple(enumerate(_FREQUENCY))),
    ("Have you or somebody else been injured as a result of your drinking?",
     tuple(zip(LAST_TWO, _INJURY, strict=True))),
    ("Has a relative or friend, doctor or other health worker been concerned about your drinking or "
     "suggested that you cut down?", tuple(zip(LAST_TWO, _INJURY, strict=True))),
)


def _checked(answers: Sequence[int], count: int, name: str) -> list[int]:
    values = list(answers)
    if len(values) != count:
        raise ValueError(f"{name} has {count} questions; {len(values)} answers were given.")
    for number, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"Question {number}: the answer must be a score, not {value!r}.")
        allowed = FIRST_EIGHT if number <= 8 else LAST_TWO
        if value not in allowed:
            raise ValueError(f"Question {number} scores {', '.join(map(str, allowed))}; {value} is not possible.")
    return values


def _score(score: int, maximum: int, name: str) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= maximum:
        raise ValueError(f"An {name} score is a whole number from 0 to {maximum}; {score!r} is not possible.")
    return score


def audit_c_score(answers: Sequence[int]) -> int:
    """The AUDIT-C total (0–12) of three answers, each 0–4."""
    return sum(_checked(answers, 3, "AUDIT-C"))


def audit_c_positive(score: int) -> bool:
    """A positive screen (5 or more): go on to the full AUDIT."""
    return _score(score, AUDIT_C_MAX, "AUDIT-C") >= AUDIT_C_POSITIVE_FROM


def audit_score(answers: Sequence[int]) -> int:
    """The full AUDIT total (0–40): questions 1–8 score 0–4, 9 and 10 score 0, 2 or 4."""
    return sum(_checked(answers, 10, "The AUDIT"))


def audit_zone(score: int) -> int:
    """The AUDIT zone, 1–4 (0–7, 8–15, 16–19, 20+)."""
    _score(score, AUDIT_MAX, "AUDIT")
    return next(zone for bound, zone, _ in reversed(ZONES) if score >= bound)
