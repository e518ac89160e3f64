"""Every letter that left (or was held), filed as the exact PDF bytes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.tables.base import Base, utcnow


class FiledLetter(Base):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    letter_type: Mapped[str] = mapped_column(String(60))  # template key
    category: Mapped[str] = mapped_column(String(20))  # appointment | clinical | probation | admin
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(60))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: How it left: a clinic.letters.model.Disposition value.
    disposition: Mapped[str] = mapped_column(String(20))
    #: A clinic.letters.model.LetterStatus value.
    status: Mapped[str] = mapped_column(String(20), default="filed")
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_method: Mapped[str | None] = mapped_column(String(20))  # post | hand | secure_email
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))

    __table_args__ = (
        Index("ix_letters_person_id", "person_id", "created_at"),
        Index("ix_letters_disposition_status", "disposition", "status"),
    )
