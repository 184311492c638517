"""People of a municipality: list, create (with an invitation), edit, grants, deactivate.

The municipality's admin manages everyone in the municipality and its schools; a school's
director or school_admin manage their school's staff with school roles. Nobody adds a role
to themselves; the last active admin of a municipality cannot be removed.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.models import Grant, Organization, OrgKind, Role, User
from workflow.admin import invitations, log, scope
from workflow.engine.permissions import ROLE_TITLES, Actor
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation
from workflow.names import require_letters
from workflow.paging import sort_order

UNUSABLE_PASSWORD = "!invited-"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def normalise_email(value) -> str:
    """Trim, lower-case and check an e-mail; BadInput when it is not one."""
    if not isinstance(value, str):
        raise BadInput("Укажите e-mail.", code="invalid_email")
    email = value.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise BadInput("Некорректный e-mail «%(email)s».", code="invalid_email",
                       params={"email": value.strip()})
    return email


def _text(data: dict, name: str, label: str, *, required: bool, limit: int = 200) -> str | None:
    if name not in data:
        if required:
            raise BadInput(f"Не заполнено поле «{label}».", code="missing_field",
                           details={"field": name})
        return None
    value = data[name]
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"Поле «{label}» должно быть строкой.", code="invalid_field")
    value = " ".join(value.split())
    if required and not value:
        raise BadInput(f"Не заполнено поле «{label}».", code="missing_field",
                       details={"field": name})
    if len(value) > limit:
        raise BadInput(f"Поле «{label}» длиннее {limit} символов.", code="invalid_field")
    return require_letters(value, label, name)


def to_api(session: Session, user: User) -> dict:
    """The API shape of a user; ``invitation_pending`` until the invitation link is used."""
    return user.to_api() | {"position": user.position or "", "active": user.is_active,
                            "invitation_pending": user.password_hash.startswith(
                                UNUSABLE_PASSWORD)}


def _parse_grants(session: Session, actor: Actor, raw) -> set[tuple[Role, int]]:
    if not isinstance(raw, list):
        raise BadInput("Поле grants: список {role, org_id}.", code="invalid_field")
    allowed = scope.user_org_ids(session, actor)
    out: set[tuple[Role, int]] = set()
    for item in raw:
        if not isinstance(item, dict) or isinstance(item.get("org_id"), bool) \
                or not isinstance(item.get("org_id"), int):
            raise BadInput("Поле grants: список {role, org_id}.", code="invalid_field")
        role = parse_role(item.get("role"))
        org = scope.require_org(session, actor, item["org_id"], allowed,
                                "Выдавать роли в этой организации вам нельзя.")
        check_grantable(org, role)
        out.add((role, org.id))
    return out


def parse_role(value) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise BadInput(f"Неизвестная роль «{value}».", code="invalid_role") from None


def check_grantable(org: Organization, role: Role) -> None:
    """A role is given only in an active organisation, and only one that fits its kind."""
    if not org.is_active:
        raise RuleViolation("Организация «%(org)s» деактивирована: новые роли в ней не "
                            "выдаются.", code="organization_inactive",
                            params={"org": org.short_name})
    if role not in scope.roles_for(org.kind):
        where = "школе" if org.kind is OrgKind.school else "муниципалитете"
        raise BadInput(f"Роль «{ROLE_TITLES[role.value]}» нельзя выдать в {where}.",
                       code="invalid_role")


def _search(q: str):
    """Case-insensitive search by name, e-mail or position (SQLite's lower() is ASCII-only,
    so the usual spellings of the words are tried as typed, lower case and capitalised)."""
    words = " ".join(q.split())
    variants = {words, words.lower(), words.capitalize(), words.title()}
    conds = []
    for v in variants:
        like = f"%{v}%"
        conds += [User.full_name.like(like), func.lower(User.email).like(like.lower()),
                  User.position.like(like)]
    return or_(*conds)


def _users_query(ids: set[int]):
    return select(User).where(User.id.in_(select(Grant.user_id).where(Grant.org_id.in_(ids))))


#: Columns the users list sorts by (``-key``: descending); by default, by name.
USER_SORTS = {"name": User.full_name, "email": User.email, "position": User.position}


def list_users(session: Session, actor: Actor, *, org_id: int | None = None,
               q: str | None = None, role: str | None = None, active: bool | None = None,
               page: int = 1, per_page: int = 50, sort: str | None = None) -> dict:
    readable = scope.reader_org_ids(session, actor)
    if org_id is not None:
        scope.require_org(session, actor, org_id, readable,
                          "Список сотрудников этой организации вам недоступен.")
        readable = {org_id}
    elif not readable:
        scope.forbid("Список пользователей доступен администраторам.")
    query = _users_query(readable)
    if role:
        role_enum = parse_role(role)
        query = query.where(User.id.in_(select(Grant.user_id).where(
            Grant.org_id.in_(readable), Grant.role == role_enum)))
    if q:
        query = query.where(_search(q))
    if active is not None:
        query = query.where(User.is_active.is_(active))
    page, per_page = max(page, 1), min(max(per_page, 1), 200)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    order = sort_order(sort, USER_SORTS, [User.full_name], [User.id])
    users = session.scalars(query.order_by(*order)
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return {"items": [to_api(session, u) for u in users], "total": total, "page": page}


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(func.lower(User.email) == email.lower())) \
        is not None


def add_user(session: Session, actor: Actor | None, *, email: str, full_name: str,
             position: str, grants: set[tuple[Role, int]]) -> User:
    """Inside the caller's transaction: the user, the grants and their log rows (no e-mail)."""
    if email_taken(session, email):
        raise Conflict("Пользователь с e-mail %(email)s уже есть.", code="duplicate_email",
                       params={"email": email})
    # No password until the invitation link is used: a marker no password can match (and
    # cheap — an import of 200 people does not compute 200 scrypt hashes).
    user = User(email=email, full_name=full_name, position=position,
                password_hash=UNUSABLE_PASSWORD + secrets.token_hex(16))
    try:
        with session.begin_nested():  # another admin may have taken the e-mail just now
            session.add(user)
    except IntegrityError:
        raise Conflict("Пользователь с e-mail %(email)s уже есть.",
                       code="duplicate_email", params={"email": email}) from None
    first_org = min(oid for _, oid in grants)
    log.record(session, actor, "create", "user", user.id, first_org,
               {"email": email, "full_name": full_name, "position": position})
    for role, org_id in sorted(grants, key=lambda g: (g[1], g[0].value)):
        session.add(Grant(user_id=user.id, org_id=org_id, role=role))
        log.record(session, actor, "grant", "grant", user.id, org_id,
                   {"user": full_name, "role": role.value})
    session.flush()
    return user


