"""Municipal compliance: the numbers on a generated municipality with known counts, the share
moving with a regulation's life, indicators, and a constant number of SQL queries."""

from __future__ import annotations

import pytest

from tests.workflow.test_pairs_factories import (  # noqa: F401 - fixture
    REGULATION_FIELDS,
    TODAY,
    insert_document,
    insert_overdue_items,
    new_municipality,
    ready_student,
    ready_teacher,
    reference,
)
from workflow.compliance import indicators
from workflow.compliance import matrix as compliance
from workflow.errors import Forbidden, NotFound


def selects(statements: list[str]) -> list[str]:
    """SQL statements that read (SQLite adds BEGIN to each transaction)."""
    return [q for q in statements if q.lstrip().upper().startswith(("SELECT", "WITH"))]


#: Regulation state per school → implementing?
REGULATION_STATES = [("accepted", True), ("under_municipal_review", True), ("signed", True),
                     ("returned", False), ("approved", False), ("on_approval", False),
                     ("draft", False), ("cancelled", False), (None, False), ("signed", True)]


def _generate(rt, states=REGULATION_STATES):
    mid, schools, officer, _ = new_municipality(rt, len(states))
    with rt.db.write_session() as s:
        for n, (org_id, (state, _)) in enumerate(zip(schools, states)):
            if state:
                insert_document(s, org_id, "regulation", state)
            if n % 2 == 0:
                insert_document(s, org_id, "roadmap", "accepted")
                insert_overdue_items(s, org_id, overdue=n)
        if states is REGULATION_STATES:
            # the best document wins: a cancelled and a draft one do not hide a returned one
            insert_document(s, schools[3], "regulation", "cancelled")
            insert_document(s, schools[3], "regulation", "draft")
            # and a newer draft does not hide a signed one
            insert_document(s, schools[0], "pair_order", "signed", n=7)
            insert_document(s, schools[0], "pair_order", "draft")
    return mid, schools, officer


def test_numbers_on_a_generated_municipality(rt, world):
    mid, schools, officer = _generate(rt)
    with rt.db.read_session() as s:
        report = compliance.to_api(compliance.municipality_report(s, officer, mid))
    expected_a = sum(1 for _, ok in REGULATION_STATES if ok)
    assert report["schools_total"] == 10
    assert report["schools_implementing"] == expected_a == 4
    assert report["share_percent"] == 40.0
    by_id = {row["org_id"]: row for row in report["schools"]}
    for org_id, (state, ok) in zip(schools, REGULATION_STATES):
        row = by_id[org_id]
        assert row["implementing"] is ok
        point = row["checkpoints"]["regulation"]
        assert (point["state"] if point else None) == state
    assert by_id[schools[0]]["checkpoints"]["pair_order"]["state"] == "signed"
    assert by_id[schools[0]]["checkpoints"]["pair_order"]["registration_number"] == "7-од"
    assert by_id[schools[0]]["checkpoints"]["incentive_scheme"] is None
    assert [by_id[o]["overdue_items"] for o in schools] == [0, 0, 2, 0, 4, 0, 6, 0, 8, 0]
    assert set(report["schools"][0]["checkpoints"]) == set(compliance.CHECKPOINTS)


def test_share_rounds_to_one_decimal(rt):
    mid, _, officer = _generate(rt, [("signed", True), (None, False), (None, False)])
    with rt.db.read_session() as s:
        assert compliance.municipality_report(s, officer, mid)["share_percent"] == 33.3


def test_share_moves_when_a_regulation_is_signed_and_accepted(rt, world, make_doc, actor,
                                                                api):
    from workflow.engine.transition import apply_event

    officer, muni = actor("officer"), world.orgs["muni"]

    def share():
        with rt.db.read_session() as s:
            r = compliance.municipality_report(s, officer, muni)
            return r["share_percent"], {x["org_id"]: x["checkpoints"]["regulation"]
                                        for x in r["schools"]}

    assert share()[0] == 0.0
    doc = make_doc("approved", kind="regulation", fields=REGULATION_FIELDS,
                   title="Положение о наставничестве")
    assert share()[0] == 0.0
    apply_event(rt, doc, "sign", actor("director1"))
    value, points = share()
    assert value == 50.0 and points[world.orgs["school1"]]["state"] == "signed"
    assert points[world.orgs["school1"]]["registration_number"]
    apply_event(rt, doc, "send_to_municipality", actor("admin1"))
    apply_event(rt, doc, "accept", officer)
    value, points = share()
    assert value == 50.0 and points[world.orgs["school1"]]["state"] == "accepted"
    other = _school2_regulation(rt, actor)
    assert share()[0] == 100.0
    apply_event(rt, other, "cancel", actor("director2"), "Заменено")
    assert share()[0] == 50.0


