"""Files kept in the database (the distributed mode): one row per content, its bytes in
chunks, so any web host or worker reads any file and nothing needs a shared disk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from documents.db import Base
from documents.models.types import UtcDateTime, utcnow


class StoredFile(Base):
    """A content-addressed file: ``key`` is ``<sha[:2]>/<sha256><suffix>``."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StoredFileChunk(Base):
    """The n-th chunk (0-based, at most 1 MiB) of a stored file."""

    __tablename__ = "stored_file_chunks"

    key: Mapped[str] = mapped_column(
        String(120), ForeignKey("stored_files.key", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
