"""Roadmap deadline reminders sent (one row per item, occurrence and kind) and the secret
tokens of personal calendar feeds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, utcnow


class ReminderLog(Base):
    """A reminder that went out. The unique key is the arbiter of "exactly once": a sender
    inserts the row first and sends only if the insert succeeded (two beats, a retried task)."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("item_id", "occurrence", "kind", name="uq_reminder_log_item_occurrence_kind"),
        UniqueConstraint("document_id", "occurrence", "kind",
                         name="uq_reminder_log_document_occurrence_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A roadmap item's reminder; NULL when ``document_id`` names the document instead (an
    #: order's acquaintance reminder, or a school's copy of a municipal roadmap item).
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("roadmap_items.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[date] = mapped_column(Date)
    #: before_7 | before_1 | overdue | escalation | acquaintance
    kind: Mapped[str] = mapped_column(String(20))
    recipient_ids: Mapped[list] = mapped_column(JsonType, default=list)
    emails_sent: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class CalendarToken(Base):
    """The secret of a user's iCalendar feed URL; only its SHA-256 is stored. Revoked by
    setting ``revoked_at`` (a new link revokes the old one)."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
