"""Roadmaps: responsibles and evidence notes on items, the reminder log (exactly-once key)
and calendar feed tokens.

Revision ID: 0004_roadmaps
Revises: 0001_core
Create Date: 2026-11-22 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_roadmaps"
down_revision = "0001_core"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("roadmap_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_roles", JSON, nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("responsible_user_ids", JSON, nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("notes", JSON, nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("done_by_name", sa.String(length=200), nullable=False,
                                      server_default=""))

    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recipient_ids", JSON, nullable=False),
        sa.Column("emails_sent", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["roadmap_items.id"],
                                name=op.f("fk_reminder_log_item_id_roadmap_items"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_log")),
        sa.UniqueConstraint("item_id", "occurrence", "kind",
                            name="uq_reminder_log_item_occurrence_kind"),
    )
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_log_item_id"), ["item_id"], unique=False)

    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_calendar_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_calendar_tokens_token_sha256")),
    )
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("calendar_tokens")
    op.drop_table("reminder_log")
    with op.batch_alter_table("roadmap_items", schema=None) as batch_op:
        batch_op.drop_column("done_by_name")
        batch_op.drop_column("notes")
        batch_op.drop_column("responsible_user_ids")
        batch_op.drop_column("responsible_roles")
