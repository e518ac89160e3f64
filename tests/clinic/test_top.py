"""Tests for clinic.top: every item answered or NA, ranges, follow-ups."""

import pytest

from clinic import top


def complete(**over: object) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in top.ITEMS:
        answers[item.key] = {top.Kind.DAYS: 0, top.Kind.AMOUNT: 0, top.Kind.YES_NO: False,
                             top.Kind.RATING: 10, top.Kind.TEXT: "x"}[item.kind]
    return answers | over


def test_a_complete_form_keeps_only_the_items_asked() -> None:
    clean = top.validate(complete())
    assert "alcohol_amount" not in clean  # no using days: the amount is not asked
    assert "shared_needle" not in clean
    assert clean["quality_of_life"] == 10


def test_follow_ups_are_needed_when_the_lead_is_positive() -> None:
    with pytest.raises(top.TopError) as e:
        top.validate({k: v for k, v in complete(injected_days=3).items() if k != "shared_needle"})
    assert e.value.field == "shared_needle"
    clean = top.validate(complete(injected_days=3, shared_needle=True, shared_paraphernalia=False,
                                  opiates_days=20, opiates_amount=0.5))
    assert clean["shared_needle"] is True and clean["opiates_amount"] == 0.5
    assert top.injecting(clean) is True


def test_nothing_is_assumed_an_unanswered_item_is_refused() -> None:
    answers = complete()
    del answers["violence"]
    with pytest.raises(top.TopError) as e:
        top.validate(answers)
    assert e.value.field == "violence"


def test_na_is_an_answer() -> None:
    clean = top.validate(complete(injected_days=top.NA))
    assert clean["injected_days"] == top.NA
    assert top.injecting(clean) is None


@pytest.mark.parametrize(("key", "value"), [
    ("alcohol_days", 29), ("alcohol_days", -1), ("alcohol_days", 2.5), ("quality_of_life", 21),
    ("violence", "maybe"), ("paid_work_days", True), ("nonsense", 1),
])
def test_out_of_range_answers_are_refused_by_their_item(key: str, value: object) -> None:
    with pytest.raises(top.TopError) as e:
        top.validate(complete(**{key: value}))
    assert e.value.field == key


def test_the_form_has_the_four_published_sections() -> None:
    assert {i.section for i in top.ITEMS} == {1, 2, 3, 4}
    assert [s for s, _, _ in top.SUBSTANCES][:7] == ["alcohol", "opiates", "crack", "cocaine", "amphetamines",
                                                    "cannabis", "other"]
