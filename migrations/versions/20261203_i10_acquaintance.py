"""Electronic acquaintance with orders (who must read a signed order and when each
confirmed), the acquaintance reminder in the reminder log, and the user's work phone.

Revision ID: i10_acquaintance
Revises: 0005_merge
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i10_acquaintance"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=False,
                                      server_default=""))

    op.create_table(
        "acquaintances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_acquaintances_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_acquaintances_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acquaintances")),
        sa.UniqueConstraint("document_id", "user_id", name="uq_acquaintances_document_user"),
    )
    with op.batch_alter_table("acquaintances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acquaintances_document_id"), ["document_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_acquaintances_user_id"), ["user_id"],
                              unique=False)

    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_reminder_log_document_id_documents"),
                                    "documents", ["document_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(batch_op.f("ix_reminder_log_document_id"), ["document_id"],
                              unique=False)
        batch_op.create_unique_constraint("uq_reminder_log_document_occurrence_kind",
                                          ["document_id", "occurrence", "kind"])


def downgrade() -> None:
    op.execute("DELETE FROM reminder_log WHERE item_id IS NULL")
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.drop_constraint("uq_reminder_log_document_occurrence_kind", type_="unique")
        batch_op.drop_index(batch_op.f("ix_reminder_log_document_id"))
        batch_op.drop_constraint(op.f("fk_reminder_log_document_id_documents"),
                                 type_="foreignkey")
        batch_op.drop_column("document_id")
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("acquaintances")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("phone")
