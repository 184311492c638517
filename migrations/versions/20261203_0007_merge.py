"""Merge saved filters and the transition's one-round-trip chain head into one head.

Revision ID: 0007_merge
Revises: i13l_saved_filters, i14_transition_path
"""

from __future__ import annotations

revision = "0007_merge"
down_revision = ("i13l_saved_filters", "i14_transition_path")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
