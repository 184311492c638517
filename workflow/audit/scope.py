"""Whose history an auditor (or an officer, for time in stage) may look into."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Organization, Role
from workflow.engine.permissions import Actor, visible_org_ids
from workflow.errors import Forbidden, NotFound


def orgs_with_role(session: Session, actor: Actor, roles: frozenset[Role]) -> list[int]:
    """Organisations where one of ``roles`` is granted, with the schools of a municipality."""
    direct = {oid for role, oid in actor.grants if role in roles}
    if not direct:
        return []
    children = set(session.scalars(select(Organization.id)
                                   .where(Organization.parent_id.in_(direct))))
    return sorted(direct | children)


def require_role(actor: Actor, roles: frozenset[Role]) -> None:
    if not any(role in roles for role, _ in actor.grants):
        raise Forbidden("Раздел доступен только аудитору.", code="auditor_only")


def scoped_orgs(session: Session, actor: Actor, org_id: int | None,
                roles: frozenset[Role] = frozenset({Role.auditor})) -> list[int]:
    """The organisation asked for and its schools, where the actor holds ``roles``; every
    such organisation when none is asked for. 404 for an unseen one, 403 for a seen one
    without the role."""
    allowed = orgs_with_role(session, actor, roles)
    if org_id is None:
        require_role(actor, roles)
        return allowed
    org = session.get(Organization, org_id)
    if org is None or org_id not in visible_org_ids(session, actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    if org_id not in allowed:
        raise Forbidden("Эти сведения доступны только аудитору организации.",
                        code="auditor_only")
    children = session.scalars(select(Organization.id).where(Organization.parent_id == org_id))
    return [org_id, *(c for c in children if c in allowed)]
