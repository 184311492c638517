"""Factories shared by the registers, pairs and compliance tests (no tests here).

The per-test cleanup empties every table but the world's, including the reference lists
seeded by the migration, so the ``reference`` fixture puts them back (idempotently).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from documents.models import DocState, Document, Roadmap, RoadmapItem, Role
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.mentorship import consents, registers

TODAY = date.today()
SIGNED_ON = TODAY - timedelta(days=10)
REGULATION_FIELDS = {"sections": [{"title": "Общие положения",
                                   "text": "Положение о наставничестве."}]}


@pytest.fixture()
def reference(rt):
    with rt.db.write_session() as s:
        registers.seed_reference(s)


def born(age: int, on: date = TODAY) -> date:
    return date(on.year - age, 1, 1) if age else on


def person(rt, actor: Actor, org_id: int, category: str = "teacher", **kw) -> int:
    kw.setdefault("full_name", f"{category.capitalize()} {uuid.uuid4().hex[:6]}")
    if category == "teacher":
        kw.setdefault("position", "учитель математики")
        kw.setdefault("experience_years", 10)
    if category == "student":
        kw.setdefault("grade", "7Б")
    return registers.create_person(rt, actor, org_id=org_id, category=category, **kw)


def consent(rt, actor: Actor, person_id: int, kind: str = "personal_data",
            signed_by: str = "self", representative_name: str | None = None,
            signed_on: date = SIGNED_ON) -> int:
    return consents.record_consent(rt, actor, person_id=person_id, kind=kind,
                                   signed_by=signed_by, representative_name=representative_name,
                                   signed_on=signed_on)


def ready_teacher(rt, actor: Actor, org_id: int, years: int = 10, mentor: bool = True,
                  **kw) -> int:
    pid = person(rt, actor, org_id, "teacher", experience_years=years, **kw)
    consent(rt, actor, pid)
    if mentor:
        consent(rt, actor, pid, "mentoring_duty")
    return pid


def ready_student(rt, actor: Actor, org_id: int, age: int = 13, **kw) -> int:
    pid = person(rt, actor, org_id, "student", birth_date=born(age), **kw)
    if age < 18:
        consent(rt, actor, pid, signed_by="legal_representative",
                representative_name="Родителева Мария Ивановна")
    else:
        consent(rt, actor, pid)
    return pid


def new_municipality(rt, schools: int, officer_role: str = "municipal_officer"):
    """A fresh municipality with ``schools`` schools and a user holding ``officer_role`` there.

    Organisations and users survive the per-test cleanup, so each call makes unique ones.
    """
    tag = uuid.uuid4().hex[:8]
    with rt.db.write_session() as s:
        muni = accounts.create_organization(s, name=f"Район {tag}", short_name=f"Район {tag}",
                                            kind="municipality")
        ids = []
        for n in range(schools):
            org = accounts.create_organization(
                s, name=f"МБОУ «СОШ № {n + 1}» {tag}", short_name=f"СОШ № {n + 1:03d}",
                kind="school", parent_id=muni.id)
            ids.append(org.id)
        user = accounts.create_user(s, email=f"officer-{tag}@test.local",
                                    full_name=f"Специалист {tag}", password="x" * 12)
        accounts.grant_role(s, user.id, muni.id, officer_role)
        s.flush()
        actor = Actor(user.id, user.full_name, "", frozenset({(Role(officer_role), muni.id)}))
        return muni.id, ids, actor, user.id


def insert_document(session, org_id: int, kind: str, state: str, n: int = 1) -> Document:
    """A document row in ``state`` with what the CHECK constraints ask (a test factory)."""
    now = datetime.now(UTC)
    st = DocState(state)
    signed = state in ("signed", "under_municipal_review", "accepted", "returned", "cancelled")
    doc = Document(kind=kind, org_id=org_id, title=f"{kind} {n}", state=st, version=1,
                   lock_version=0, fields={},
                   approved_at=now if signed or state == "approved" else None,
                   registration_number=f"{n}-од" if signed else None,
                   signed_at=now if signed else None, signer_name="Директор" if signed else None,
                   sent_at=now if state in ("under_municipal_review", "accepted",
                                            "returned") else None)
    session.add(doc)
    return doc


def insert_overdue_items(session, org_id: int, overdue: int, fine: int = 1) -> None:
    roadmap = Roadmap(org_id=org_id, title="Дорожная карта", period_start=TODAY.replace(month=1,
                      day=1), period_end=TODAY.replace(month=12, day=31))
    session.add(roadmap)
    session.flush()
    for i in range(overdue):
        session.add(RoadmapItem(roadmap_id=roadmap.id, position=i, number=f"1.{i + 1}",
                                activity="Мероприятие", due=TODAY - timedelta(days=5)))
    for i in range(fine):  # done or not yet due: not overdue
        session.add(RoadmapItem(roadmap_id=roadmap.id, position=100 + i, number=f"2.{i + 1}",
                                activity="Выполнено", due=TODAY - timedelta(days=5),
                                done_at=datetime.now(UTC)))
        session.add(RoadmapItem(roadmap_id=roadmap.id, position=200 + i, number=f"3.{i + 1}",
                                activity="Впереди", due=TODAY + timedelta(days=5)))
