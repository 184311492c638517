"""A covering index for the compliance matrix: the best checkpoint document of every school
is read by an index-only scan (measured on the generated region: one municipality's query
16 ms → 3 ms, the region's no longer reads the wide documents rows).

Revision ID: i14_compliance_index
Revises: i14_stored_files
"""

from __future__ import annotations

from migrations import online

revision = "i14_compliance_index"
down_revision = "i14_stored_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    online.create_index("ix_documents_compliance", "documents", ["org_id", "kind", "state", "id"],
                        postgresql_include=["registration_number", "signed_at", "sent_at"])


def downgrade() -> None:
    online.drop_index("ix_documents_compliance", "documents")
