"""Blood-borne virus (BBV) testing: what a result means and what happens next.

Pure rules (DESIGN §4 "BBV testing"; seed 002 §10.6: nurse-led referral for
everyone testing positive for hepatitis B or C or HIV; seed 004: record HCV
test dates). Hepatitis C is tested in two steps: an antibody test shows past
or current infection, and only a positive HCV RNA shows current infection, so
a positive antibody leads to an RNA test, not straight to referral.

Anti-HBs measures the response to vaccination, not infection: it appears in
the next-step advice but not in a person's infection status, which the
vaccination record shows instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from clinic.dates import uk_long
from clinic.errors import Refused


class Virus(StrEnum):
    HEPATITIS_B = "hepatitis_b"
    HEPATITIS_C = "hepatitis_c"
    HIV = "hiv"
    SYPHILIS = "syphilis"

    @property
    def label(self) -> str:
        return _VIRUS_LABELS[self]


class TestKind(StrEnum):
    __test__ = False  # not a pytest test class, despite the name

    HCV_ANTIBODY = "hcv_antibody"
    HCV_RNA = "hcv_rna"
    HBSAG = "hbsag"
    ANTI_HBC = "anti_hbc"
    HIV = "hiv"
    SYPHILIS = "syphilis"
    ANTI_HBS = "anti_hbs"

    @property
    def label(self) -> str:
        return _TEST_LABELS[self]

    @property
    def virus(self) -> Virus:
        return _TEST_VIRUS[self]


class Result(StrEnum):
    """A test result. Laboratories say "indeterminate" or "equivocal": one value."""

    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"


class SampleType(StrEnum):
    DRIED_BLOOD_SPOT = "dried_blood_spot"
    VENOUS = "venous"
    POINT_OF_CARE = "point_of_care"

    @property
    def label(self) -> str:
        return _SAMPLE_LABELS[self]


class EventKind(StrEnum):
    """What happened, in the order it happens on one day."""

    OFFERED = "offered"
    DECLINED = "declined"
    TESTED = "tested"
    RESULT = "result"
    REFERRED = "referred"


_VIRUS_LABELS = MappingProxyType({
    Virus.HEPATITIS_B: "Hepatitis B",
    Virus.HEPATITIS_C: "Hepatitis C",
    Virus.HIV: "HIV",
    Virus.SYPHILIS: "Syphilis",
})
_TEST_LABELS = MappingProxyType({
    TestKind.HCV_ANTIBODY: "Hepatitis C antibody",
    TestKind.HCV_RNA: "Hepatitis C RNA",
    TestKind.HBSAG: "Hepatitis B surface antigen (HBsAg)",
    TestKind.ANTI_HBC: "Hepatitis B core antibody (anti-HBc)",
    TestKind.HIV: "HIV",
    TestKind.SYPHILIS: "Syphilis",
    TestKind.ANTI_HBS: "Hepatitis B surface antibody (anti-HBs)",
})
_TEST_VIRUS = MappingProxyType({
    TestKind.HCV_ANTIBODY: Virus.HEPATITIS_C,
    TestKind.HCV_RNA: Virus.HEPATITIS_C,
    TestKind.HBSAG: Virus.HEPATITIS_B,
    TestKind.ANTI_HBC: Virus.HEPATITIS_B,
    TestKind.HIV: Virus.HIV,
    TestKind.SYPHILIS: Virus.SYPHILIS,
    TestKind.ANTI_HBS: Virus.HEPATITIS_B,
})
_SAMPLE_LABELS = MappingProxyType({
    SampleType.DRIED_BLOOD_SPOT: "Dried blood spot",
    SampleType.VENOUS: "Venous blood",
    SampleType.POINT_OF_CARE: "Point-of-care test",
})

# Positive results that mean current infection, so a referral (seed 002).
_REFERRAL_TESTS = frozenset({TestKind.HCV_RNA, TestKind.HBSAG, TestKind.HIV, TestKind.SYPHILIS})

_NEXT_STEPS: Mapping[tuple[TestKind, Result], str] = MappingProxyType({
    (TestKind.HCV_ANTIBODY, Result.POSITIVE):
        "Hepatitis C antibody positive: take a sample for HCV RNA to check for "
        "current infection.",
    (TestKind.HCV_ANTIBODY, Result.NEGATIVE):
        "No hepatitis C infection found. Re-test every {months} months while at risk.",
    (TestKind.HCV_RNA, Result.POSITIVE):
        "Current hepatitis C infection: refer to hepatology for treatment.",
    (TestKind.HCV_RNA, Result.NEGATIVE):
        "No current hepatitis C infection. Re-test with HCV RNA every {months} "
        "months while at risk: antibodies stay positive after a past infection.",
    (TestKind.HBSAG, Result.POSITIVE):
        "Hepatitis B infection: refer to hepatology.",
    (TestKind.HBSAG, Result.NEGATIVE):
        "No current hepatitis B infection. Offer hepatitis B vaccination unless "
        "already immune.",
    (TestKind.ANTI_HBC, Result.POSITIVE):
        "Past or current hepatitis B infection: check the HBsAg result.",
    (TestKind.ANTI_HBC, Result.NEGATIVE):
        "No sign of past hepatitis B infection. Offer hepatitis B vaccination "
        "unless already immune.",
    (TestKind.ANTI_HBS, Result.POSITIVE):
        "Responded to hepatitis B vaccination. Finish any doses left in the course.",
    (TestKind.ANTI_HBS, Result.NEGATIVE):
        "Not protected against hepatitis B: test HBsAg and anti-HBc, and offer "
        "a further course of vaccination.",
    (TestKind.HIV, Result.POSITIVE):
        "Reactive HIV result: refer to the HIV clinic for confirmation and care.",
    (TestKind.HIV, Result.NEGATIVE):
        "No HIV infection found. Re-test after any new risk.",
    (TestKind.SYPHILIS, Result.POSITIVE):
        "Positive syphilis result: refer to the sexual health clinic.",
    (TestKind.SYPHILIS, Result.NEGATIVE):
        "No syphilis infection found. Re-test after any new risk.",
})


@dataclass(frozen=True)
class BbvEvent:
    """One thing that happened about one virus for one person.

    ``on`` is the day it happened; for a result, the day the result arrived,
    with ``taken_on`` the day its sample was taken. Tested and result events
    name the test; a result names its outcome.
    """

    kind: EventKind
    virus: Virus
    on: date
    test: TestKind | None = None
    result: Result | None = None
    taken_on: date | None = None

    def __post_init__(self) -> None:
        if self.kind in (EventKind.TESTED, EventKind.RESULT) and self.test is None:
            raise ValueError(f"A '{self.kind}' event must name its test.")
        if self.test is not None and self.test.virus is not self.virus:
            raise ValueError(f"{self.test.label} is not a test for {self.virus.label}.")
        if self.kind is EventKind.RESULT and (self.result is None or self.taken_on is None):
            raise ValueError("A result event needs the result and the day the sample was taken.")


def hcv_retest_due(last_negative: date, *, months: int = 12) -> date:
    """When a person who injects is due an HCV re-test after a negative one."""
    return last_negative + relativedelta(months=months)


def needs_referral(kind: TestKind, result: Result) -> bool:
    """A positive HCV RNA, HBsAg, HIV or syphilis result needs a referral.

    A positive HCV antibody does not: it needs an RNA test first.
    """
    return result is Result.POSITIVE and kind in _REFERRAL_TESTS


def next_step(kind: TestKind, result: Result, *, retest_months: int = 12) -> str:
    """What the nurse does next after this result, in plain words."""
    if result is Result.INDETERMINATE:
        return f"Indeterminate {kind.label} result: repeat the test on a venous sample."
    return _NEXT_STEPS[(kind, result)].format(months=retest_months)


def check_result_dates(
    taken_on: date,
    result_on: date | None,
    given_on: date | None,
    *,
    today: date | None = None,
) -> None:
    """Refuse a result before its test, or given to the person before it arrived.

    ``result_on`` and ``given_on`` are ``None`` while awaited. With ``today``,
    dates in the future are refused too. A ``datetime`` (or anything not a
    date) is refused as such rather than compared (m4).
    """
    days = {"taken_on": taken_on, "result_on": result_on, "given_on": given_on}
    for name, day in days.items():
        if day is not None and (isinstance(day, datetime) or not isinstance(day, date)):
            raise Refused(f"{day!r} is not a date.", field=name)
    if result_on is not None and result_on < taken_on:
        raise Refused(
            f"The result date ({uk_long(result_on)}) is before the test date "
            f"({uk_long(taken_on)}).", field="result_on"
        )
    if given_on is not None and result_on is None:
        raise Refused("Enter the result date before the date the result was given.", field="given_on")
    if given_on is not None and result_on is not None and given_on < result_on:
        raise Refused(
            f"The result was given ({uk_long(given_on)}) before it arrived "
            f"({uk_long(result_on)}).", field="given_on"
        )
    # The dates are in order by now, so the last one given is the latest (and the one being entered).
    name, latest = [(n, d) for n, d in days.items() if d is not None][-1]
    if today is not None and latest > today:
        raise Refused(f"{uk_long(latest)} is in the future.", field=name)


def _when(event: BbvEvent) -> tuple[date, int]:
    """A result counts from its sample's day: it is the outcome of that test."""
    day = event.taken_on if event.kind is EventKind.RESULT and event.taken_on else event.on
    return day, list(EventKind).index(event.kind)


