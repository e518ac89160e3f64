"""The Treatment Outcomes Profile (TOP): its items and what each may hold.

Laid out after the published TOP form (National Treatment Agency, 2007, and
its later secure-setting version): four sections, each asked about the past
four weeks (28 days).

1. Substance use: for alcohol, illicit opiates/opioids, crack, cocaine,
   amphetamines, cannabis, one other named problem substance and tobacco,
   the days used (0–28) and the average amount on a using day (units,
   grams, spliffs or cigarettes).
2. Injecting risk behaviour: days injected non-prescribed drugs (0–28);
   injected with a needle or syringe used by someone else (yes/no); injected
   using a spoon, water or filter used by someone else (yes/no).
3. Crime: days of shoplifting and of drug selling (0–28); theft from or of a
   vehicle, other property theft or burglary, fraud/forgery/handling stolen
   goods, and assault or violence (yes/no each).
4. Health and social functioning: the person's rating of their
   psychological health, physical health and overall quality of life
   (0 poor – 20 good); days in paid work and days at college or school
   (0–28); acute housing problem and at risk of eviction (yes/no).

Every item must be answered or marked "NA" (the form's "not disclosed or not
answered"); nothing is pre-filled. Where the paper form records the four
weeks separately, Harbour records the 28-day total the NDTMS return takes.
Not confirmed against the current form: whether tobacco is on the community
(not only the secure-setting) form, and the exact unit for "other substance".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

NA = "NA"


class Stage(StrEnum):
    START = "start"
    REVIEW = "review"
    EXIT = "exit"
    POST_EXIT = "post_exit"

    @property
    def label(self) -> str:
        return {"start": "Start", "review": "Review", "exit": "Exit", "post_exit": "Post-treatment exit"}[self]


class Kind(StrEnum):
    DAYS = "days"  # 0-28
    AMOUNT = "amount"  # average amount on a using day, >= 0
    YES_NO = "yes_no"
    RATING = "rating"  # 0-20
    TEXT = "text"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    kind: Kind
    section: int
    unit: str = ""
    #: Asked only when this other item is answered with a number above zero.
    when_positive: str | None = None


SECTIONS = {1: "Substance use", 2: "Injecting risk behaviour", 3: "Crime", 4: "Health and social functioning"}

#: (key, label, unit of the average amount)
SUBSTANCES = (
    ("alcohol", "Alcohol", "units"),
    ("opiates", "Opiates/opioids (illicit)", "g"),
    ("crack", "Crack", "g"),
    ("cocaine", "Cocaine", "g"),
    ("amphetamines", "Amphetamines", "g"),
    ("cannabis", "Cannabis", "spliffs"),
    ("other", "Other problem substance", "g"),
    ("tobacco", "Tobacco", "cigarettes"),
)


def _items() -> tuple[Item, ...]:
    items: list[Item] = []
    for key, label, unit in SUBSTANCES:
        if key == "other":
            items.append(Item("other_name", "Other problem substance: name", Kind.TEXT, 1,
                              when_positive="other_days"))
        items.append(Item(f"{key}_days", f"{label}: days used", Kind.DAYS, 1))
        items.append(Item(f"{key}_amount", f"{label}: average per using day", Kind.AMOUNT, 1, unit,
                          when_positive=f"{key}_days"))
    items += [
        Item("injected_days", "Days injected non-prescribed drugs", Kind.DAYS, 2),
        Item("shared_needle", "Injected with a needle or syringe used by someone else", Kind.YES_NO, 2,
             when_positive="injected_days"),
        Item("shared_paraphernalia", "Injected using a spoon, water or filter used by someone else",
             Kind.YES_NO, 2, when_positive="injected_days"),
        Item("shoplifting_days", "Days shoplifting", Kind.DAYS, 3),
        Item("drug_selling_days", "Days selling drugs", Kind.DAYS, 3),
        Item("vehicle_theft", "Theft from or of a vehicle", Kind.YES_NO, 3),
        Item("property_theft", "Other property theft or burglary", Kind.YES_NO, 3),
        Item("fraud", "Fraud, forgery or handling stolen goods", Kind.YES_NO, 3),
        Item("violence", "Committed assault or violence", Kind.YES_NO, 3),
        Item("psychological_health", "Rating: psychological health", Kind.RATING, 4),
        Item("paid_work_days", "Days in paid work", Kind.DAYS, 4),
        Item("education_days", "Days at college or school", Kind.DAYS, 4),
        Item("physical_health", "Rating: physical health", Kind.RATING, 4),
        Item("acute_housing_problem", "Acute housing problem", Kind.YES_NO, 4),
        Item("risk_of_eviction", "At risk of eviction", Kind.YES_NO, 4),
        Item("quality_of_life", "Rating: overall quality of life", Kind.RATING, 4),
    ]
    return tuple(items)


ITEMS = _items()
BY_KEY = {i.key: i for i in ITEMS}


class TopError(ValueError):
    """An answer that does not fit its item; ``field`` is the item's key."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def asked(item: Item, answers: Mapping[str, Any]) -> bool:
    """Follow-up items are asked only when their lead item is above zero."""
    if item.when_positive is None:
        return True
    lead = answers.get(item.when_positive)
    return isinstance(lead, int | float) and not isinstance(lead, bool) and lead > 0


def validate(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers as stored (follow-ups not asked dropped), or TopError on
    the first item that is missing or out of range."""
    unknown = set(answers) - set(BY_KEY)
    if unknown:
        first = min(unknown)
        raise TopError(f"{first!r} is not a TOP item", first)
    clean: dict[str, Any] = {}
    for item in ITEMS:
        if not asked(item, answers):
            continue
        value = answers.get(item.key)
        if value is None or value == "":
            raise TopError(f"Answer “{item.label}”, or mark it NA if not disclosed.", item.key)
        clean[item.key] = value if value == NA else _check(item, value)
    return clean


def _check(item: Item, value: Any) -> Any:
    if item.kind is Kind.TEXT:
        text = str(value).strip()
        if not text:
            raise TopError(f"Name the substance for “{item.label}”.", item.key)
        return text[:100]
    if item.kind is Kind.YES_NO:
        if value not in (True, False):
            raise TopError(f"“{item.label}”: answer yes or no.", item.key)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TopError(f"“{item.label}”: enter a number.", item.key)
    if item.kind is Kind.DAYS and not (0 <= value <= 28 and value == int(value)):
        raise TopError(f"“{item.label}”: a whole number of days from 0 to 28.", item.key)
    if item.kind is Kind.RATING and not (0 <= value <= 20 and value == int(value)):
        raise TopError(f"“{item.label}”: a rating from 0 (poor) to 20 (good).", item.key)
    if item.kind is Kind.AMOUNT and not (0 <= value <= 10_000):
        raise TopError(f"“{item.label}”: an amount of 0 or more.", item.key)
    return int(value) if item.kind is not Kind.AMOUNT else value


def injecting(answers: Mapping[str, Any]) -> bool | None:
    """Whether the form shows injecting in the past 28 days (None if NA)."""
    days = answers.get("injected_days")
    return None if days in (None, NA) else days > 0
