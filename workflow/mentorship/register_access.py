"""Who may read and keep a school's registers, and the personal-data access log.

Registers are kept by the school (school_admin, curator, director). Adults' records are
readable from the parent municipality by the roles that reach schools; minors' records
(152-ФЗ) only by their school and the auditor, and every such read is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from documents.models import Organization, OrgKind, Person, PersonalDataAccessLog, Role
from documents.models.people import PersonCategory
from workflow.engine.permissions import REACHING_ROLES, Actor, granted_kinds
from workflow.errors import Forbidden, NotFound, RuleViolation

REGISTER_KEEPERS = frozenset({Role.school_admin, Role.curator, Role.director})
MINOR_READERS_FROM_PARENT = frozenset({Role.auditor})
ADULT_AGE = 18


@dataclass(frozen=True)
class ReadScope:
    org: Organization
    minors_visible: bool


def years_ago(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


#: Without a birth date these are treated as minors (unknown age is never taken for adult).
MAYBE_MINOR = (PersonCategory.student, PersonCategory.student_of_college,
               PersonCategory.graduate)


def is_minor(category: PersonCategory, birth_date: date | None, on: date) -> bool:
    """Under 18 on ``on``; a learner (school or college student, graduate) without a birth
    date is treated as a minor."""
    if birth_date is None:
        return PersonCategory(category) in MAYBE_MINOR
    return birth_date > adult_birth_limit(on)


def minor_condition(today: date | None = None, *, born_after=None) -> ColumnElement[bool]:
    """SQL twin of :func:`is_minor` on ``today`` (or, for a statement built once, with
    ``born_after`` a bound parameter given :func:`adult_birth_limit` of the day)."""
    if born_after is None:
        born_after = adult_birth_limit(today)
    return or_(
        and_(Person.birth_date.is_(None), Person.category.in_(MAYBE_MINOR)),
        and_(Person.birth_date.is_not(None), Person.birth_date > born_after),
    )


def adult_birth_limit(today: date) -> date:
    """Who was born after this day is a minor on ``today``."""
    return years_ago(today, ADULT_AGE)


def _org(session: Session, org_id: int | None) -> Organization:
    org = session.get(Organization, org_id) if org_id is not None else None
    if org is None:
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org


def reads_some_register(session: Session, actor: Actor) -> bool:
    """Whether any school's registers are open to the actor: a role in a school, or one that
    reaches the schools of a municipality (a municipality's director has none to open)."""
    if any(role in REACHING_ROLES for role, _ in actor.grants):
        return True
    return OrgKind.school in granted_kinds(session, actor).values()


def read_scope(session: Session, actor: Actor, org_id: int | None) -> ReadScope:
    """What of a school's registers the actor may read; 404 when nothing."""
    org = _org(session, org_id)
    if actor.roles_in(org.id):
        return ReadScope(org, True)
    parent = actor.roles_in(org.parent_id) if org.parent_id else frozenset()
    if parent & REACHING_ROLES:
        return ReadScope(org, bool(parent & MINOR_READERS_FROM_PARENT))
    raise NotFound("Организация не найдена.", code="organization_not_found")


def keeper_org(session: Session, actor: Actor, org_id: int | None) -> Organization:
    """The school whose registers the actor keeps (404 unseen, 403 read-only, 422 not a school)."""
    scope = read_scope(session, actor, org_id)
    if not actor.roles_in(scope.org.id) & REGISTER_KEEPERS:
        raise Forbidden("Вести реестры этой организации вам не разрешено.",
                        code="registers_not_allowed")
    if scope.org.kind is not OrgKind.school:
        raise RuleViolation("Реестры наставников и наставляемых ведёт образовательная "
                            "организация, а не муниципалитет.", code="not_a_school")
    return scope.org


def log_access(session: Session, actor: Actor, action: str, org_id: int | None,
               person_ids: list[int]) -> None:
    """Record a read of minors' personal data (only when there was any)."""
    if person_ids:
        session.add(PersonalDataAccessLog(actor_id=actor.id, actor_name=actor.full_name,
                                          action=action, org_id=org_id,
                                          person_ids=sorted(set(person_ids))))
