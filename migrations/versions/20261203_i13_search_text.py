"""Documents get a normalised search column (case-folded, «ё» as «е»), backfilled here;
one-time approval links for e-mails (only the token's SHA-256 is stored).

Revision ID: i13_search_text
Revises: 0005_merge
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "i13_search_text"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

_SPACES = re.compile(r"\s+")


def _fold(title, number) -> str:
    # Frozen copy of documents.search.document_search_text as of this revision.
    value = f"{title or ''} {number or ''}".casefold().replace("ё", "е")
    return _SPACES.sub(" ", value).strip()[:1000]


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    docs = sa.table("documents", sa.column("id", sa.Integer),
                    sa.column("title", sa.String), sa.column("registration_number", sa.String),
                    sa.column("search_text", sa.Text))
    rows = conn.execute(sa.select(docs.c.id, docs.c.title, docs.c.registration_number)).all()
    for row in rows:
        conn.execute(docs.update().where(docs.c.id == row.id)
                     .values(search_text=_fold(row.title, row.registration_number)))
    op.create_table(
        "approval_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_approval_links_user_id_users"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE",
                                name="fk_approval_links_document_id_documents"),
        sa.PrimaryKeyConstraint("id", name="pk_approval_links"),
        sa.UniqueConstraint("token_sha256", name="uq_approval_links_token_sha256"),
    )
    op.create_index("ix_approval_links_user_id", "approval_links", ["user_id"])
    op.create_index("ix_approval_links_document_id", "approval_links", ["document_id"])


def downgrade() -> None:
    op.drop_table("approval_links")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("search_text")
