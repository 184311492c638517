"""The transition's hot path: an index for putting away a document's unread notices (every
transition does it: was a scan of all notifications), and on PostgreSQL the chain head read
under the organisation's advisory lock in one round trip.

``nastavnik_chain_head(ns, org)`` takes ``pg_advisory_xact_lock(ns, org)`` and then reads
the head; it is VOLATILE, so on READ COMMITTED its SELECT takes a snapshot after the lock is
granted and sees the head the previous holder committed (the same guarantee as the two
statements it replaces).

Revision ID: i14_transition_path
Revises: 0006_merge
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations import online

revision = "i14_transition_path"
down_revision = "0006_merge"
branch_labels = None
depends_on = None

CHAIN_HEAD = """
CREATE OR REPLACE FUNCTION nastavnik_chain_head(ns integer, org integer)
RETURNS TABLE (seq integer, hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(ns, org);
    RETURN QUERY SELECT h.seq, h.hash FROM history_events h
                 WHERE h.org_id = org ORDER BY h.seq DESC LIMIT 1;
END
$$
"""


def upgrade() -> None:
    online.create_index("ix_notifications_document_unread", "notifications", ["document_id"],
                        postgresql_where=sa.text("read_at IS NULL"),
                        sqlite_where=sa.text("read_at IS NULL"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CHAIN_HEAD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS nastavnik_chain_head(integer, integer)")
    online.drop_index("ix_notifications_document_unread", "notifications")
