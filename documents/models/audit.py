"""The auditor's records: verified heads of each organisation's history chain (checkpoints,
so verification only walks new events) and background audit jobs (verification, packs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, utcnow


class AuditCheckpoint(Base):
    """A head (seq, hash) of one organisation's chain that a verification found intact."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (Index("ix_audit_checkpoints_org_seq", "org_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    events_checked: Mapped[int] = mapped_column(Integer, default=0)


class AuditJob(Base):
    """A verification or an audit pack run in the background, with its progress."""

    __tablename__ = "audit_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "verify" | "pack"
    requested_by: Mapped[int | None] = mapped_column(Integer, index=True)
    params: Mapped[dict] = mapped_column(JsonType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # running|done|failed
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict] = mapped_column(JsonType, default=dict)
    file_key: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