def _school2_regulation(rt, actor):
    from workflow.engine.authoring import create_document
    from workflow.engine.protocols import pass_collegial_stages
    from workflow.engine.transition import apply_event

    doc = create_document(rt, actor("admin2"), kind="regulation",
                          org_id=_org(rt, actor("admin2")), title="Положение",
                          fields=REGULATION_FIELDS)
    apply_event(rt, doc, "submit", actor("admin2"))
    pass_collegial_stages(rt, doc, actor("admin2"))
    apply_event(rt, doc, "approve", actor("director2"))
    apply_event(rt, doc, "sign", actor("director2"))
    return doc


def _org(rt, actor):
    return next(iter(actor.org_ids))


def test_who_may_see_the_compliance(rt, world, actor):
    muni = world.orgs["muni"]
    with rt.db.read_session() as s:
        for user in ("officer", "auditor", "sysadmin", "head"):
            assert compliance.municipality_report(s, actor(user), muni)["schools_total"] == 2
        for user in ("director1", "admin1", "officer2"):
            with pytest.raises(NotFound):
                compliance.municipality_report(s, actor(user), muni)
        with pytest.raises(NotFound):  # a school id is not a municipality
            compliance.municipality_report(s, actor("director1"), world.orgs["school1"])
    _, _, curator_at_muni, _ = new_municipality(rt, 1, officer_role="curator")
    mid = next(iter(curator_at_muni.org_ids))
    with rt.db.read_session() as s, pytest.raises(Forbidden):
        compliance.municipality_report(s, curator_at_muni, mid)


