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

from migrations import online

revision = "i14_redundant_indexes"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    online.drop_index("ix_documents_org_kind_state", "documents")
    online.drop_index("ix_documents_assignment_of", "documents")


def downgrade() -> None:
    online.create_index("ix_documents_assignment_of", "documents", ["assignment_of"])
    online.create_index("ix_documents_org_kind_state", "documents", ["org_id", "kind", "state"])
