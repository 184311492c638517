"""Approval routes: the route in force per organisation and kind, the copy a submitted
document carries, the visas given on its stages, collegial protocols, and the appendices an
approving order carries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, utcnow


class ApprovalRoute(Base):
    """An organisation's own route for a kind (absent: the built-in default applies)."""

    __tablename__ = "approval_routes"
    __table_args__ = (UniqueConstraint("org_id", "kind", name="uq_approval_routes_org_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    stages: Mapped[list] = mapped_column(JsonType, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by_name: Mapped[str] = mapped_column(String(200), default="")


class DocumentRoute(Base):
    """The route copied onto a document at submit; ``round`` counts submissions, ``current``
    is the index of the stage in progress (== len(stages) once every stage is done)."""

    __tablename__ = "document_routes"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    stages: Mapped[list] = mapped_column(JsonType, default=list)
    current: Mapped[int] = mapped_column(Integer, default=0)
    #: in_progress | done | rejected | recalled
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    #: when the current stage started (its due date counts from here)
    stage_started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RouteVisa(Base):
    """A visa on one stage of one round. ``participant_id`` is whose place on the stage it
    fills (the absent person when a deputy acts); unique, so nobody visas a stage twice."""

    __tablename__ = "route_visas"
    __table_args__ = (
        UniqueConstraint("document_id", "round", "stage", "participant_id",
                         name="uq_route_visas_doc_round_stage_participant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    on_behalf_of_id: Mapped[int | None] = mapped_column(Integer)
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))  # approved | rejected
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StageProtocol(Base):
    """A collegial body's decision on a stage: protocol number, date and an optional scan."""

    __tablename__ = "stage_protocols"
    __table_args__ = (
        UniqueConstraint("document_id", "round", "stage",
                         name="uq_stage_protocols_doc_round_stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(40))
    date: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20))  # approved | rejected
    comment: Mapped[str] = mapped_column(Text, default="")
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_mime: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Appendix(Base):
    """An approved act attached to an approving order as its appendix № ``position``."""

    __tablename__ = "document_appendices"
    __table_args__ = (
        UniqueConstraint("order_id", "document_id", name="uq_document_appendices_order_document"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    attached_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class VisaReminderLog(Base):
    """A reminder about an overdue stage that went out — exactly once per (document, round,
    stage, kind), like the roadmap items' ``ReminderLog``: insert first, send only if the
    insert succeeded."""

    __tablename__ = "visa_reminder_log"
    __table_args__ = (
        UniqueConstraint("document_id", "round", "stage", "kind",
                         name="uq_visa_reminder_log_doc_round_stage_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    #: overdue | escalation
    kind: Mapped[str] = mapped_column(String(20))
    recipient_ids: Mapped[list] = mapped_column(JsonType, default=list)
    emails_sent: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
