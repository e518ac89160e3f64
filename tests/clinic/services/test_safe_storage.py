"""Tests for clinic.services.safe_storage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic.permissions import PermissionDenied, Role
from clinic.services import safe_storage as svc
from tests.conftest import add_person, refused, run

TODAY = date(2026, 11, 23)


def stock(clinic, actor):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return svc.stock(uow, actor)


@pytest.fixture
def nurse(actors):  # type: ignore[no-untyped-def]
    return actors[Role.NURSE]


@pytest.fixture
def received(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    run(clinic, svc.receive_boxes, nurse, svc.ReceiveBoxes(("B1", "B2", "B3", "B4"), date(2026, 9, 1)))


def issue(clinic, nurse, person, box, on=TODAY):  # type: ignore[no-untyped-def]
    return run(clinic, svc.issue_box, nurse, svc.IssueBox(person, box, on, "children_in_household", True))


def test_stock_arithmetic(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    a, b = add_person(clinic, "A"), add_person(clinic, "B")
    assert len(stock(clinic, nurse).in_stock) == 4
    issue(clinic, nurse, a, "B1", date(2026, 9, 30))  # Q2
    issue(clinic, nurse, b, "B2")
    run(clinic, svc.return_box, nurse, svc.ReturnBox("B2", TODAY))
    run(clinic, svc.lose_box, nurse, svc.LoseBox("B3", TODAY, "Not found at stock check"))
    run(clinic, svc.replace_box, nurse, svc.ReplaceBox("B1", "B4", TODAY, old_box_returned=False, advice_given=True))
    s = stock(clinic, nurse)
    # B2 back in stock; B3 and (lost with its holder) B1 gone; B4 with A
    assert [b.box_number for b in s.in_stock] == ["B2"]
    assert (s.issued, s.lost) == (1, 2)
    assert (s.quarter_label, s.issued_this_quarter) == ("2026/27 Q3", 2)  # B2 issued, B4 as replacement
    with clinic.unit_of_work() as uow:
        assert svc.person_boxes(uow, nurse, a).held == ("B4",)
        assert svc.person_boxes(uow, nurse, b).held == ()
        assert [e.kind for e in svc.person_boxes(uow, nurse, b).events] == ["returned", "issued"]


def test_issue_refused_when_already_issued_or_not_in_stock(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    a, b = add_person(clinic, "A"), add_person(clinic, "B")
    issue(clinic, nurse, a, "B1")
    for box, words in (("B1", "Box B1 is already issued"), ("B99", "Box B99 is not in stock"),
                       (" ", "Enter the box number.")):
        said = refused(clinic, svc.issue_box, nurse, svc.IssueBox(b, box, TODAY, "children_in_household", True))
        assert (said.message, said.field) == (words, "box_number")


def test_issue_reason_and_date_are_said_by_their_fields(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    a = add_person(clinic, "A")
    cmd = svc.IssueBox(a, "B1", TODAY, "other", True)
    assert refused(clinic, svc.issue_box, nurse, cmd).field == "reason_note"
    assert refused(clinic, svc.issue_box, nurse, replace(cmd, reason="")).field == "reason"
    assert refused(clinic, svc.issue_box, nurse, replace(cmd, reason_note="Asked", issued_on=date(2026, 11, 24))
                   ).field == "issued_on"


def test_replace_says_which_box_is_wrong(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    issue(clinic, nurse, add_person(clinic, "A"), "B1")
    cmd = svc.ReplaceBox("B1", "B99", TODAY, old_box_returned=True, advice_given=True)
    assert refused(clinic, svc.replace_box, nurse, cmd).field == "new_box_number"
    assert refused(clinic, svc.replace_box, nurse, replace(cmd, new_box_number="")).field == "new_box_number"
    assert refused(clinic, svc.replace_box, nurse, replace(cmd, new_box_number="B1")).field == "new_box_number"
    issue(clinic, nurse, add_person(clinic, "B"), "B2")
    said = refused(clinic, svc.replace_box, nurse, replace(cmd, new_box_number="B2"))
    assert (said.message, said.field) == ("Box B2 is already issued", "new_box_number")
    assert refused(clinic, svc.replace_box, nurse, replace(cmd, box_number="B3", new_box_number="B2")
                   ).field == "box_number"


def test_return_of_a_box_never_issued_refused(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    for box, words in (("B2", "Box B2 was never issued"), ("NOPE", "Box NOPE was never issued")):
        said = refused(clinic, svc.return_box, nurse, svc.ReturnBox(box, TODAY))
        assert (said.message, said.field) == (words, "box_number")


def test_issue_before_the_box_arrived_refused(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="not in stock"):
        issue(clinic, nurse, add_person(clinic), "B1", date(2026, 8, 1))


def test_duplicate_box_number_refused(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    said = refused(clinic, svc.receive_boxes, nurse, svc.ReceiveBoxes(("B1",), TODAY))
    assert "already in stock" in said.message and said.field == "box_numbers"


def test_a_lost_box_that_turns_up_is_received_again(clinic, nurse, received) -> None:  # type: ignore[no-untyped-def]
    run(clinic, svc.lose_box, nurse, svc.LoseBox("B3", date(2026, 10, 1)))
    run(clinic, svc.receive_boxes, nurse, svc.ReceiveBoxes(("B3",), TODAY))
    assert "B3" in {b.box_number for b in stock(clinic, nurse).in_stock}


@pytest.mark.parametrize("role", [Role.PROBATION, Role.RECEPTION])
def test_wrong_roles_refused(clinic, actors, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        run(clinic, svc.receive_boxes, actors[role], svc.ReceiveBoxes(("X",), TODAY))
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        svc.stock(uow, actors[role])
