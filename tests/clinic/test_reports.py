"""KPI definitions and how values are shown (pure)."""

from __future__ import annotations

from clinic import reports
from clinic.reports import BY_KEY, KPIS, Kind


def test_percent_shows_its_denominator() -> None:
    assert reports.format_percent(415, 500) == "83% (415 of 500)"
    assert reports.format_percent(1234, 2000) == "62% (1,234 of 2,000)"
    assert reports.format_percent(0, 7) == "0% (0 of 7)"
    assert reports.format_percent(3, 3) == "100% (3 of 3)"


def test_no_denominator_is_a_dash_not_zero() -> None:
    assert reports.format_percent(0, 0) == "—"
    assert reports.percent(0, 0) is None


def test_rounding_never_claims_all_or_none_falsely() -> None:
    assert reports.format_percent(999, 1000) == "99% (999 of 1,000)"
    assert reports.format_percent(1, 1000) == "1% (1 of 1,000)"
    assert reports.format_percent(1, 8) == "13% (1 of 8)"  # 12.5 rounds half up


def test_targets_from_the_seeds() -> None:
    assert BY_KEY["hcv_offered_injecting"].target == 95.0
    assert BY_KEY["hcv_offered_injecting"].target_text == "≥ 95%"
    assert BY_KEY["hepb_one_dose"].target == 90.0
    assert BY_KEY["hepb_completed"].target == 75.0
    assert len({k.key for k in KPIS}) == len(KPIS)
    assert all(k.numerator and k.denominator for k in KPIS if k.kind is Kind.PERCENT)


def test_met() -> None:
    hcv = BY_KEY["hcv_offered_injecting"]
    assert reports.met(hcv, 95, 100) is True
    assert reports.met(hcv, 94, 100) is False
    assert reports.met(hcv, 0, 0) is None
    assert reports.met(BY_KEY["hcv_test_date"], 1, 2) is None
    assert reports.met_text(True) == "Yes" and reports.met_text(None) == ""


def test_median_from_histogram() -> None:
    assert reports.median_from_histogram([]) is None
    assert reports.median_from_histogram([(7, 1), (3, 1), (11, 1)]) == 7
    assert reports.median_from_histogram([(10, 1), (20, 1)]) == 15
    assert reports.median_from_histogram([(0, 5), (14, 2), (30, 0)]) == 0
    assert reports.format_median(15.0, "minute", 2) == "15 minutes (of 2)"
    assert reports.format_median(1.0, "day", 1_204) == "1 day (of 1,204)"
    assert reports.format_median(2.5, "day", 4) == "2.5 days (of 4)"
    assert reports.format_median(None, "day", 0) == "—"
