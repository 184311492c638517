"""Organisations form a tree: municipality → schools."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from documents.db import Base
from documents.models.types import UtcDateTime, enum_column, utcnow


class OrgKind(str, enum.Enum):
    municipality = "municipality"
    school = "school"


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    founder: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_position: Mapped[str] = mapped_column(String(200), default="Директор")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    inn: Mapped[str] = mapped_column(String(12), default="", server_default="")
    address: Mapped[str] = mapped_column(String(500), default="", server_default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    parent: Mapped[Organization | None] = relationship(remote_side="Organization.id")

    def to_api(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind.value,
            "parent_id": self.parent_id,
        }

    def to_admin_api(self) -> dict:
        """The organisation with its requisites (the administration API)."""
        return self.to_api() | {
            "founder": self.founder, "place": self.place, "head_name": self.head_name,
            "head_position": self.head_position, "inn": self.inn, "address": self.address,
            "active": self.is_active,
        }
