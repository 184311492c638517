"""Pairs and groups: every rule of forming a pair, consents (minors via a legal
representative, teachers' ст. 351.8 ТК РФ), and the pair order's guards, snapshot and hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from documents.models import Document, Pair, PersonalDataAccessLog
from documents.models.people import PairStatus
from tests.workflow.test_pairs_factories import (  # noqa: F401 - fixture
    TODAY,
    born,
    consent,
    person,
    ready_student,
    ready_teacher,
    reference,
)
from workflow.engine.transition import apply_event
from workflow.errors import BadInput, NotFound, RuleViolation
from workflow.mentorship import pairs, registers

pytestmark = pytest.mark.usefixtures("reference")
START, END = TODAY + timedelta(days=1), TODAY + timedelta(days=120)


@pytest.fixture()
def admin(actor):
    return actor("admin1")


@pytest.fixture()
def school(world):
    return world.orgs["school1"]


def make_pair(rt, admin, school, mentor, mentees, form="teacher_teacher", start=START,
              end=END, **kw):
    return pairs.create_pair(rt, admin, org_id=school, mentor_id=mentor, mentee_ids=mentees,
                             form=form, start=start, end=end, **kw)


def refused(code: str, fn, *args, **kw) -> str:
    with pytest.raises(RuleViolation) as exc:
        fn(*args, **kw)
    assert exc.value.code == code, exc.value.message
    return exc.value.message


def test_pair_is_planned_and_lists_names(rt, admin, school):
    mentor = ready_teacher(rt, admin, school, full_name="Смирнова Ксения Константиновна")
    mentee = ready_teacher(rt, admin, school, years=1, mentor=False,
                           full_name="Орлова Дарья Сергеевна")
    pair_id = make_pair(rt, admin, school, mentor, [mentee], role_model="experienced_young")
    pair = pairs.get_pair(rt, admin, pair_id)
    assert pair["status"] == "planned"
    assert pair["form_title"] == "учитель – учитель"
    assert pair["role_model"] == "опытный педагог – молодой специалист"
    assert pair["mentor"]["full_name"] == "Смирнова Ксения Константиновна"
    assert [m["full_name"] for m in pair["mentees"]] == ["Орлова Дарья Сергеевна"]


def test_group_of_students_with_representatives(rt, admin, school):
    mentor = ready_student(rt, admin, school, age=16, grade="10А")
    group = [ready_student(rt, admin, school, age=12) for _ in range(3)]
    pair_id = make_pair(rt, admin, school, mentor, group, form="student_student",
                        role_model="успевающий – неуспевающий")
    assert len(pairs.get_pair(rt, admin, pair_id)["mentees"]) == 3


def test_missing_personal_data_consent_names_person_and_consent(rt, admin, school):
    mentor = ready_teacher(rt, admin, school)
    mentee = person(rt, admin, school, "teacher", full_name="Безсогласия Ольга Петровна",
                    experience_years=1)
    message = refused("consent_missing", make_pair, rt, admin, school, mentor, [mentee])
    assert "Безсогласия Ольга Петровна" in message
    assert "персональных данных" in message


def test_teacher_mentor_needs_written_mentoring_consent(rt, admin, school):
    mentor = ready_teacher(rt, admin, school, mentor=False, full_name="Наставникова Ирина")
    mentee = ready_teacher(rt, admin, school, years=2, mentor=False)
    message = refused("consent_missing", make_pair, rt, admin, school, mentor, [mentee])
    assert "Наставникова Ирина" in message and "351.8" in message
    consent(rt, admin, mentor, "mentoring_duty")
    assert make_pair(rt, admin, school, mentor, [mentee])


def test_minor_consent_needs_legal_representative_with_name(rt, admin, school):
    minor = person(rt, admin, school, "student", birth_date=born(12), full_name="Попов Артём")
    message = refused("representative_required", consent, rt, admin, minor)
    assert "законный представитель" in message and "152-ФЗ" in message
    refused("representative_required", consent, rt, admin, minor,
            signed_by="legal_representative", representative_name="  ")
    consent(rt, admin, minor, signed_by="legal_representative",
            representative_name="Попова Анна Сергеевна")
    mentor = ready_student(rt, admin, school, age=16)
    assert make_pair(rt, admin, school, mentor, [minor], form="student_student")


def test_student_without_birth_date_is_treated_as_minor(rt, admin, school):
    pupil = person(rt, admin, school, "student", full_name="Без Даты")
    refused("representative_required", consent, rt, admin, pupil)


def test_adult_signs_for_themselves(rt, admin, school):
    adult = person(rt, admin, school, "student", birth_date=born(19))
    refused("adult_signs_self", consent, rt, admin, adult, signed_by="legal_representative",
            representative_name="Кто-то")
    assert consent(rt, admin, adult)


def test_minor_turning_adult_later_still_counts_consent_by_representative(rt, admin, school):
    # A consent given when the person was a minor, by the representative, remains valid.
    pupil = person(rt, admin, school, "student",
                   birth_date=TODAY.replace(year=TODAY.year - 18) - timedelta(days=3))
    consent(rt, admin, pupil, signed_by="legal_representative", representative_name="Мама",
            signed_on=TODAY - timedelta(days=10))
    mentor = ready_student(rt, admin, school, age=16)
    assert make_pair(rt, admin, school, mentor, [pupil], form="student_student")


def test_mentoring_duty_only_for_teachers(rt, admin, school):
    pupil = ready_student(rt, admin, school, age=15)
    refused("mentoring_duty_for_teachers", consent, rt, admin, pupil, "mentoring_duty")


def test_mentee_already_in_overlapping_pair_of_same_form(rt, admin, school):
    mentee = ready_teacher(rt, admin, school, years=1, mentor=False,
                           full_name="Занятая Мария")
    first = make_pair(rt, admin, school, ready_teacher(rt, admin, school), [mentee])
    message = refused("mentee_already_paired", make_pair, rt, admin, school,
                      ready_teacher(rt, admin, school), [mentee],
                      start=END - timedelta(days=5), end=END + timedelta(days=30))
    assert "Занятая Мария" in message and f"№ {first}" in message
    # another form, or a term that does not overlap, is fine
    assert make_pair(rt, admin, school, ready_teacher(rt, admin, school), [mentee],
                     form="virtual")
    assert make_pair(rt, admin, school, ready_teacher(rt, admin, school), [mentee],
                     start=END + timedelta(days=1), end=END + timedelta(days=60))


def test_finished_pair_frees_the_mentee(rt, admin, school, world):
    mentee = ready_teacher(rt, admin, school, years=1, mentor=False)
    pair_id = make_pair(rt, admin, school, ready_teacher(rt, admin, school), [mentee])
    pairs.cancel_pair(rt, admin, pair_id)
    assert make_pair(rt, admin, school, ready_teacher(rt, admin, school), [mentee])


def test_dates_outside_programme_term(rt, admin, school):
    registers.update_settings(rt, admin, school, programme_start=TODAY,
                              programme_end=TODAY + timedelta(days=60))
    mentor, mentee = ready_teacher(rt, admin, school), ready_teacher(rt, admin, school, 1, False)
    message = refused("outside_programme_term", make_pair, rt, admin, school, mentor, [mentee])
    assert "срок программы" in message
    assert make_pair(rt, admin, school, mentor, [mentee], start=TODAY + timedelta(days=1),
                     end=TODAY + timedelta(days=60))


def test_end_before_start(rt, admin, school):
    mentor, mentee = ready_teacher(rt, admin, school), ready_teacher(rt, admin, school, 1, False)
    refused("dates_reversed", make_pair, rt, admin, school, mentor, [mentee], start=END,
            end=START)


def test_mentor_over_load_limit_default_three(rt, admin, school):
    mentor = ready_teacher(rt, admin, school, full_name="Загруженный Пётр")
    mentees = [ready_teacher(rt, admin, school, 1, False) for _ in range(4)]
    make_pair(rt, admin, school, mentor, mentees[:2], form="group")
    make_pair(rt, admin, school, mentor, mentees[2:3])
    message = refused("mentor_over_limit", make_pair, rt, admin, school, mentor,
                      mentees[3:], form="virtual")
    assert "Загруженный Пётр" in message and "не больше 3" in message
    registers.update_settings(rt, admin, school, mentor_load_limit=4)
    assert make_pair(rt, admin, school, mentor, mentees[3:], form="virtual")


def test_people_of_another_school(rt, admin, school, actor, world):
    foreign = ready_teacher(rt, actor("admin2"), world.orgs["school2"], 1, False)
    mentor = ready_teacher(rt, admin, school)
    with pytest.raises(NotFound):
        make_pair(rt, admin, school, mentor, [foreign])
    with pytest.raises(NotFound):  # and another school's org as a whole
        make_pair(rt, admin, world.orgs["school2"], mentor, [foreign])


def test_form_must_be_known_and_fit_categories(rt, admin, school):
    mentor, mentee = ready_teacher(rt, admin, school), ready_teacher(rt, admin, school, 1, False)
    refused("unknown_form", make_pair, rt, admin, school, mentor, [mentee], form="nonsense")
    pupil = ready_student(rt, admin, school)
    refused("form_category_mismatch", make_pair, rt, admin, school, mentor, [pupil],
            form="teacher_teacher")
    with pytest.raises(BadInput):
        make_pair(rt, admin, school, mentor, [])
    refused("mentor_is_mentee", make_pair, rt, admin, school, mentor, [mentor])


def _pair_order(rt, admin, school, pair_ids):
    from workflow.engine.authoring import create_document

    return create_document(rt, admin, kind="pair_order", org_id=school,
                           title="О закреплении наставнических пар",
                           fields={"pair_ids": pair_ids,
                                   "clauses": [{"text": "Закрепить пары.", "executor": "",
                                                "term": ""}]})


def test_signing_the_pair_order_activates_its_pairs(rt, admin, school, actor):
    mentor = ready_teacher(rt, admin, school, full_name="Смирнова Ксения Константиновна",
                           position="учитель математики")
    mentee = ready_teacher(rt, admin, school, 1, False, full_name="Орлова Дарья Сергеевна")
    kids_mentor = ready_student(rt, admin, school, age=16, grade="10А",
                                full_name="Кузнецов Илья")
    kids = [ready_student(rt, admin, school, grade="7Б", full_name=n)
            for n in ("Попов Артём", "Соколова Вера")]
    p1 = make_pair(rt, admin, school, mentor, [mentee], role_model="experienced_young")
    p2 = make_pair(rt, admin, school, kids_mentor, kids, form="student_student")
    doc = _pair_order(rt, admin, school, [p1, p2])
    director = actor("director1")
    apply_event(rt, doc, "submit", admin)
    apply_event(rt, doc, "approve", director)
    apply_event(rt, doc, "sign", director)
    with rt.db.read_session() as s:
        rows = s.scalars(select(Pair).where(Pair.id.in_([p1, p2]))).all()
        assert {p.status for p in rows} == {PairStatus.active}
        assert {p.order_document_id for p in rows} == {doc}
        snapshot = pairs.pair_order_snapshot(s, s.get(Document, doc),
                                             {"fields": {"pair_ids": [p2, p1]}})
    first, second = snapshot["pairs"]
    assert first["mentor_name"] == "Кузнецов Илья"
    assert first["mentor_position"] == "обучающийся 10А класса"
    assert first["mentee_names"] == ["Попов Артём", "Соколова Вера"]
    assert first["mentee_details"] == "7Б класс"
    assert second["mentor_position"] == "учитель математики"
    assert second["form_title"] == "учитель – учитель"
    assert second["role_model"] == "опытный педагог – молодой специалист"
    # a pair already under a signed order cannot go into another one
    # (refused when the draft is saved, not first at submission)
    refused("pair_not_selectable", _pair_order, rt, admin, school, [p1])


def test_snapshot_is_one_query_for_many_pairs(rt, admin, school, count_queries):
    ids = []
    for _ in range(6):
        ids.append(make_pair(rt, admin, school, ready_teacher(rt, admin, school),
                             [ready_teacher(rt, admin, school, 1, False)]))
    doc = _pair_order(rt, admin, school, ids)
    with rt.db.read_session() as s:
        document = s.get(Document, doc)
        with count_queries() as statements:
            out = pairs.pair_order_snapshot(s, document, {"fields": {"pair_ids": ids}})
    assert len(out["pairs"]) == 6
    assert len(statements) == 1


def test_pair_order_guards_foreign_pairs_and_revoked_consents(rt, admin, school, actor, world):
    admin2 = actor("admin2")
    foreign = make_pair(rt, admin2, world.orgs["school2"],
                        ready_teacher(rt, admin2, world.orgs["school2"]),
                        [ready_teacher(rt, admin2, world.orgs["school2"], 1, False)])
    message = refused("pair_not_selectable", _pair_order, rt, admin, school, [foreign])
    assert "списка действующих пар школы" in message

    mentor = ready_teacher(rt, admin, school, full_name="Отозвавший Согласие")
    own = make_pair(rt, admin, school, mentor, [ready_teacher(rt, admin, school, 1, False)])
    doc = _pair_order(rt, admin, school, [own])
    apply_event(rt, doc, "submit", admin)
    apply_event(rt, doc, "approve", actor("director1"))
    from workflow.mentorship.consents import revoke_consent

    person_view = registers.get_person(rt, admin, mentor)
    duty = next(c for c in person_view["consent_records"] if c["kind"] == "mentoring_duty")
    revoke_consent(rt, admin, duty["id"])
    message = refused("consent_missing", apply_event, rt, doc, "sign", actor("director1"))
    assert "Отозвавший Согласие" in message


def test_reading_minors_is_logged(rt, admin, school, actor):
    ready_student(rt, admin, school, age=12)
    ready_teacher(rt, admin, school)
    auditor = actor("auditor")
    out = registers.list_people(rt, auditor, org_id=school)
    assert out["total"] == 2
    with rt.db.read_session() as s:
        logs = s.scalars(select(PersonalDataAccessLog)).all()
    assert [(log.actor_id, log.action, len(log.person_ids)) for log in logs] == [
        (auditor.id, "list_people", 1)]


def test_officer_sees_adults_only(rt, admin, school, actor):
    minor = ready_student(rt, admin, school, age=12)
    ready_teacher(rt, admin, school)
    officer = actor("officer")
    out = registers.list_people(rt, officer, org_id=school)
    assert out["total"] == 1 and out["items"][0]["category"] == "teacher"
    with pytest.raises(NotFound):
        registers.get_person(rt, officer, minor)
    with pytest.raises(NotFound):
        pairs.list_pairs(rt, officer, org_id=school)