@pytest.mark.parametrize("size", [3, 30])
def test_constant_number_of_queries(rt, size, count_queries):
    mid, _, officer = _generate(rt, [("signed", True), ("draft", False)] * (size // 2)
                                      + [("accepted", True)] * (size % 2))
    with rt.db.read_session() as s:
        with count_queries() as statements:
            report = compliance.municipality_report(s, officer, mid)
        assert report["schools_total"] == size
        with count_queries() as dash:
            compliance.dashboard(s, officer, mid, TODAY.year)
    assert len(selects(statements)) == 3  # the same for 3 and for 30 schools
    assert len(selects(dash)) == 6


def test_region_in_three_queries(rt, count_queries):
    munis = [_generate(rt, [("signed", True), (None, False)])[0] for _ in range(3)]
    with rt.db.read_session() as s, count_queries() as statements:
        out = compliance.region(s, munis)
    assert len(selects(statements)) == 3
    assert out["schools_total"] == 6 and out["share_percent"] == 50.0


def test_indicators_computed_from_pairs(rt, world, actor, reference):  # noqa: F811
    from workflow.engine.authoring import create_document
    from workflow.engine.transition import apply_event
    from workflow.mentorship import pairs

    admin, school = actor("admin1"), world.orgs["school1"]
    mentor = ready_teacher(rt, admin, school)
    young = [ready_teacher(rt, admin, school, years=y, mentor=False) for y in (0, 2, 3)]
    ready_teacher(rt, admin, school, years=12, mentor=False)  # not in a pair
    students = [ready_student(rt, admin, school) for _ in range(4)]
    kid_mentor = ready_student(rt, admin, school, age=16)
    p1 = pairs.create_pair(rt, admin, org_id=school, mentor_id=mentor, mentee_ids=young[:2],
                           form="teacher_teacher", start=TODAY, end=TODAY)
    p2 = pairs.create_pair(rt, admin, org_id=school, mentor_id=kid_mentor,
                           mentee_ids=students[:2], form="student_student", start=TODAY,
                           end=TODAY)
    doc = create_document(rt, admin, kind="pair_order", org_id=school, title="О парах",
                          fields={"pair_ids": [p1, p2]})
    apply_event(rt, doc, "submit", admin)
    apply_event(rt, doc, "approve", actor("director1"))
    apply_event(rt, doc, "sign", actor("director1"))
    indicators.set_indicator(rt, admin, org_id=school, year=TODAY.year,
                             code="young_specialists_share", target=100)
    indicators.set_indicator(rt, admin, org_id=school, year=TODAY.year,
                             code="mentee_satisfaction", target=60, actual=72.5)
    with rt.db.read_session() as s:
        table = {r["code"]: r for r in indicators.indicator_table(s, admin, school, TODAY.year)}
        muni_table = {r["code"]: r for r in indicators.indicator_table(
            s, actor("head"), world.orgs["muni"], TODAY.year)}
    # students: 5 in the register, 3 in pairs (the mentor and two mentees)
    assert table["student_coverage"]["actual"] == 60.0
    # teachers: 5, in pairs 3 (the mentor and two young specialists)
    assert table["teacher_coverage"]["actual"] == 60.0
    # young specialists (0–3 years): 3, two of them mentees
    assert table["young_specialists_share"]["actual"] == 66.7
    assert table["young_specialists_share"]["met"] is False
    assert table["mentee_satisfaction"]["actual"] == 72.5
    assert table["mentee_satisfaction"]["source"] == "survey"
    assert muni_table["student_coverage"]["actual"] == 60.0


def test_targets_from_a_roadmap(rt, world, actor):
    from documents.models import Roadmap

    admin, school = actor("admin1"), world.orgs["school1"]
    with rt.db.write_session() as s:
        roadmap = Roadmap(org_id=school, title="ДК", period_start=TODAY, period_end=TODAY,
                          indicators=[
                              {"name": "Доля обучающихся, вовлечённых в программы "
                                       "наставничества", "unit": "%",
                               "targets": {"2026": "не менее 20", "2027": "30%"}},
                              {"name": "Доля молодых педагогов в программах", "unit": "%",
                               "targets": {"2026": "100", "2027": ""}}])
        s.add(roadmap)
        s.flush()
        rid = roadmap.id
    assert indicators.targets_from_roadmap(rt, admin, rid) == 3
    with rt.db.read_session() as s:
        rows = {r["code"]: r for r in indicators.indicator_table(s, admin, school, 2027)}
    assert rows["student_coverage"]["target"] == 30.0
    with pytest.raises(NotFound):
        indicators.targets_from_roadmap(rt, actor("admin2"), rid)


def test_signing_times_read_as_the_document_api_writes_them(rt):
    from datetime import UTC, datetime

    from sqlalchemy import text

    from documents.models import Document
    from documents.models.history import iso_utc

    mid, schools, officer = _generate(rt, [("signed", True), ("accepted", True)])
    with rt.db.write_session() as s:
        doc = s.query(Document).filter_by(org_id=schools[0], kind="regulation").one()
        doc.signed_at = datetime(2026, 3, 1, 0, 30, 5, 123456, tzinfo=UTC)
        other = s.query(Document).filter_by(org_id=schools[1], kind="regulation").one()
        expected = iso_utc(other.signed_at)
    with rt.db.write_session() as s:  # a transaction, for SET LOCAL
        if rt.db.is_postgres:  # a connection in another time zone reads the same UTC
            s.execute(text("SET LOCAL TIME ZONE 'Europe/Moscow'"))
        report = compliance.to_api(compliance.municipality_report(s, officer, mid))
    by_id = {row["org_id"]: row["checkpoints"]["regulation"] for row in report["schools"]}
    assert by_id[schools[0]]["signed_at"] == "2026-03-01T00:30:05.123456Z"
    assert by_id[schools[1]]["signed_at"] == expected


def test_postgresql_reads_the_checkpoints_presorted_from_their_index(rt):
    """The best document per school and kind comes from ix_documents_checkpoint_rank in its
    order: no sort of a region's ~100,000 documents (the query must spell the index's rank
    expression, constants and all, for PostgreSQL to see that it matches)."""
    if not rt.db.is_postgres:
        pytest.skip("an expression index and DISTINCT ON are PostgreSQL's")
    from sqlalchemy import select, text

    from documents.models import Organization, OrgKind

    mid, _, _ = _generate(rt, [("signed", True), ("draft", False)])
    schools = select(Organization.id).where(Organization.parent_id.in_([mid]),
                                            Organization.kind == OrgKind.school)
    query = compliance._best_documents(schools, postgres=True)
    with rt.db.write_session() as s:  # a transaction, for SET LOCAL
        # a test's few rows are cheaper to scan and sort; forbid both, and PostgreSQL takes
        # a plan without them if there is one: the index in the query's order
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text("SET LOCAL enable_sort = off"))
        conn = s.connection()
        compiled = query.compile(dialect=conn.dialect,
                                 compile_kwargs={"render_postcompile": True})
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}",
                                                                compiled.params))
    assert "ix_documents_checkpoint_rank" in plan
    assert "Sort" not in plan
