"""What an operator does on the host with the `nastavnik` commands (create-org, create-user,
grant): the same rules as the administration pages — requisites, the e-mail, a strong
password, roles that fit the organisation — and the same administrative log, written as
«система»."""

from __future__ import annotations

from sqlalchemy import select

from documents.models import Grant, Organization, OrgKind, Role, User
from workflow import clock
from workflow.accounts import hash_password
from workflow.admin import log, organisations
from workflow.admin.passwords import check_strength
from workflow.admin.users import check_grantable, email_taken, normalise_email
from workflow.errors import BadInput, Conflict, NotFound, RuleViolation


def create_org(rt, *, name: str, short_name: str, kind: str, parent_id: int | None) -> int:
    """A municipality (no parent) or a school of a municipality; returns its id."""
    data = {"name": name, "short_name": short_name}
    with rt.db.write_session() as session:
        if kind == OrgKind.municipality.value:
            if parent_id is not None:
                raise BadInput("Муниципалитет не входит в другую организацию: уберите "
                               "--parent-id.", code="invalid_parent")
            return organisations.create_municipality(session, None, data).id
        if kind != OrgKind.school.value:
            raise BadInput("Вид организации: municipality или school.", code="invalid_kind")
        parent = session.get(Organization, parent_id) if parent_id is not None else None
        if parent is None or parent.kind is not OrgKind.municipality:
            raise BadInput("Школа должна входить в муниципалитет: укажите --parent-id "
                           "муниципалитета.", code="invalid_parent")
        if not parent.is_active:
            raise RuleViolation(f"Муниципалитет «{parent.short_name}» деактивирован.",
                                code="organization_inactive")
        return organisations.add_school(session, None, parent, data).id


def create_user(rt, *, email: str, full_name: str, password: str, position: str = "") -> int:
    """A person who logs in with this password (no roles yet: see :func:`grant`)."""
    email = normalise_email(email)
    full_name = " ".join((full_name or "").split())
    position = " ".join((position or "").split())
    if not full_name or len(full_name) > 200:
        raise BadInput("Укажите ФИО (не длиннее 200 символов).", code="missing_field")
    if len(position) > 200:
        raise BadInput("Должность длиннее 200 символов.", code="invalid_field")
    check_strength(password, email=email, full_name=full_name)
    with rt.db.write_session() as session:
        if email_taken(session, email):
            raise Conflict(f"Пользователь с e-mail {email} уже есть.", code="duplicate_email")
        user = User(email=email, full_name=full_name, position=position,
                    password_hash=hash_password(password), password_changed_at=clock.now())
        session.add(user)
        session.flush()
        log.record(session, None, "create", "user", user.id, None,
                   {"email": email, "full_name": full_name, "position": position})
        return user.id


def grant(rt, *, user_id: int, org_id: int, role: str) -> bool:
    """Give the role; False when the person already had it."""
    try:
        role_enum = Role(role)
    except ValueError:
        raise BadInput(f"Неизвестная роль «{role}»; роли: "
                       f"{', '.join(r.value for r in Role)}.", code="invalid_role") from None
    with rt.db.write_session() as session:
        user, org = session.get(User, user_id), session.get(Organization, org_id)
        if user is None:
            raise NotFound(f"Пользователь id={user_id} не найден.", code="user_not_found")
        if org is None:
            raise NotFound(f"Организация id={org_id} не найдена.",
                           code="organization_not_found")
        check_grantable(org, role_enum)
        if session.scalar(select(Grant.id).where(Grant.user_id == user_id,
                                                 Grant.org_id == org_id,
                                                 Grant.role == role_enum)) is not None:
            return False
        session.add(Grant(user_id=user_id, org_id=org_id, role=role_enum))
        log.record(session, None, "grant", "grant", user_id, org_id,
                   {"user": user.full_name, "role": role_enum.value})
        return True
