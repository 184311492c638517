"""Mentorship registers (базы наставников и наставляемых), consents, pairs and indicators.

Forms and role models are reference data (tables seeded by the migration), not enums:
a region adds its own without a release.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from documents.db import Base
from documents.models.types import JsonType, UtcDateTime, enum_column, utcnow


class PersonCategory(str, enum.Enum):
    student = "student"
    teacher = "teacher"
    graduate = "graduate"
    employer_staff = "employer_staff"
    student_of_college = "student_of_college"


class ConsentKind(str, enum.Enum):
    personal_data = "personal_data"  # 152-ФЗ
    mentoring_duty = "mentoring_duty"  # ТК РФ ст. 351.8, since 01.03.2025


class SignedBy(str, enum.Enum):
    self = "self"
    legal_representative = "legal_representative"


class PairStatus(str, enum.Enum):
    planned = "planned"
    active = "active"
    finished = "finished"
    cancelled = "cancelled"


class MentorshipForm(Base):
    """A form of mentorship (Р-145 forms and the teacher-track forms of 2021)."""

    __tablename__ = "mentorship_forms"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: "target_model" (Р-145, 2019) | "teacher_system" (2021)
    track: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)


class RoleModel(Base):
    """A role model inside a form («успевающий – неуспевающий»)."""

    __tablename__ = "role_models"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    form_code: Mapped[str | None] = mapped_column(
        ForeignKey("mentorship_forms.code", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base):
    """Someone in a school's registers: a possible mentor or mentee."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("experience_years IS NULL OR experience_years >= 0",
                        name="experience_not_negative"),
        Index("ix_people_org_category", "org_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    full_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[PersonCategory] = mapped_column(enum_column(PersonCategory,
                                                                 "person_category"))
    grade: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    experience_years: Mapped[int | None] = mapped_column(Integer)
    birth_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    requests: Mapped[list[PersonRequest]] = relationship(
        order_by="PersonRequest.id", cascade="all, delete-orphan")
    consents: Mapped[list[Consent]] = relationship(order_by="Consent.id")


class RegisterVersion(Base):
    """The version of a school's register of people: on PostgreSQL a trigger gives the school
    a new number from one sequence whenever a statement adds, changes or removes any of its
    people (migrations ``i14_register_versions``, ``i14_register_statement_triggers``: one
    number per statement and school, schools in id order). A worker keeps the minors it read
    of a school with that number (workflow/mentorship/kept_minors.py): any change misses it,
    and a number is never given twice."""

    __tablename__ = "register_versions"

    org_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class PersonRequest(Base):
    """A request (запрос) of a mentee or an offer of a mentor, in their words."""

    __tablename__ = "person_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Consent(Base):
    """A signed consent; a minor's personal-data consent is signed by a legal representative."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("signed_by = 'self' OR (representative_name IS NOT NULL "
                        "AND representative_name <> '')", name="representative_named"),
        Index("ix_consents_person_kind", "person_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    signed_by: Mapped[SignedBy] = mapped_column(enum_column(SignedBy, "consent_signed_by"))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Pair(Base):
    """A mentor with one mentee (a pair) or several (a group)."""

    __tablename__ = "pairs"
    __table_args__ = (
        CheckConstraint('"end" >= start', name="dates_ordered"),
        Index("ix_pairs_org_status", "org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"),
                                           index=True)
    form_code: Mapped[str] = mapped_column(ForeignKey("mentorship_forms.code",
                                                      ondelete="RESTRICT"))
    role_model: Mapped[str] = mapped_column(String(200), default="")
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    status: Mapped[PairStatus] = mapped_column(enum_column(PairStatus, "pair_status"),
                                               default=PairStatus.planned)
    order_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    mentees: Mapped[list[PairMentee]] = relationship(cascade="all, delete-orphan",
                                                     order_by="PairMentee.position")


class PairMentee(Base):
    __tablename__ = "pair_mentees"

    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"),
                                         primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"),
                                           primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SchoolSettings(Base):
    """A school's mentorship settings: the mentor load limit and the programme term."""

    __tablename__ = "school_settings"
    __table_args__ = (
        CheckConstraint("mentor_load_limit >= 1", name="load_limit_positive"),
        CheckConstraint("programme_start IS NULL OR programme_end IS NULL "
                        "OR programme_end >= programme_start", name="term_ordered"),
    )

    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                        primary_key=True)
    mentor_load_limit: Mapped[int] = mapped_column(Integer, default=3)
    programme_start: Mapped[date | None] = mapped_column(Date)
    programme_end: Mapped[date | None] = mapped_column(Date)
    #: Denominators from federal statistics (ОО-1); the registers are used when empty.
    students_total: Mapped[int | None] = mapped_column(Integer)
    teachers_total: Mapped[int | None] = mapped_column(Integer)


class Indicator(Base):
    """A yearly indicator of a school or a municipality: target and actual value."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("org_id", "year", "name",
                                       name="uq_indicators_org_year_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                        index=True)
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(20), default="%")
    target: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    #: manual | roadmap | survey | computed
    source: Mapped[str] = mapped_column(String(20), default="manual")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PersonalDataAccessLog(Base):
    """Who read whose personal data (minors' records), and when. Append-only; no cascades."""

    __tablename__ = "personal_data_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_ids: Mapped[list] = mapped_column(JsonType, default=list)


#: Reference data seeded by the migration (and by :func:`seed_reference` where a test
#: database was emptied). (code, title, track)
FORMS = [
    ("student_student", "ученик – ученик", "target_model"),
    ("teacher_teacher", "учитель – учитель", "target_model"),
    ("college_student_student", "студент – ученик", "target_model"),
    ("employer_student", "работодатель – ученик", "target_model"),
    ("employer_college_student", "работодатель – студент", "target_model"),
    ("traditional", "традиционное наставничество («один на один»)", "teacher_system"),
    ("group", "групповое наставничество", "teacher_system"),
    ("virtual", "виртуальное (дистанционное) наставничество", "teacher_system"),
    ("reverse", "реверсивное наставничество", "teacher_system"),
    ("situational", "ситуационное наставничество", "teacher_system"),
    ("speed", "скоростное наставничество", "teacher_system"),
    ("short_term", "краткосрочное (целеполагающее) наставничество", "teacher_system"),
    ("manager_subordinate", "наставничество «руководитель – подчинённый»", "teacher_system"),
]
#: (code, title, form code)
ROLE_MODELS = [
    ("achiever_underachiever", "успевающий – неуспевающий", "student_student"),
    ("leader_passive", "лидер – пассивный", "student_student"),
    ("peer_to_peer", "равный – равному", "student_student"),
    ("adapted_unadapted", "адаптированный – неадаптированный", "student_student"),
    ("experienced_young", "опытный педагог – молодой специалист", "teacher_teacher"),
    ("innovator_conservative", "педагог-новатор – консервативный педагог", "teacher_teacher"),
    ("experienced_newcomer", "опытный педагог – педагог, пришедший в организацию",
     "teacher_teacher"),
    ("student_consultant", "студент-консультант – ученик", "college_student_student"),
    ("employer_career", "работодатель – ученик, выбирающий профессию", "employer_student"),
    ("employer_intern", "работодатель – студент-практикант", "employer_college_student"),
]


def reference_rows() -> tuple[list[dict], list[dict]]:
    forms = [{"code": c, "title": t, "track": tr, "position": i}
             for i, (c, t, tr) in enumerate(FORMS, start=1)]
    models = [{"code": c, "title": t, "form_code": f, "position": i}
              for i, (c, t, f) in enumerate(ROLE_MODELS, start=1)]
    return forms, models
