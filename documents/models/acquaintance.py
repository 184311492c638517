"""Electronic acquaintance with a signed order: who must read it, and when each confirmed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import UtcDateTime, utcnow


class Acquaintance(Base):
    """One staff member listed in ``acquaintance_user_ids`` of a signed order. Written at
    signing; ``acknowledged_at`` is set once, by the person's own click."""

    __tablename__ = "acquaintances"
    __table_args__ = (
        UniqueConstraint("document_id", "user_id", name="uq_acquaintances_document_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The signed version the person is asked to read.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Name and position as they stood at signing (the sheet shows them even if they change).
    user_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    listed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