def _sample_date(event: BbvEvent) -> date:
    assert event.taken_on is not None  # guaranteed for results by BbvEvent
    return event.taken_on


def _current_results(results: Sequence[BbvEvent]) -> dict[TestKind | None, BbvEvent]:
    """The latest result of each test, by the day its sample was taken."""
    return {e.test: e for e in sorted(results, key=lambda e: (_sample_date(e), e.on))}


def _finding(results: Mapping[TestKind | None, Result | None]) -> str:
    """Plain words for the results of one sample with nothing needing referral."""
    if Result.INDETERMINATE in results.values():
        return "indeterminate, repeat test needed"
    if (results.get(TestKind.HCV_RNA) is Result.NEGATIVE
            and results.get(TestKind.HCV_ANTIBODY) is not Result.NEGATIVE):
        return "HCV RNA negative (no current infection)"
    if results.get(TestKind.HCV_ANTIBODY) is Result.POSITIVE:
        return "antibody positive, HCV RNA test needed"
    if results.get(TestKind.ANTI_HBC) is Result.POSITIVE:
        if results.get(TestKind.HBSAG) is Result.NEGATIVE:
            return "past infection (anti-HBc positive, HBsAg negative)"
        return "anti-HBc positive, HBsAg test needed"
    return "negative"


