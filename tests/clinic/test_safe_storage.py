"""Tests for clinic.safe_storage."""

from datetime import date

import pytest

from clinic import safe_storage
from clinic.safe_storage import BoxEvent, BoxEventKind, Quarter

JAN5, JAN6, FEB2, MAR3 = date(2026, 1, 5), date(2026, 1, 6), date(2026, 2, 2), date(2026, 3, 3)


def received(box: str, on: date = JAN5) -> BoxEvent:
    return BoxEvent(BoxEventKind.RECEIVED, box, on)


def issued(box: str, holder: str, on: date = JAN6) -> BoxEvent:
    return BoxEvent(BoxEventKind.ISSUED, box, on, holder=holder)


def returned(box: str, on: date = FEB2) -> BoxEvent:
    return BoxEvent(BoxEventKind.RETURNED, box, on)


def lost(box: str, on: date = FEB2) -> BoxEvent:
    return BoxEvent(BoxEventKind.LOST, box, on)


def replaced(box: str, new_box: str, on: date = MAR3, *, old_returned: bool = False) -> BoxEvent:
    return BoxEvent(BoxEventKind.REPLACED, box, on, new_box=new_box, old_box_returned=old_returned)


DELIVERY = [received(str(n)) for n in range(10, 20)]


# --- stock and holders ----------------------------------------------------------

def test_no_events_no_stock() -> None:
    assert safe_storage.stock_on_hand([]) == set()


def test_received_boxes_are_in_stock() -> None:
    assert safe_storage.stock_on_hand(DELIVERY) == {str(n) for n in range(10, 20)}


def test_issued_box_leaves_stock_and_has_a_holder() -> None:
    events = [*DELIVERY, issued("12", "p1")]
    assert "12" not in safe_storage.stock_on_hand(events)
    assert len(safe_storage.stock_on_hand(events)) == 9
    assert safe_storage.holder_of("12", events) == "p1"


def test_returned_box_is_back_in_stock_with_no_holder() -> None:
    events = [*DELIVERY, issued("12", "p1"), returned("12")]
    assert "12" in safe_storage.stock_on_hand(events)
    assert safe_storage.holder_of("12", events) is None


def test_returned_box_can_be_issued_again() -> None:
    events = [*DELIVERY, issued("12", "p1"), returned("12"), issued("12", "p2", MAR3)]
    assert safe_storage.holder_of("12", events) == "p2"


def test_box_lost_by_its_holder_is_gone() -> None:
    events = [*DELIVERY, issued("12", "p1"), lost("12")]
    assert "12" not in safe_storage.stock_on_hand(events)
    assert safe_storage.holder_of("12", events) is None


def test_box_lost_from_the_cupboard_leaves_stock() -> None:
    events = [*DELIVERY, lost("19")]
    assert "19" not in safe_storage.stock_on_hand(events)


def test_lost_box_found_again_is_received_back() -> None:
    events = [*DELIVERY, issued("12", "p1"), lost("12"), received("12", MAR3)]
    assert "12" in safe_storage.stock_on_hand(events)


def test_replacement_with_the_old_box_lost() -> None:
    events = [*DELIVERY, issued("12", "p1"), replaced("12", "13")]
    assert safe_storage.holder_of("13", events) == "p1"
    assert safe_storage.holder_of("12", events) is None
    assert safe_storage.stock_on_hand(events) == {str(n) for n in range(14, 20)} | {"10", "11"}


def test_replacement_with_the_old_box_returned() -> None:
    events = [*DELIVERY, issued("12", "p1"), replaced("12", "13", old_returned=True)]
    assert safe_storage.holder_of("13", events) == "p1"
    assert "12" in safe_storage.stock_on_hand(events)
    assert "13" not in safe_storage.stock_on_hand(events)


def test_events_are_replayed_in_date_order() -> None:
    events = [returned("12", MAR3), issued("12", "p1", FEB2), received("12", JAN5)]
    assert safe_storage.stock_on_hand(events) == {"12"}


def test_unknown_box_has_no_holder() -> None:
    assert safe_storage.holder_of("99", DELIVERY) is None


# --- checks -------------------------------------------------------------------------

def test_box_in_stock_can_be_issued() -> None:
    safe_storage.check_issue("12", DELIVERY)


def test_issuing_an_issued_box_is_refused() -> None:
    events = [received("17"), issued("17", "p1")]
    with pytest.raises(ValueError) as refused:
        safe_storage.check_issue("17", events)
    assert str(refused.value) == "Box 17 is already issued"


def test_issuing_a_box_not_in_stock_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        safe_storage.check_issue("99", DELIVERY)
    assert str(refused.value) == "Box 99 is not in stock"


def test_issuing_a_lost_box_is_refused() -> None:
    with pytest.raises(ValueError, match="Box 12 is not in stock"):
        safe_storage.check_issue("12", [*DELIVERY, lost("12")])


