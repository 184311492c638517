"""Pooled PostgreSQL connections: a healthy one is handed out again as it is (no ping round
trip), and one the server has ended is replaced before a request uses it, so a request
after ``pg_terminate_backend`` (a restart, an idle timeout) never fails."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from documents.db import Database


@pytest.fixture()
def pg(rt):
    if not rt.db.is_postgres:
        pytest.skip("the ping of pooled connections is a PostgreSQL matter")
    db = Database(rt.settings.database_url, pool_size=1, max_overflow=0)
    yield db
    db.dispose()


def _backend_pid(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(text("SELECT pg_backend_pid()"))


def test_a_healthy_pooled_connection_is_used_again(pg):
    assert _backend_pid(pg) == _backend_pid(pg)


def test_a_connection_the_server_ended_is_replaced_before_use(pg, rt):
    pid = _backend_pid(pg)
    with rt.db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
    time.sleep(0.2)  # the server's farewell reaches the pooled socket
    with pg.write_session() as s:  # the next unit of work runs, on a new connection
        assert s.scalar(text("SELECT 1")) == 1
        assert s.scalar(text("SELECT pg_backend_pid()")) != pid
    assert [tuple(r) for r in pg.read_rows(_PID, {})] != [(pid,)]  # and so does a token lookup


_PID = text("SELECT pg_backend_pid() AS pid")


def test_a_read_outside_a_transaction_leaves_the_pooled_connection_as_it_found_it(pg):
    """The token lookup reads in autocommit on a pooled connection: a unit of work after it,
    on the same connection, is a transaction again (its ROLLBACK undoes its write)."""
    pid = pg.read_rows(_PID, {})[0].pid
    with pg.engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) == pid
        conn.execute(text("CREATE TEMP TABLE t_autocommit (x int)"))
        conn.rollback()
        assert conn.scalar(text("SELECT to_regclass('pg_temp.t_autocommit')")) is None
