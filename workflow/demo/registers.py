"""Demo registers: for each demo school about ten people with consents, three pairs, and for
school 1 a pair order walked to «signed» (which makes its pairs active)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from documents.models import User
from workflow import clock
from workflow.demo import loader as demo
from workflow.demo.roadmap_plan import school_year
from workflow.engine.authoring import create_document
from workflow.engine.permissions import Actor
from workflow.mentorship import consents, pairs, registers

TEACHERS = [
    ("Смирнова Ксения Константиновна", "учитель математики", 24),
    ("Орлова Дарья Сергеевна", "учитель математики", 1),
    ("Кузнецов Илья Андреевич", "учитель физики", 17),
    ("Попова Алина Маратовна", "учитель начальных классов", 2),
    ("Васильева Наталья Игоревна", "учитель русского языка и литературы", 0),
]
STUDENTS = [
    ("Лебедев Максим Олегович", "10А", 16), ("Соколова Вера Андреевна", "7Б", 13),
    ("Новиков Артём Денисович", "7Б", 13), ("Егорова Полина Романовна", "10А", 16),
    ("Зайцев Кирилл Павлович", "8В", 14),
]
PARENTS = ["Лебедева Ольга Ивановна", "Соколов Андрей Петрович", "Новикова Марина Сергеевна",
           "Егоров Роман Викторович", "Зайцева Татьяна Алексеевна"]


def _actor(rt, email: str) -> Actor:
    with rt.db.read_session() as s:
        return Actor.of(s.scalar(select(User).where(User.email == email)))


def load(rt, school_ids: list[int]) -> None:
    today = clock.today()
    signed_on = today - timedelta(days=20)
    year_start, year_end = school_year(today)
    # Pairs work from tomorrow to the end of the school year's lessons (31 May); in the
    # summer, for the school year to come (a pair never outlives the school's programme).
    start, end = today + timedelta(days=1), date(year_end.year, 5, 31)
    if end <= start:
        year_start, year_end = school_year(year_end + timedelta(days=1))
        start, end = year_start, date(year_end.year, 5, 31)
    with rt.db.write_session() as s:
        registers.seed_reference(s)
    for n, org_id in enumerate(school_ids, start=1):
        admin = _actor(rt, f"admin{n}@demo.local")
        registers.update_settings(rt, admin, org_id, mentor_load_limit=3,
                                  programme_start=year_start, programme_end=year_end)
        teacher_ids = []
        for name, position, years in TEACHERS:
            pid = registers.create_person(
                rt, admin, org_id=org_id, full_name=name, category="teacher",
                position=position, experience_years=years,
                request="Адаптация в коллективе, методика урока" if years <= 3 else None)
            consents.record_consent(rt, admin, person_id=pid, kind="personal_data",
                                    signed_by="self", signed_on=signed_on)
            if years > 3:
                consents.record_consent(rt, admin, person_id=pid, kind="mentoring_duty",
                                        signed_by="self", signed_on=signed_on)
            teacher_ids.append(pid)
        student_ids = []
        for (name, grade, age), parent in zip(STUDENTS, PARENTS):
            pid = registers.create_person(
                rt, admin, org_id=org_id, full_name=name, category="student", grade=grade,
                birth_date=today.replace(year=today.year - age) - timedelta(days=40),
                request="Подготовка к олимпиаде" if grade == "7Б" else None)
            consents.record_consent(rt, admin, person_id=pid, kind="personal_data",
                                    signed_by="legal_representative",
                                    representative_name=parent, signed_on=signed_on)
            student_ids.append(pid)
        made = [
            pairs.create_pair(rt, admin, org_id=org_id, mentor_id=teacher_ids[0],
                              mentee_ids=[teacher_ids[1]], form="teacher_teacher",
                              role_model="experienced_young", start=start, end=end),
            pairs.create_pair(rt, admin, org_id=org_id, mentor_id=teacher_ids[2],
                              mentee_ids=[teacher_ids[3], teacher_ids[4]],
                              form="teacher_teacher", role_model="experienced_young",
                              start=start, end=end),
            pairs.create_pair(rt, admin, org_id=org_id, mentor_id=student_ids[0],
                              mentee_ids=[student_ids[1], student_ids[2]],
                              form="student_student", role_model="achiever_underachiever",
                              start=start, end=end),
        ]
        if n == 1:
            doc_id = create_document(
                rt, admin, kind="pair_order", org_id=org_id,
                title="О закреплении наставнических пар (групп)",
                fields={"preamble": "В соответствии с Положением о наставничестве, на основании "
                                    "согласий наставников и наставляемых (их законных "
                                    "представителей)", "pair_ids": made,
                        # Clause 1 (pairs per appendix № 1) comes with the kind itself.
                        "clauses": [{"text": "Наставникам разработать индивидуальные планы "
                                             "развития наставляемых.", "executor": "наставники",
                                     "term": "в течение 2 недель"}],
                        "acquaintance_user_ids": [_actor(rt, f"curator{n}@demo.local").id]},
                responsible_id=admin.id, due=today + timedelta(days=7))
            demo.walk(rt, doc_id, [(f"admin{n}@demo.local", "submit", ""),
                                   (f"director{n}@demo.local", "approve", ""),
                                   (f"director{n}@demo.local", "sign", "")])


if load not in demo.DEMO_HOOKS:
    demo.DEMO_HOOKS.append(load)
