"""Files in the database for the distributed mode (content-addressed, chunked bytea).

Revision ID: i14_stored_files
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "i14_stored_files"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_files")),
    )
    op.create_index(op.f("ix_stored_files_sha256"), "stored_files", ["sha256"])
    op.create_table(
        "stored_file_chunks",
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["key"], ["stored_files.key"], ondelete="CASCADE",
                                name=op.f("fk_stored_file_chunks_key_stored_files")),
        sa.PrimaryKeyConstraint("key", "n", name=op.f("pk_stored_file_chunks")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # chunks are already compressed DOCX/XLSX (zip): do not try to compress them again
        op.execute("ALTER TABLE stored_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("stored_file_chunks")
    op.drop_index(op.f("ix_stored_files_sha256"), table_name="stored_files")
    op.drop_table("stored_files")
