"""Merge the branches of the 2026-12-03 round into one head.

Revision ID: 0006_merge
Revises: i11_session_activity, i12_administration, i13_search_text, i14_compliance_index, i15_audit_workspace, i17_roadmap_item_documents, i9_approval_routes
"""

from __future__ import annotations

revision = "0006_merge"
down_revision = ('i11_session_activity', 'i12_administration', 'i13_search_text', 'i14_compliance_index', 'i15_audit_workspace', 'i17_roadmap_item_documents', 'i9_approval_routes')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
