"""The auditor's workspace: verified chain heads (checkpoints) and background audit jobs.

Revision ID: i15_audit_workspace
Revises: 0005_merge
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'i15_audit_workspace'
down_revision = '0005_merge'
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'audit_checkpoints',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('events_checked', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organizations.id'],
                                name=op.f('fk_audit_checkpoints_org_id_organizations'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints')),
    )
    op.create_index('ix_audit_checkpoints_org_seq', 'audit_checkpoints', ['org_id', 'seq'])
    op.create_table(
        'audit_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('requested_by', sa.Integer(), nullable=True),
        sa.Column('params', _JSON, nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('result', _JSON, nullable=False),
        sa.Column('file_key', sa.String(length=300), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_jobs')),
    )
    op.create_index(op.f('ix_audit_jobs_requested_by'), 'audit_jobs', ['requested_by'])


def downgrade() -> None:
    op.drop_index(op.f('ix_audit_jobs_requested_by'), table_name='audit_jobs')
    op.drop_table('audit_jobs')
    op.drop_index('ix_audit_checkpoints_org_seq', table_name='audit_checkpoints')
    op.drop_table('audit_checkpoints')
