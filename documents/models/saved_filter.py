"""A person's saved filter of a list page («Сохранённые фильтры»): a name and the query
string that reproduces the filter set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import UtcDateTime, utcnow


class SavedFilter(Base):
    __tablename__ = "saved_filters"
    __table_args__ = (
        UniqueConstraint("user_id", "page", "name", name="uq_saved_filters_user_page_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: the list the filter belongs to: ``documents`` | ``audit_events``
    page: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    #: the filter as a URL query string of whitelisted arguments (no page number)
    query: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
