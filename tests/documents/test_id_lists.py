"""``in_ids``: the same rows as ``IN`` for any list, sent to PostgreSQL as one array."""

from __future__ import annotations

from sqlalchemy import event, select

from documents.id_lists import in_ids
from documents.models import Organization


def test_the_same_rows_as_in_for_any_list(rt, world):
    every = sorted(world.orgs.values())
    with rt.db.read_session() as s:
        for ids in ([], [every[0]], every[::2], every, [10**9]):
            found = s.scalars(select(Organization.id).where(
                in_ids(s, Organization.id, ids)).order_by(Organization.id)).all()
            assert found == sorted(set(ids) & set(every))
        schools = select(Organization.id).where(Organization.parent_id == world.orgs["muni"])
        assert set(s.scalars(select(Organization.id).where(
            in_ids(s, Organization.id, schools)))) == set(s.scalars(schools))


def test_postgresql_gets_one_parameter_for_fifty_ids(rt, world):
    sent = []
    event.listen(rt.db.engine, "before_cursor_execute",
                 lambda conn, cursor, sql, params, *_: sent.append((sql, params)))
    with rt.db.read_session() as s:
        s.scalars(select(Organization.id).where(in_ids(s, Organization.id, range(1, 51)))).all()
    sql, params = sent[-1]
    if rt.db.is_postgres:
        assert "= ANY" in sql and list(params.values()) == [list(range(1, 51))]
    else:
        assert " IN (" in sql and len(params) == 50
