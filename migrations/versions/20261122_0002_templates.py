"""Uploaded DOCX templates: one active template per (kind, organisation).

Revision ID: 0002_templates
Revises: 0001_core
Create Date: 2026-11-22 03:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002_templates'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'uploaded_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('file_key', sa.String(length=300), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('variables', sa.JSON().with_variant(
            postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_by_name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.CheckConstraint('length(sha256) = 64',
                           name=op.f('ck_uploaded_templates_sha256_length')),
        sa.ForeignKeyConstraint(['org_id'], ['organizations.id'],
                                name=op.f('fk_uploaded_templates_org_id_organizations'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_uploaded_templates_uploaded_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uploaded_templates')),
    )
    with op.batch_alter_table('uploaded_templates', schema=None) as batch_op:
        batch_op.create_index('ix_uploaded_templates_org_kind', ['org_id', 'kind'], unique=False)
        batch_op.create_index('uq_uploaded_templates_active', ['kind', 'org_id'], unique=True,
                              sqlite_where=sa.text('is_active'),
                              postgresql_where=sa.text('is_active'))


def downgrade() -> None:
    with op.batch_alter_table('uploaded_templates', schema=None) as batch_op:
        batch_op.drop_index('uq_uploaded_templates_active')
        batch_op.drop_index('ix_uploaded_templates_org_kind')
    op.drop_table('uploaded_templates')