def create_user(rt, actor: Actor, data: dict) -> dict:
    """POST /users: 201 and an invitation e-mail (after the commit, through the outbox)."""
    with rt.db.write_session() as session:
        grants = _parse_grants(session, actor, data.get("grants", []))
        if not grants and not scope.user_org_ids(session, actor):
            scope.forbid("Создавать пользователей могут администраторы.")
        if not grants:
            raise BadInput("Выдайте пользователю хотя бы одну роль.", code="missing_grants")
        email = normalise_email(data.get("email"))
        full_name = _text(data, "full_name", "ФИО", required=True)
        position = _text(data, "position", "Должность", required=False) or ""
        user = add_user(session, actor, email=email, full_name=full_name, position=position,
                        grants=grants)
        item, link = invitations.invite(rt, session, actor, user, min(o for _, o in grants))
        result, outbox = to_api(session, user), [item.id] if item else []
    rt.after_commit(outbox)
    return result | ({"invitation_link": link} if link else {})


def _managed_user(session: Session, actor: Actor, user_id: int) -> tuple[User, set[int]]:
    """The user (404 unless the actor reads some org of theirs) and the orgs the actor manages."""
    user = session.get(User, user_id)
    readable = scope.reader_org_ids(session, actor)
    if user is None or not ({g.org_id for g in user.grants} & readable or user.id == actor.id):
        raise NotFound("Пользователь не найден.", code="user_not_found")
    managed = scope.user_org_ids(session, actor)
    if not {g.org_id for g in user.grants} & managed:
        raise Forbidden("Управлять этим пользователем вам нельзя.", code="forbidden")
    return user, managed


def get_user(session: Session, actor: Actor, user_id: int) -> dict:
    user = session.get(User, user_id)
    readable = scope.reader_org_ids(session, actor)
    if user is None or not {g.org_id for g in user.grants} & readable:
        raise NotFound("Пользователь не найден.", code="user_not_found")
    return to_api(session, user)


