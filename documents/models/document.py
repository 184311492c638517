"""Documents (local acts), their versions and the visas given on them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement, Grouping

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, enum_column, utcnow
from documents.search import document_search_text


class DocState(str, enum.Enum):
    draft = "draft"
    on_approval = "on_approval"
    approved = "approved"
    signed = "signed"
    under_municipal_review = "under_municipal_review"
    accepted = "accepted"
    returned = "returned"
    cancelled = "cancelled"


#: States in which a document carries a registration number and a signature.
SIGNED_STATES = ("signed", "under_municipal_review", "accepted", "returned", "cancelled")
_signed_list = ", ".join(f"'{s}'" for s in SIGNED_STATES)
_approved_list = ", ".join(f"'{s}'" for s in ("approved", *SIGNED_STATES))


#: A checkpoint's documents, best first: the compliance matrix shows, per school and kind, the
#: one of the lowest rank, then the newest (a returned act counts after the signed ones).
CHECKPOINT_RANK = {
    "accepted": 0, "under_municipal_review": 1, "signed": 2, "returned": 3, "approved": 4,
    "on_approval": 5, "draft": 6, "cancelled": 7,
}


def checkpoint_rank(state) -> ColumnElement[int]:
    """``CASE state WHEN 'accepted' THEN 0 … END`` with its constants written in the SQL:
    PostgreSQL uses the index on this expression (below) only for a query that spells the
    same expression, and a statement psycopg has prepared (from its fifth run on) is planned
    without its parameters' values."""
    return case({literal_column(f"'{s}'"): literal_column(str(r))
                 for s, r in CHECKPOINT_RANK.items()}, value=state, else_=literal_column("9"))


class RenderStatus(str, enum.Enum):
    none = "none"
    pending = "pending"
    ready = "ready"
    failed = "failed"


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(
            f"kind = 'roadmap_item' OR state NOT IN ({_signed_list}) OR "
            "(registration_number IS NOT NULL AND signed_at IS NOT NULL "
            "AND signer_name IS NOT NULL)",
            name="signed_has_number_and_signer",
        ),
        # A school's copy of a municipal roadmap item: one per school and item.
        Index("uq_documents_assignment_of_org_id", "assignment_of", "org_id", unique=True),
        CheckConstraint(
            f"state NOT IN ({_approved_list}) OR approved_at IS NOT NULL",
            name="approved_has_approval",
        ),
        CheckConstraint("version >= 1 AND lock_version >= 0", name="counters_positive"),
        Index("ix_documents_state_due", "state", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(500))
    state: Mapped[DocState] = mapped_column(enum_column(DocState, "doc_state"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict] = mapped_column(JsonType, default=dict)
    registration_number: Mapped[str | None] = mapped_column(String(40))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    due: Mapped[date | None] = mapped_column(Date)
    roadmap_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("roadmap_items.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: A ``roadmap_item`` of a school carrying out this municipal roadmap item (looked up
    #: through the unique index on (assignment_of, org_id)).
    assignment_of: Mapped[int | None] = mapped_column(
        ForeignKey("roadmap_items.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    #: Title and registration number folded for search (documents.search); kept on write.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    organization = relationship("Organization", lazy="joined", innerjoin=True)
    responsible = relationship("User", foreign_keys=[responsible_id])


# The compliance matrix: every school's checkpoint documents in the order it picks the best
# one (org, kind, rank, newest), so PostgreSQL reads them presorted by an index-only scan and
# sorts nothing. The state follows its rank (one rank per state, so the order is the same) as a
# key, not an included column: lists by (org_id[, kind], state) — an officer's «на проверке»
# across 50 schools — find their rows in the index as with the (org_id, kind, state, id) index
# this replaces; a separate index for them would be one more entry for each transition to
# write (migration i14_redundant_indexes).
Index("ix_documents_checkpoint_rank", Document.org_id, Document.kind,
      Grouping(checkpoint_rank(Document.__table__.c.state)), Document.state, Document.id.desc(),
      postgresql_include=["registration_number", "signed_at", "sent_at"])


class DocumentVersion(Base):
    """One version of a document's content; frozen once signed."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_versions_document_number"),
        CheckConstraint(
            "signed_at IS NULL OR (file_sha256 IS NOT NULL AND registration_number IS NOT NULL)",
            name="signed_version_has_file",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    fields: Mapped[dict] = mapped_column(JsonType, default=dict)
    content_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(String(200), default="")
    registration_number: Mapped[str | None] = mapped_column(String(40))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_content_sha256: Mapped[str | None] = mapped_column(String(64))
    render_status: Mapped[RenderStatus] = mapped_column(
        enum_column(RenderStatus, "render_status"), default=RenderStatus.none
    )
    render_error: Mapped[str | None] = mapped_column(Text)
    rendered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Visa(Base):
    """An approval, rejection or agreement given by a person on one version."""

    __tablename__ = "visas"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


@event.listens_for(Document, "before_insert")
@event.listens_for(Document, "before_update")
def _keep_search_text(_mapper, _conn, doc: Document) -> None:
    doc.search_text = document_search_text(doc.title, doc.registration_number)
