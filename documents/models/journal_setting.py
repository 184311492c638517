"""How an organisation keeps a registration journal: its title, suffix and the kinds that use
it. The yearly counters stay in ``registration_journals``."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import JsonType


class JournalSetting(Base):
    __tablename__ = "journal_settings"
    __table_args__ = (UniqueConstraint("org_id", "code", name="uq_journal_settings_org_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20), default="")
    suffix: Mapped[str] = mapped_column(String(20), default="")
    kinds: Mapped[list] = mapped_column(JsonType, default=list)
