"""The administrative log: who created, changed or deactivated which user, grant,
organisation, journal, route or template, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.history import iso_utc
from documents.models.types import JsonType, UtcDateTime, utcnow


class AdminLogEntry(Base):
    __tablename__ = "admin_log"
    __table_args__ = (Index("ix_admin_log_org_at", "org_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Kept as text so the log still names a person whose account was deactivated.
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    object_kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"))
    details: Mapped[dict] = mapped_column(JsonType, default=dict)

    def to_api(self) -> dict:
        return {"id": self.id, "at": iso_utc(self.at),
                "actor_id": self.actor_id, "actor_name": self.actor_name,
                "action": self.action, "object_kind": self.object_kind,
                "object_id": self.object_id, "org_id": self.org_id,
                "details": self.details or {}}