def _check_last_admin(session: Session, user: User, losing: set[int]) -> None:
    """Refuse when the user is the last active admin of a municipality they would leave."""
    for muni_id in losing:
        others = session.scalar(select(func.count()).select_from(Grant).join(User).where(
            Grant.org_id == muni_id, Grant.role == Role.admin, User.is_active.is_(True),
            User.id != user.id))
        if not others:
            name = session.get(Organization, muni_id).short_name
            raise RuleViolation("Нельзя убрать последнего администратора муниципалитета "
                                "«%(org)s»: сначала назначьте другого.", code="last_admin",
                                params={"org": name})


def update_user(rt, actor: Actor, user_id: int, data: dict) -> dict:
    """PATCH /users/{id}: name, position, grants (within the orgs the actor manages), active."""
    with rt.db.write_session() as session:
        user, managed = _managed_user(session, actor, user_id)
        org_id = min(g.org_id for g in user.grants if g.org_id in managed)
        changes = {}
        for name, label in (("full_name", "ФИО"), ("position", "Должность")):
            value = _text(data, name, label, required=name == "full_name" and name in data)
            if value is not None and value != getattr(user, name):
                changes[name] = f"{getattr(user, name)} → {value}"
                setattr(user, name, value)
        if changes:
            log.record(session, actor, "update", "user", user.id, org_id, changes)
        if "grants" in data:
            _replace_grants(session, actor, user, managed, data["grants"])
        if "active" in data:
            _set_active(session, actor, user, managed, data["active"])
        session.flush()
        session.refresh(user)
        return to_api(session, user)


def _replace_grants(session: Session, actor: Actor, user: User, managed: set[int], raw) -> None:
    wanted = _parse_grants(session, actor, raw)
    current = {(g.role, g.org_id) for g in user.grants if g.org_id in managed}
    added, removed = wanted - current, current - wanted
    if added and user.id == actor.id:
        raise Forbidden("Нельзя выдавать роли самому себе.", code="own_role")
    if not wanted and not {g for g in user.grants if g.org_id not in managed}:
        raise BadInput("У пользователя должна остаться хотя бы одна роль; чтобы закрыть "
                       "доступ, деактивируйте его.", code="missing_grants")
    if user.is_active:
        _check_last_admin(session, user, {o for r, o in removed if r is Role.admin})
    for grant in list(user.grants):
        if (grant.role, grant.org_id) in removed:
            user.grants.remove(grant)
            log.record(session, actor, "revoke", "grant", user.id, grant.org_id,
                       {"user": user.full_name, "role": grant.role.value})
    for role, org_id in sorted(added, key=lambda g: (g[1], g[0].value)):
        user.grants.append(Grant(user_id=user.id, org_id=org_id, role=role))
        log.record(session, actor, "grant", "grant", user.id, org_id,
                   {"user": user.full_name, "role": role.value})


def _set_active(session: Session, actor: Actor, user: User, managed: set[int], active) -> None:
    if not isinstance(active, bool):
        raise BadInput("Поле active: true или false.", code="invalid_field")
    if active == user.is_active:
        return
    outside = {g.org_id for g in user.grants} - managed
    if outside:
        raise Forbidden("У пользователя есть роли в других организациях; деактивировать его "
                        "может администратор муниципалитета.", code="forbidden")
    org_id = min(g.org_id for g in user.grants)
    if not active:
        _check_last_admin(session, user, {g.org_id for g in user.grants
                                          if g.role is Role.admin})
        invitations.revoke_access(session, user.id)
    user.is_active = active
    log.record(session, actor, "activate" if active else "deactivate", "user", user.id, org_id,
               {"email": user.email, "full_name": user.full_name})


def resend_invitation(rt, actor: Actor, user_id: int) -> str | None:
    """POST /users/{id}/invitation: a fresh link (the earlier ones stop working) by e-mail —
    or, without a mail server, returned for the administrator to hand over."""
    with rt.db.write_session() as session:
        user, managed = _managed_user(session, actor, user_id)
        if not user.is_active:
            raise RuleViolation("Пользователь деактивирован; сначала восстановите его.",
                                code="user_inactive")
        item, link = invitations.invite(
            rt, session, actor, user, min(g.org_id for g in user.grants if g.org_id in managed))
        ids = [item.id] if item else []
    rt.after_commit(ids)
    return link
