"""Upgrading a live PostgreSQL installation (deploy/README.md §2): the indexes an upgrade adds
to the large tables are built without stopping the old release's writes, and `migrate` can be
run again after a build that failed or was done by hand."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from documents import schema
from tests.documents.scratch_schema import scratch_schema

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                                reason="CREATE INDEX CONCURRENTLY is PostgreSQL's")

BEFORE = "i14_redundant_indexes"  # the revision before ix_documents_checkpoint_rank
INDEX = "ix_documents_checkpoint_rank"


@pytest.fixture()
def url():
    """A throw-away schema of the test database, migrated up to :data:`BEFORE`."""
    with scratch_schema("online") as scoped:
        schema.upgrade(scoped, BEFORE)
        yield scoped


def _index_state(engine, name: str = INDEX):
    with engine.connect() as conn:
        return conn.scalar(text(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = :n AND c.relnamespace = current_schema()::regnamespace"),
            {"n": name})


def test_writers_go_on_while_migrate_builds_an_index(url):
    engine = create_engine(url)
    # an old-release transaction writing documents, still open when the upgrade starts
    writer = engine.connect()
    writer.begin()
    writer.execute(text("LOCK TABLE documents IN ROW EXCLUSIVE MODE"))
    failure: list[BaseException] = []

    def migrate():
        try:
            schema.upgrade(url, "i14_checkpoint_rank_index")
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failure.append(exc)

    upgrade = threading.Thread(target=migrate, daemon=True)
    upgrade.start()
    try:
        deadline = time.monotonic() + 10
        # (in autocommit: pg_stat_activity is a snapshot per transaction)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watch:
            while not watch.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND query ILIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'")):
                assert time.monotonic() < deadline and not failure, failure
                time.sleep(0.05)
        # the index build is waiting for the open transaction; a new writer is not queued
        # behind it (a plain CREATE INDEX would hold every new writer until it is done)
        with engine.connect() as other:
            other.execute(text("SET LOCAL lock_timeout = '3s'"))
            other.execute(text("LOCK TABLE documents IN ROW EXCLUSIVE MODE"))
            other.rollback()
    finally:
        writer.commit()
        writer.close()
        upgrade.join(60)
    assert not failure and not upgrade.is_alive()
    assert _index_state(engine) is True
    assert _index_state(engine, "ix_documents_compliance") is None  # replaced by it
    engine.dispose()


def test_migrate_keeps_an_index_built_by_hand_ahead_of_the_upgrade(url):
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE INDEX CONCURRENTLY {INDEX} ON documents (org_id, kind)"))
    schema.upgrade(url, "head")
    assert _index_state(engine) is True
    engine.dispose()


def test_migrate_rebuilds_an_index_a_failed_build_left_invalid(url):
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE INDEX CONCURRENTLY {INDEX} ON documents (org_id)"))
        # what an interrupted or failed CREATE INDEX CONCURRENTLY leaves behind
        conn.execute(text("UPDATE pg_index SET indisvalid = false WHERE indexrelid = "
                          f"'{INDEX}'::regclass"))
    assert _index_state(engine) is False
    schema.upgrade(url, "head")
    assert _index_state(engine) is True
    with engine.connect() as conn:  # built anew, with the migration's own columns
        columns = conn.scalar(text(f"SELECT pg_get_indexdef('{INDEX}'::regclass)"))
    assert "CASE state" in columns and "id DESC" in columns
    engine.dispose()
