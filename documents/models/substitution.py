"""Substitution (и. о.): a deputy acts for an absent person in one organisation for dates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import UtcDateTime, utcnow


class Substitution(Base):
    __tablename__ = "substitutions"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="substitution_dates_ordered"),
        CheckConstraint("absent_id <> deputy_id", name="substitution_not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                        index=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    #: set when ended early (DELETE); the substitution then no longer applies
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
