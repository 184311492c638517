"""Writes a transition does not read back are queued and sent together (on PostgreSQL in one
round trip with the read after them): whatever runs next sees them, in the order they were
written, and a failing one undoes the whole transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, insert, text
from sqlalchemy.exc import IntegrityError

from documents.db import run_dml
from documents.write_batch import deferred, finish, first_row, later

_INSERT = text("INSERT INTO wb_probe (id, v) VALUES (:id, :v)")
_BUMP = text("UPDATE wb_probe SET v = v * 10 WHERE id = :id")
_READ = text("SELECT id, v FROM wb_probe WHERE id = :id").bindparams(bindparam("id"))


@pytest.fixture()
def probe(rt):
    with rt.db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS wb_probe"))
        conn.execute(text("CREATE TABLE wb_probe (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"))
    yield rt.db
    with rt.db.engine.begin() as conn:
        conn.execute(text("DROP TABLE wb_probe"))


def _values(db) -> dict:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT id, v FROM wb_probe")).all())


def test_queued_writes_run_in_order_before_the_read(probe):
    with probe.write_session() as s, deferred(s):
        assert run_dml(s, _INSERT, {"id": 1, "v": 2}) is None  # queued, not run
        run_dml(s, _BUMP, {"id": 1})
        assert _values(probe) == {}  # nothing has reached the database yet
        row = first_row(s, _READ, {"id": 1})
        assert (row.id, row.v) == (1, 20)
    assert _values(probe) == {1: 20}


def test_any_other_statement_sees_what_was_queued_before_it(probe):
    with probe.write_session() as s, deferred(s):
        run_dml(s, _INSERT, {"id": 1, "v": 3})
        assert s.execute(text("SELECT v FROM wb_probe WHERE id = 1")).scalar() == 3
        run_dml(s, _BUMP, {"id": 1})
    assert _values(probe) == {1: 30}  # the last write was sent at the end of the block


def test_a_failing_queued_write_undoes_the_whole_transaction(probe):
    with pytest.raises(IntegrityError):
        with probe.write_session() as s, deferred(s):
            run_dml(s, _INSERT, {"id": 1, "v": 1})
            run_dml(s, _INSERT, {"id": 1, "v": 2})  # the same key
            first_row(s, _READ, {"id": 1})
    assert _values(probe) == {}
    with probe.write_session() as s:  # the connection is fine afterwards
        run_dml(s, _INSERT, {"id": 2, "v": 1})
    assert _values(probe) == {2: 1}


def test_outside_the_block_writes_run_at_once(probe):
    with probe.write_session() as s:
        assert run_dml(s, _INSERT, {"id": 1, "v": 5}).rowcount == 1
        assert first_row(s, _READ, {"id": 1}).v == 5


def test_finish_sends_the_rest_with_the_commit(probe):
    with probe.write_session() as s, deferred(s):
        run_dml(s, _INSERT, {"id": 1, "v": 7})
        count = later(s, text("SELECT count(*) AS n FROM wb_probe"), {})
        assert count.row is None  # not sent yet
        finish(s)
        assert count.row.n == 1
        if probe.is_postgres:  # committed already, in the same round trip as the writes
            assert _values(probe) == {1: 7}
    assert _values(probe) == {1: 7}


def test_a_failing_commit_batch_leaves_nothing(probe):
    with probe.write_session() as s:
        run_dml(s, _INSERT, {"id": 1, "v": 1})
    with pytest.raises(IntegrityError):
        with probe.write_session() as s, deferred(s):
            run_dml(s, _BUMP, {"id": 1})
            run_dml(s, _INSERT, {"id": 1, "v": 2})
            finish(s)
    assert _values(probe) == {1: 1}


_TABLE = Table("wb_probe", MetaData(), Column("id", Integer, primary_key=True),
               Column("v", Integer, default=42))


def test_a_queued_insert_gets_the_defaults_the_model_gives(probe):
    with probe.write_session() as s, deferred(s):
        run_dml(s, insert(_TABLE).inline(), {"id": 1})  # v left to its Python-side default
        run_dml(s, insert(_TABLE).inline(), {"id": 2, "v": 5})
        assert first_row(s, _READ, {"id": 1}).v == 42
    assert _values(probe) == {1: 42, 2: 5}
