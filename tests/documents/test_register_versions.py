"""A school's register gets one new version per statement that writes its people, however
many people the statement writes (an import of hundreds is one upsert, not hundreds), and a
statement touching several schools versions them in the order of their ids — the order two
such statements lock the version rows in, so they cannot deadlock on them."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="registers are versioned by PostgreSQL triggers")

ADD = text("INSERT INTO people (org_id, full_name, category, grade, position, created_at) "
           "SELECT :org, 'Учитель ' || g, 'teacher', '', 'учитель', now() "
           "FROM generate_series(1, :n) AS g")


def _versions(conn) -> dict[int, int]:
    return dict(conn.execute(text("SELECT org_id, version FROM register_versions")).all())


def _sequence(conn) -> int:
    return conn.execute(text("SELECT last_value FROM register_version_seq")).scalar_one()


def test_one_version_per_statement_whatever_it_writes(rt, world):
    first, second = sorted((world.orgs["school1"], world.orgs["school2"]))
    with rt.db.engine.begin() as conn:
        conn.execute(ADD, {"org": first, "n": 300})
        conn.execute(ADD, {"org": second, "n": 300})
        before, used = _versions(conn), _sequence(conn)
        conn.execute(text("UPDATE people SET position = 'учитель физики' "
                          "WHERE org_id IN (:a, :b)"), {"a": first, "b": second})
        after = _versions(conn)
        assert _sequence(conn) == used + 2  # 600 people, two schools: two new versions
        assert before[first] < after[first] < after[second]  # in the order of the ids
        conn.execute(text("UPDATE people SET org_id = :b WHERE org_id = :a"),
                     {"a": first, "b": second})  # a move: both sides change
        moved = _versions(conn)
        assert moved[first] > after[second] and moved[second] > moved[first]
        conn.execute(text("DELETE FROM people WHERE org_id = :b AND full_name LIKE 'Учитель%'"),
                     {"b": second})
        assert _versions(conn)[second] > moved[second]
        assert _sequence(conn) == used + 5
