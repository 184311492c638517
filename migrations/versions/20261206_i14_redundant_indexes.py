"""Drop two indexes another index already covers: a transition's UPDATE changes the document's
state, so it can never be a HOT update and writes an entry into every index of ``documents``.

- ``ix_documents_org_kind_state`` (org_id, kind, state) is the prefix of
  ``ix_documents_compliance`` (org_id, kind, state, id);
- ``ix_documents_assignment_of`` (assignment_of) is the prefix of the unique
  ``uq_documents_assignment_of_org_id`` (assignment_of, org_id).

Revision ID: i14_redundant_indexes
Revises: 0007_merge
"""

from __future__ import annotations

from alembic import op

revision = "i14_redundant_indexes"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_documents_org_kind_state", table_name="documents")
    op.drop_index("ix_documents_assignment_of", table_name="documents")


def downgrade() -> None:
    op.create_index("ix_documents_assignment_of", "documents", ["assignment_of"])
    op.create_index("ix_documents_org_kind_state", "documents", ["org_id", "kind", "state"])
