"""Safe-storage boxes (seed 002): the stock of lockable boxes and their log.

The event log is the record; ``status`` and ``holder_person_id`` on the box
are where the log leaves it, kept by ``clinic.services.safe_storage`` in the
same transaction as each event, so stock on hand and "who holds a box" are
indexed lookups (the children/take-home/no-box worklist joins on
``ix_safe_storage_boxes_holder``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import MULTILINE, PAST_EVENT, Base, utcnow


class SafeStorageBox(Base):
    __tablename__ = "safe_storage_boxes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_number: Mapped[str] = mapped_column(String(40), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # a clinic.safe_storage.BoxStatus value
    holder_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_safe_storage_boxes_holder", "holder_person_id"),
        Index("ix_safe_storage_boxes_status", "status"),
    )


class SafeStorageEvent(Base):
    __tablename__ = "safe_storage_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("safe_storage_boxes.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(10))  # received | issued | returned | lost | replaced
    event_on: Mapped[date] = mapped_column(Date, info=PAST_EVENT)
    new_box_id: Mapped[int | None] = mapped_column(ForeignKey("safe_storage_boxes.id"))  # replaced
    old_box_returned: Mapped[bool] = mapped_column(Boolean, default=False)  # replaced
    reason: Mapped[str] = mapped_column(String(30), default="")  # children_in_household | other
    reason_note: Mapped[str] = mapped_column(String(1000), default="", info=MULTILINE)
    advice_given: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        Index("ix_safe_storage_events_box", "box_id", "event_on"),
        Index("ix_safe_storage_events_person", "person_id", "event_on"),
        Index("ix_safe_storage_events_kind_on", "kind", "event_on"),
    )
