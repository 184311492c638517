"""Merge the feature branches (templates, registers, roadmaps) into one head.

Revision ID: 0005_merge
Revises: 0002_templates, 0003_registers, 0004_roadmaps
Create Date: 2026-11-22 03:01:31.865493
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005_merge'
down_revision = ('0002_templates', '0003_registers', '0004_roadmaps')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
