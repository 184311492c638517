"""Roadmaps (дорожные карты): sections and dated items with responsibles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, utcnow


class Roadmap(Base):
    __tablename__ = "roadmaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(500))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    source_filename: Mapped[str] = mapped_column(String(300), default="")
    indicators: Mapped[list] = mapped_column(JsonType, default=list)
    warnings: Mapped[list] = mapped_column(JsonType, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    sections: Mapped[list[RoadmapSection]] = relationship(
        order_by="RoadmapSection.position", cascade="all, delete-orphan"
    )
    items: Mapped[list[RoadmapItem]] = relationship(
        order_by="RoadmapItem.position", cascade="all, delete-orphan", back_populates="roadmap"
    )


class RoadmapSection(Base):
    __tablename__ = "roadmap_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")


class RoadmapItem(Base):
    __tablename__ = "roadmap_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmaps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(20), default="")
    activity: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dict] = mapped_column(JsonType, default=dict)
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date, index=True)
    responsible_text: Mapped[str] = mapped_column(Text, default="")
    responsible_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    result_text: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Added by 0004_roadmaps: who the responsibles are (matched on import), evidence notes.
    #: Roles («Директор ОУ» → director) whose holders in the organisation are responsible.
    responsible_roles: Mapped[list] = mapped_column(JsonType, default=list)
    #: Users matched by surname and initials.
    responsible_user_ids: Mapped[list] = mapped_column(JsonType, default=list)
    #: Evidence notes: [{"at", "by", "text", "done"}], oldest first.
    notes: Mapped[list] = mapped_column(JsonType, default=list)
    done_by_name: Mapped[str] = mapped_column(String(200), default="")
    #: The item's own ``roadmap_item`` document (its chain: draft → approval → approved).
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)

    roadmap: Mapped[Roadmap] = relationship(back_populates="items")
