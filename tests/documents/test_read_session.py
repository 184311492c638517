"""The read session (a request's, and ``Database.read_session()``) writes nothing, on every
database: on PostgreSQL it runs without a transaction of its own (each statement sees what is
committed, as at READ COMMITTED anyway), so a write there would be committed at once, half a
use case. Long reads still stream there, on a connection in a transaction of its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from documents.db import ReadSessionWrite, stream_rows
from documents.models import Organization


def _count(rt) -> int:
    with rt.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(Organization))


def test_a_new_object_is_refused_and_nothing_is_written(rt, world):
    before = _count(rt)
    with rt.db.read_session() as s:
        s.add(Organization(name="Школа из ниоткуда", short_name="Нет", kind="school",
                           founder="—", place="—", head_name="—"))
        with pytest.raises(ReadSessionWrite):
            s.flush()
    assert _count(rt) == before


def test_a_changed_object_is_refused_and_stays_as_it_was(rt, world):
    with rt.db.read_session() as s:
        org = s.get(Organization, world.orgs["school1"])
        name = org.name
        org.name = "Переименована без спроса"
        with pytest.raises(ReadSessionWrite):
            s.scalar(select(func.count()).select_from(Organization))  # autoflush
    with rt.db.read_session() as s:
        assert s.get(Organization, world.orgs["school1"]).name == name


def test_an_update_statement_is_refused(rt, world):
    with rt.db.read_session() as s, pytest.raises(ReadSessionWrite):
        s.execute(update(Organization).where(Organization.id == world.orgs["school1"])
                  .values(name="Переименована"))


def test_reads_need_no_transaction_on_postgresql_and_long_reads_stream(rt, world):
    with rt.db.read_session() as s:
        names = [r.name for r in stream_rows(s, select(Organization.name)
                                             .order_by(Organization.id), 2)]
        assert len(names) == _count(rt) > 2
        if rt.db.is_postgres:  # no BEGIN was sent: the connection is idle, not in a transaction
            assert s.scalar(text("SELECT 1")) == 1
            dbapi = s.connection().connection.dbapi_connection
            assert dbapi.info.transaction_status.name == "IDLE"


def test_a_core_statement_on_the_sessions_connection_is_refused(rt, world):
    # below the ORM: a Core UPDATE and SQL text on the read session's own connection
    school = world.orgs["school1"]
    with rt.db.read_session() as s:
        name = s.get(Organization, school).name
        with pytest.raises(ReadSessionWrite):
            s.connection().execute(update(Organization).where(Organization.id == school)
                                   .values(name="Переименована"))
        with pytest.raises(ReadSessionWrite):
            s.connection().execute(text("  update organizations set name = 'x' where id = :id"),
                                   {"id": school})
    with rt.db.read_session() as s:
        assert s.get(Organization, school).name == name
    with rt.db.write_session() as s:  # a write session writes as before
        s.connection().execute(update(Organization).where(Organization.id == school)
                               .values(name=name + " "))
    with rt.db.read_session() as s:
        assert s.get(Organization, school).name == name + " "
