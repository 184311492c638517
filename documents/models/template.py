"""DOCX templates uploaded by an organisation (a school or a municipality) for one kind.

The bytes live in the content-addressed file store (``file_key``); the row records who
uploaded what and which variables it uses. One template per (kind, organisation) is active:
a new upload deactivates the previous one, which stays for the record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, utcnow


class UploadedTemplate(Base):
    __tablename__ = "uploaded_templates"
    __table_args__ = (
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        # At most one active template per kind and organisation.
        Index("uq_uploaded_templates_active", "kind", "org_id", unique=True,
              sqlite_where=text("is_active"), postgresql_where=text("is_active")),
        Index("ix_uploaded_templates_org_kind", "org_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    sha256: Mapped[str] = mapped_column(String(64))
    file_key: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255), default="")
    variables: Mapped[list] = mapped_column(JsonType, default=list)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
