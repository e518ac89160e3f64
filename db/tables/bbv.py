"""Blood-borne virus testing: one row per thing that happened, with its date.

Every offer, decline, test taken, result, result given and referral is a row
(``kind``), so the quarterly KPIs ("HCV test offered to people who inject")
are counted exactly. A *tested* row is one test (e.g. HCV antibody) on one
sample; its result and the day the result was given are rows of their own
pointing back at it (``test_event_id``).

Worklist state, kept by the service on the *tested* row so the worklists are
index range scans rather than anti-joins over every test:

- ``state``: ``awaiting`` (no result yet) -> ``to_give`` (result in, not yet
  told to the person) -> ``given``; NULL on every other kind of row.
- ``result``: the test's result, copied from its result row.

Corrections never delete: a row is voided with a reason and the service
recomputes the state.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, PAST_EVENT, Base, utcnow


class BbvEvent(Base):
    __tablename__ = "bbv_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    virus: Mapped[str] = mapped_column(String(20))  # clinic.bbv.Virus
    #: offered | declined | tested | result | result_given | referred
    kind: Mapped[str] = mapped_column(String(20))
    test_kind: Mapped[str | None] = mapped_column(String(20))  # clinic.bbv.TestKind
    sample_type: Mapped[str | None] = mapped_column(String(20))  # clinic.bbv.SampleType
    #: The day it happened (for a result: the day it arrived).
    event_date: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    #: For result and result_given rows: the day the sample was taken.
    taken_on: Mapped[date | None] = mapped_column(Date, info=PAST_EVENT)
    result: Mapped[str | None] = mapped_column(String(20))  # clinic.bbv.Result
    test_event_id: Mapped[int | None] = mapped_column(ForeignKey("bbv_events.id"))
    state: Mapped[str | None] = mapped_column(String(10))  # see module notes
    decline_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    referred_to: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)

    __table_args__ = (
        Index("ix_bbv_events_person", "person_id", "virus", "event_date"),
        Index("ix_bbv_events_state", "state", "event_date"),
        Index("ix_bbv_events_test_event_id", "test_event_id"),
        # KPI counts and the HCV retest worklist: latest test per person.
        Index("ix_bbv_events_kind", "virus", "kind", "person_id", "event_date"),
        # The quarterly report (0018): the quarter's events, and per person every column it reads.
        Index("ix_bbv_events_event_date", "event_date", "voided", "person_id"),  # covers the report (0020)
        Index("ix_bbv_events_virus_person", "virus", "person_id", "voided", "kind", "event_date"),
    )