def _last_tested(results: Sequence[BbvEvent]) -> str | None:
    """'tested 1 March 2026 — negative' for the latest sample with a result."""
    if not results:
        return None
    taken = max(_sample_date(e) for e in results)
    sample = {e.test: e.result for e in sorted(results, key=lambda e: e.on) if e.taken_on == taken}
    return f"tested {uk_long(taken)} — {_finding(sample)}"


def _positive(positive: BbvEvent, events: Sequence[BbvEvent]) -> str:
    taken = _sample_date(positive)
    referred = min(
        (e.on for e in events if e.kind is EventKind.REFERRED and e.on >= taken), default=None
    )
    outcome = "referral needed" if referred is None else f"referred on {uk_long(referred)}"
    return f"Positive (tested {uk_long(taken)}) — {outcome}"


def status_summary(events: Iterable[BbvEvent], virus: Virus) -> str:
    """One line on where a person stands for one virus, for their record.

    A current positive result outranks everything after it (a later decline
    does not hide it) until a later result of the same test is negative, as
    after hepatitis C treatment. Otherwise the latest event speaks, a result
    counting from the day its sample was taken, with the last result alongside
    an offer, decline or referral.
    """
    mine = [e for e in events if e.virus is virus and e.test is not TestKind.ANTI_HBS]
    if not mine:
        return "Never tested"
    results = [e for e in mine if e.kind is EventKind.RESULT]
    positives = [
        e for e in _current_results(results).values()
        if e.test is not None and e.result is not None and needs_referral(e.test, e.result)
    ]
    if positives:
        return _positive(max(positives, key=_sample_date), mine)
    answered = {(e.test, e.taken_on) for e in results}
    latest = max(
        (e for e in mine if not (e.kind is EventKind.TESTED and (e.test, e.on) in answered)),
        key=_when,
    )
    last_tested = _last_tested(results)
    if latest.kind is EventKind.TESTED:
        return f"Tested {uk_long(latest.on)} — result awaited"
    if latest.kind is EventKind.RESULT:
        assert last_tested is not None
        return last_tested[0].upper() + last_tested[1:]
    said = f"{latest.kind.capitalize()} on {uk_long(latest.on)}"
    if last_tested is not None:
        return f"{said}; {last_tested}"
    return f"{said} — not yet tested" if latest.kind is EventKind.OFFERED else said
