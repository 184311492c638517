"""Index changes on tables that are large in a live installation (documents, notifications),
made without blocking its writes.

An upgrade runs while the old release still serves (deploy/README.md §2). A plain
``CREATE INDEX`` holds a lock that stops every INSERT and UPDATE of the table until the index
is built — on a region's documents, every transition for as long as that takes. On
PostgreSQL these helpers build and drop indexes ``CONCURRENTLY``, which PostgreSQL allows only
outside a transaction: the migration's transaction is committed first (Alembic's
``autocommit_block``), so what the earlier migrations did is kept if the build then fails.

A concurrent build first waits for every transaction already running to end (nothing waits
for it meanwhile): it may wait up to :data:`WAIT` for a long one — a report, a backup —
where an application statement gives up after 15 s.

Running ``migrate`` again is always safe: an index already there (created by hand ahead of
the upgrade, or by an earlier attempt) is kept, and one left INVALID by a build that failed
or was interrupted is dropped and built again. SQLite (one process, no concurrent writers)
gets the plain statements.
"""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import context, op

#: How long a concurrent index build waits for the transactions running when it starts.
WAIT = "10min"


def _online() -> bool:
    return op.get_bind().dialect.name == "postgresql" and not context.is_offline_mode()


def create_index(name: str, table: str, columns: list, **kw) -> None:
    """``op.create_index`` that does not block writes to ``table`` on PostgreSQL."""
    if not _online():
        op.create_index(name, table, columns, if_not_exists=True, **kw)
        return
    with _patient():
        if _is_valid(name) is False:
            op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)
        op.create_index(name, table, columns, postgresql_concurrently=True, if_not_exists=True,
                        **kw)


def drop_index(name: str, table: str) -> None:
    """``op.drop_index`` that does not block reads and writes of ``table`` on PostgreSQL."""
    if not _online():
        op.drop_index(name, table_name=table, if_exists=True)
        return
    with _patient():
        op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)


@contextmanager
def _patient():
    """Outside the migration's transaction, waiting up to :data:`WAIT` for locks."""
    with op.get_context().autocommit_block():
        op.execute(f"SET lock_timeout = '{WAIT}'")
        try:
            yield
        finally:
            op.execute("RESET lock_timeout")


def _is_valid(name: str) -> bool | None:
    """Whether the index ``name`` of the current schema is usable (None: there is none)."""
    return op.get_bind().scalar(sa.text(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = :name AND c.relnamespace = current_schema()::regnamespace"),
        {"name": name})
