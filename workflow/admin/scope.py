"""Who administers what. The municipality's ``admin`` manages the municipality and all its
schools; a school's ``director`` and ``school_admin`` manage their school's staff (school roles
only); the director also keeps the school's requisites. Another municipality's objects are
not found (404), never merely forbidden."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Organization, OrgKind, Role
from workflow.engine.permissions import Actor, granted_kinds, visible_org_ids
from workflow.errors import Forbidden, NotFound

R = Role
SCHOOL_ROLES = frozenset({R.school_admin, R.director, R.curator})
MUNICIPAL_ROLES = frozenset({R.admin, R.municipal_officer, R.auditor, R.director})
#: Roles a school's own staff may administer users with.
SCHOOL_MANAGERS = frozenset({R.director, R.school_admin})


def forbid(message: str, code: str = "forbidden") -> None:
    raise Forbidden(message, code=code)


def roles_for(kind: OrgKind) -> frozenset[Role]:
    return SCHOOL_ROLES if kind is OrgKind.school else MUNICIPAL_ROLES


def require_visible(session: Session, actor: Actor, org_id: int | None) -> Organization:
    org = session.get(Organization, org_id) if org_id else None
    if org is None or org.id not in visible_org_ids(session, actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org


def _children(session: Session, parents: set[int]) -> set[int]:
    if not parents:
        return set()
    return set(session.scalars(select(Organization.id)
                               .where(Organization.parent_id.in_(parents))))


def _granted(session: Session, actor: Actor, roles: set[Role], kind: OrgKind) -> set[int]:
    """The organisations of this kind where the actor holds one of these roles (their kinds
    come with a page's actor; otherwise one query)."""
    ids = {oid for role, oid in actor.grants if role in roles}
    if not ids:
        return set()
    kinds = granted_kinds(session, actor)
    return {oid for oid in ids if kinds.get(oid) is kind}


def _munis_where(session: Session, actor: Actor, roles: set[Role]) -> set[int]:
    return _granted(session, actor, roles, OrgKind.municipality)


def admin_municipalities(session: Session, actor: Actor) -> set[int]:
    return _munis_where(session, actor, {R.admin})


def user_org_ids(session: Session, actor: Actor) -> set[int]:
    """Organisations whose staff the actor manages."""
    munis = admin_municipalities(session, actor)
    schools = _granted(session, actor, SCHOOL_MANAGERS, OrgKind.school)
    return munis | _children(session, munis) | schools


def requisite_org_ids(session: Session, actor: Actor) -> set[int]:
    """Organisations whose requisites and journals the actor keeps."""
    munis = admin_municipalities(session, actor)
    schools = _granted(session, actor, {R.director}, OrgKind.school)
    return munis | _children(session, munis) | schools


def reader_org_ids(session: Session, actor: Actor) -> set[int]:
    """Organisations whose users and journals the actor may read (managers and auditors)."""
    auditor = _munis_where(session, actor, {R.auditor})
    return user_org_ids(session, actor) | auditor | _children(session, auditor)


def log_readable_org_ids(session: Session, actor: Actor) -> set[int]:
    """The administrative log: the municipality's admin and auditor (with its schools), a
    school's director for the school."""
    munis = _munis_where(session, actor, {R.admin, R.auditor})
    schools = _granted(session, actor, {R.director}, OrgKind.school)
    return munis | _children(session, munis) | schools


def require_org(session: Session, actor: Actor, org_id: int | None, allowed: set[int],
                message: str) -> Organization:
    """The organisation if visible (else 404) and in ``allowed`` (else 403)."""
    org = require_visible(session, actor, org_id)
    if org.id not in allowed:
        forbid(message)
    return org


def municipality_of(org: Organization) -> int:
    return org.id if org.kind is OrgKind.municipality else org.parent_id