def test_issued_box_can_be_returned() -> None:
    safe_storage.check_return("12", [*DELIVERY, issued("12", "p1")])


def test_returning_a_box_never_issued_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        safe_storage.check_return("12", DELIVERY)
    assert str(refused.value) == "Box 12 was never issued"


def test_returning_a_box_twice_is_refused() -> None:
    events = [*DELIVERY, issued("12", "p1"), returned("12")]
    with pytest.raises(ValueError) as refused:
        safe_storage.check_return("12", events)
    assert str(refused.value) == "Box 12 is not out on issue"


@pytest.mark.parametrize(("event", "message"), [
    (received("11", MAR3), "Box 11 is already in stock"),
    (received("12", MAR3), "Box 12 is already issued"),
    (issued("12", "p2", MAR3), "Box 12 is already issued"),
    (returned("77", MAR3), "Box 77 was never issued"),
    (lost("77", MAR3), "Box 77 is neither in stock nor issued"),
    (replaced("11", "13"), "Box 11 was never issued"),
    (replaced("12", "99"), "Box 99 is not in stock"),
    (replaced("12", "14"), "Box 14 is already issued"),
])
def test_impossible_events_are_refused(event: BoxEvent, message: str) -> None:
    events = [*DELIVERY, issued("12", "p1"), issued("14", "p3")]
    with pytest.raises(ValueError) as refused:
        safe_storage.check_event(event, events)
    assert str(refused.value) == message


def test_possible_event_is_accepted() -> None:
    safe_storage.check_event(replaced("12", "13"), [*DELIVERY, issued("12", "p1")])


def test_impossible_history_is_not_silently_miscounted() -> None:
    with pytest.raises(ValueError, match="Box 12 is not in stock"):
        safe_storage.stock_on_hand([issued("12", "p1")])


def test_issue_needs_a_holder() -> None:
    with pytest.raises(ValueError, match="Say who box 12 is issued to"):
        BoxEvent(BoxEventKind.ISSUED, "12", JAN6)


@pytest.mark.parametrize("new_box", [None, "12"])
def test_replacement_needs_a_different_new_box(new_box: str | None) -> None:
    with pytest.raises(ValueError, match="new box replacing box 12"):
        BoxEvent(BoxEventKind.REPLACED, "12", MAR3, new_box=new_box)


# --- quarterly counts ---------------------------------------------------------------

def test_issued_between_counts_issues_and_replacements_inclusively() -> None:
    events = [
        *DELIVERY,
        issued("10", "p1", date(2026, 3, 31)),   # Q4 2025/26
        issued("11", "p2", date(2026, 4, 1)),    # Q1 2026/27 first day
        issued("12", "p3", date(2026, 5, 15)),
        replaced("12", "13", date(2026, 6, 30)),  # last day
        returned("11", date(2026, 6, 1)),
        issued("14", "p4", date(2026, 7, 1)),    # Q2
    ]
    q1 = safe_storage.nhs_quarter(date(2026, 5, 1))
    assert safe_storage.issued_between(events, q1.start, q1.end) == 3


def test_issued_between_with_nothing_issued() -> None:
    assert safe_storage.issued_between(DELIVERY, JAN5, MAR3) == 0


@pytest.mark.parametrize(("day", "quarter"), [
    (date(2026, 4, 1), Quarter(date(2026, 4, 1), date(2026, 6, 30), "2026/27 Q1")),
    (date(2026, 6, 30), Quarter(date(2026, 4, 1), date(2026, 6, 30), "2026/27 Q1")),
    (date(2026, 7, 1), Quarter(date(2026, 7, 1), date(2026, 9, 30), "2026/27 Q2")),
    (date(2026, 10, 15), Quarter(date(2026, 10, 1), date(2026, 12, 31), "2026/27 Q3")),
    (date(2026, 12, 31), Quarter(date(2026, 10, 1), date(2026, 12, 31), "2026/27 Q3")),
    (date(2027, 1, 1), Quarter(date(2027, 1, 1), date(2027, 3, 31), "2026/27 Q4")),
    (date(2026, 3, 31), Quarter(date(2026, 1, 1), date(2026, 3, 31), "2025/26 Q4")),
    (date(2028, 2, 29), Quarter(date(2028, 1, 1), date(2028, 3, 31), "2027/28 Q4")),
    (date(1999, 5, 1), Quarter(date(1999, 4, 1), date(1999, 6, 30), "1999/00 Q1")),
])
def test_nhs_quarter(day: date, quarter: Quarter) -> None:
    assert safe_storage.nhs_quarter(day) == quarter


def test_nhs_quarter_unpacks_as_a_tuple() -> None:
    start, end, label = safe_storage.nhs_quarter(date(2026, 11, 5))
    assert (start, end, label) == (date(2026, 10, 1), date(2026, 12, 31), "2026/27 Q3")
