"""UI-29: the missed-dose rule, checked again, with its worked examples.

The rule (``clinic.ost.missed_dose_alert``), threshold 3:

1. Three or more missed days in a row raise "prescriber review before next
   dose"; scattered days, or two in a row, do not.
2. A prescriber decision clears the alert for every day it *saw*: a day is
   seen when it is dated on or before the decision AND was recorded before
   the decision was recorded.
3. So a run that contains any day the decision did not see raises the alert
   again: a further missed day after the decision (the run still three or
   more), or days entered late for dates before the decision.
4. The alert stands from the last day of the latest run that raises it.

Worked examples (days of November 2026; "rec" = when it was entered):

| missed (entered)                       | decision (entered)   | alert?              |
|----------------------------------------|----------------------|---------------------|
| 3, 4, 5                                | none                 | yes, from 5th       |
| 1, 3, 5                                | none                 | no (scattered)      |
| 4, 5                                   | none                 | no (two in a row)   |
| 18, 19, 20 (before)                    | 20th                 | no: it saw them     |
| 18, 19, 20 (before), 21 (after)        | 20th                 | yes, from 21st      |
| 18, 19, 20 (before), 22 (after)        | 20th                 | no: 22nd alone      |
| 28, 29, 30 (entered 1 Dec, after)      | 1 Dec (entered 1 Dec)| yes, from 30th      |
| 18, 19, 20 (before), 28-30 (after)     | 1 Dec                | yes, from 30th      |
| 10, 11, 12 (after), then decision again| 1 Dec, re-decided    | no: the new one saw |
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic.ost import DecisionMade, MissedEntry, missed_dose_alert

BEFORE, DECIDED, AFTER, LATER = (datetime(2026, 12, 1, h) for h in (9, 10, 11, 12))


def nov(*days: int, at: datetime = BEFORE) -> list[MissedEntry]:
    return [MissedEntry(date(2026, 11, d), at) for d in days]


def decided(day: date, at: datetime = DECIDED) -> DecisionMade:
    return DecisionMade(day, at)


@pytest.mark.parametrize(("missed", "decision", "alert"), [
    (nov(3, 4, 5), None, date(2026, 11, 5)),
    (nov(1, 3, 5), None, None),
    (nov(4, 5), None, None),
    (nov(18, 19, 20), decided(date(2026, 11, 20)), None),
    (nov(18, 19, 20) + nov(21, at=AFTER), decided(date(2026, 11, 20)), date(2026, 11, 21)),
    (nov(18, 19, 20) + nov(22, at=AFTER), decided(date(2026, 11, 20)), None),
    (nov(28, 29, 30, at=AFTER), decided(date(2026, 12, 1)), date(2026, 11, 30)),  # UI-29
    (nov(18, 19, 20) + nov(28, 29, 30, at=AFTER), decided(date(2026, 12, 1)), date(2026, 11, 30)),
    (nov(10, 11, 12, at=AFTER), decided(date(2026, 12, 1), LATER), None),  # the next decision saw them
])
def test_worked_examples(missed: list[MissedEntry], decision: DecisionMade | None, alert: date | None) -> None:
    assert missed_dose_alert(missed, decision=decision) == alert


def test_late_entered_days_do_not_count_if_they_break_no_run() -> None:
    # 27 and 29 entered late around a dose taken on the 28th: two runs of one.
    assert missed_dose_alert(nov(27, 29, at=AFTER) + nov(30), decision=decided(date(2026, 12, 1))) is None


def test_threshold_is_the_setting() -> None:
    assert missed_dose_alert(nov(4, 5), decision=None, threshold=2) == date(2026, 11, 5)
