"""Approval routes, visas on stages, collegial protocols, appendices of approving orders,
substitutions (и. о.) and «on behalf of» in the history.

Revision ID: i9_approval_routes
Revises: 0005_merge
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "i9_approval_routes"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TS = sa.DateTime(timezone=True)


def _fk(table: str, col: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{target}.id"], name=f"fk_{table}_{col}_{target}",
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "approval_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("stages", JSON, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by_name", sa.String(200), nullable=False),
        _fk("approval_routes", "org_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_approval_routes"),
        sa.UniqueConstraint("org_id", "kind", name="uq_approval_routes_org_kind"),
    )
    op.create_table(
        "document_routes",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stages", JSON, nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stage_started_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        _fk("document_routes", "document_id", "documents", "CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_routes"),
    )
    op.create_table(
        "route_visas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("position", sa.String(200), nullable=False),
        sa.Column("on_behalf_of_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf_of_name", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        _fk("route_visas", "document_id", "documents", "CASCADE"),
        _fk("route_visas", "user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_route_visas"),
        sa.UniqueConstraint("document_id", "round", "stage", "participant_id",
                            name="uq_route_visas_doc_round_stage_participant"),
    )
    op.create_index("ix_route_visas_document_id", "route_visas", ["document_id"])
    op.create_table(
        "stage_protocols",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(40), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("file_key", sa.String(300), nullable=True),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("file_mime", sa.String(100), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_name", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        _fk("stage_protocols", "document_id", "documents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_stage_protocols"),
        sa.UniqueConstraint("document_id", "round", "stage",
                            name="uq_stage_protocols_doc_round_stage"),
    )
    op.create_index("ix_stage_protocols_document_id", "stage_protocols", ["document_id"])
    op.create_table(
        "document_appendices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attached_at", TS, nullable=False),
        _fk("document_appendices", "order_id", "documents", "CASCADE"),
        _fk("document_appendices", "document_id", "documents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_document_appendices"),
        sa.UniqueConstraint("order_id", "document_id",
                            name="uq_document_appendices_order_document"),
    )
    op.create_index("ix_document_appendices_order_id", "document_appendices", ["order_id"])
    op.create_index("ix_document_appendices_document_id", "document_appendices",
                    ["document_id"])
    op.create_table(
        "substitutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("absent_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        _fk("substitutions", "org_id", "organizations", "CASCADE"),
        _fk("substitutions", "absent_id", "users", "CASCADE"),
        _fk("substitutions", "deputy_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_substitutions"),
        sa.CheckConstraint('"end" >= start', name="ck_substitutions_substitution_dates_ordered"),
        sa.CheckConstraint("absent_id <> deputy_id", name="ck_substitutions_substitution_not_self"),
    )
    for col in ("org_id", "absent_id", "deputy_id"):
        op.create_index(f"ix_substitutions_{col}", "substitutions", [col])
    op.create_table(
        "visa_reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("recipient_ids", JSON, nullable=False),
        sa.Column("emails_sent", sa.Integer(), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        _fk("visa_reminder_log", "document_id", "documents", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_visa_reminder_log"),
        sa.UniqueConstraint("document_id", "round", "stage", "kind",
                            name="uq_visa_reminder_log_doc_round_stage_kind"),
    )
    op.create_index("ix_visa_reminder_log_document_id", "visa_reminder_log", ["document_id"])
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_of_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("history_events", schema=None) as batch_op:
        batch_op.drop_column("on_behalf_of_name")
        batch_op.drop_column("on_behalf_of_id")
    for name in ("visa_reminder_log", "substitutions", "document_appendices", "stage_protocols", "route_visas",
                 "document_routes", "approval_routes"):
        op.drop_table(name)
