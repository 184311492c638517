"""Registration journals: one counter per organisation, calendar year and series."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base


class RegistrationJournal(Base):
    __tablename__ = "registration_journals"
    __table_args__ = (
        UniqueConstraint("org_id", "year", "series", name="uq_registration_journals_org_year_series"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(20))
    prefix: Mapped[str] = mapped_column(String(20), default="")
    suffix: Mapped[str] = mapped_column(String(20), default="")
    next_number: Mapped[int] = mapped_column(Integer, default=1)

    def format(self, number: int) -> str:
        return f"{self.prefix}{number}{self.suffix}"
