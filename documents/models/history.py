"""The append-only, hash-chained history of every document event (one chain per organisation)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import UtcDateTime, utcnow


class HistoryEvent(Base):
    __tablename__ = "history_events"
    __table_args__ = (UniqueConstraint("org_id", "seq", name="uq_history_events_org_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # No foreign key: history outlives the user; the name is kept for the record.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    content_sha256: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: When a deputy (и. о.) acted: the absent person whose place they took.
    on_behalf_of_id: Mapped[int | None] = mapped_column(Integer)
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(200))

    def to_api(self) -> dict:
        return {
            "seq": self.seq,
            "at": iso_utc(self.at),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "event": self.event,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "version": self.version,
            "comment": self.comment,
            "content_sha256": self.content_sha256,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "on_behalf_of": self.on_behalf_of_id,
            "on_behalf_of_name": self.on_behalf_of_name,
        }


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 UTC with a Z; SQLite hands back naive datetimes that are already UTC."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"
