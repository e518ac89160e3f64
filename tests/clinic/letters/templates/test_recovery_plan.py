"""Tests for clinic.letters.templates.recovery_plan: the plan handed to the person."""

from __future__ import annotations

from datetime import date

from clinic.letters import render
from clinic.letters.templates.recovery_plan import RecoveryPlanHandout
from tests.clinic.letters.golden import assert_golden
from tests.clinic.letters.samples import HEAD, NURSE, TODAY, ZOE, pages_text


def plan() -> RecoveryPlanHandout:
    return RecoveryPlanHandout(
        reference="H000123/9", date=TODAY, recipient=ZOE, signatory=NURSE, letterhead=HEAD,
        agreed_on=date(2026, 10, 1), key_worker="Sam Jones",
        goals=(("Cut down to weekends only", date(2026, 12, 31), None),
               ("Register with a GP", date(2026, 11, 1), date(2026, 10, 20))),
        reviewed_on=(date(2026, 11, 20),), next_review_due=date(2027, 2, 12))


def test_golden() -> None:
    assert_golden(render(plan()), GOLDEN)


def test_names_each_goal_and_the_next_review() -> None:
    text = " ".join(pages_text(render(plan())))
    assert "Cut down to weekends only" in text and "Register with a GP" in text
    assert "2027" in text


GOLDEN = "c147e5da005f3ed8dcd1044ecb225aee4eb78ed321a35f8d3170112e8c8ebe1f"
