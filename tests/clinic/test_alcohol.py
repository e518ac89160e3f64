"""Worked examples for clinic.alcohol (DESIGN.md §5)."""

from __future__ import annotations

import pytest

from clinic import alcohol


@pytest.mark.parametrize(("answers", "score", "positive"), [
    ((0, 0, 0), 0, False),
    ((2, 1, 1), 4, False),   # one below the threshold
    ((2, 2, 1), 5, True),    # the threshold itself
    ((4, 4, 4), 12, True),
])
def test_audit_c_worked_examples(answers: tuple[int, ...], score: int, positive: bool) -> None:
    assert alcohol.audit_c_score(answers) == score
    assert alcohol.audit_c_positive(score) is positive


@pytest.mark.parametrize("answers", [(1, 2), (1, 2, 3, 4), (5, 0, 0), (-1, 0, 0), (1.0, 0, 0), (True, 0, 0)])
def test_audit_c_refuses_impossible_answers(answers: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        alcohol.audit_c_score(answers)  # type: ignore[arg-type]


@pytest.mark.parametrize("score", [-1, 13, 4.5, True])
def test_audit_c_positive_refuses_impossible_scores(score: object) -> None:
    with pytest.raises(ValueError):
        alcohol.audit_c_positive(score)  # type: ignore[arg-type]


def test_full_audit_worked_example() -> None:
    # 3+2+2+1+1+0+1+1 = 11, Q9 "yes, last year" 4, Q10 "yes, not last year" 2
    answers = (3, 2, 2, 1, 1, 0, 1, 1, 4, 2)
    assert alcohol.audit_score(answers) == 17
    assert alcohol.audit_zone(17) == 3


def test_full_audit_extremes() -> None:
    assert alcohol.audit_score((0,) * 10) == 0
    assert alcohol.audit_score((4,) * 10) == 40


@pytest.mark.parametrize("answers", [
    (0,) * 9, (0,) * 11,
    (0, 0, 0, 0, 0, 0, 0, 0, 1, 0),  # Q9 scores only 0, 2 or 4
    (0, 0, 0, 0, 0, 0, 0, 0, 0, 3),  # Q10 likewise
    (5, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0, 0, -1, 0, 0),
])
def test_full_audit_refuses_impossible_answers(answers: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        alcohol.audit_score(answers)


@pytest.mark.parametrize(("score", "zone"), [(0, 1), (7, 1), (8, 2), (15, 2), (16, 3), (19, 3), (20, 4), (40, 4)])
def test_zone_boundaries(score: int, zone: int) -> None:
    assert alcohol.audit_zone(score) == zone


@pytest.mark.parametrize("score", [-1, 41, 10.0, False])
def test_zone_refuses_impossible_scores(score: object) -> None:
    with pytest.raises(ValueError):
        alcohol.audit_zone(score)  # type: ignore[arg-type]


def test_every_question_offers_exactly_the_scores_the_rule_accepts() -> None:
    assert len(alcohol.QUESTIONS) == 10
    for number, (_, options) in enumerate(alcohol.QUESTIONS, start=1):
        scores = tuple(s for s, _ in options)
        assert scores == (alcohol.FIRST_EIGHT if number <= 8 else alcohol.LAST_TWO)
