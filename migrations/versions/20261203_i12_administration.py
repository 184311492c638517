"""Administration in the browser: organisation requisites (INN, address, active), one-time
password links, the administrative log, journal settings, case-insensitive e-mails.

Revision ID: i12_administration
Revises: 0005_merge
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "i12_administration"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("inn", sa.String(length=12), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("address", sa.String(length=500), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("is_active", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "admin_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_kind", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name="fk_admin_log_actor_id_users", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name="fk_admin_log_org_id_organizations", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_admin_log"),
    )
    op.create_index("ix_admin_log_org_at", "admin_log", ["org_id", "at"])
    op.create_table(
        "password_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("purpose IN ('invite', 'reset')", name="ck_password_tokens_purpose"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_password_tokens_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_password_tokens"),
        sa.UniqueConstraint("token_sha256", name="uq_password_tokens_token_sha256"),
    )
    op.create_index("ix_password_tokens_user_id", "password_tokens", ["user_id"])
    op.create_table(
        "journal_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("suffix", sa.String(length=20), nullable=False),
        sa.Column("kinds", JSON, nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name="fk_journal_settings_org_id_organizations",
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_journal_settings"),
        sa.UniqueConstraint("org_id", "code", name="uq_journal_settings_org_code"),
    )


def downgrade() -> None:
    op.drop_table("journal_settings")
    op.drop_index("ix_password_tokens_user_id", table_name="password_tokens")
    op.drop_table("password_tokens")
    op.drop_index("ix_admin_log_org_at", table_name="admin_log")
    op.drop_table("admin_log")
    op.drop_index("uq_users_email_lower", table_name="users")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("is_active")
        batch.drop_column("address")
        batch.drop_column("inn")
