"""Accounts: passwords (Werkzeug scrypt), browser sessions, API tokens, administration."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from documents.models import (
    Acquaintance,
    ApiToken,
    Grant,
    Organization,
    OrgKind,
    Role,
    Substitution,
    User,
    UserSession,
)
from workflow import clock
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, Conflict, NotFound, RuleViolation

DEMO_PASSWORD = "demo-nastavnik"
TOKEN_TTL = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(days=7)
SESSION_TOUCH = timedelta(minutes=5)
MIN_PASSWORD = 10
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def authenticate(session: Session, email: str, password: str, *, demo_mode: bool) -> User | None:
    """The user for these credentials, or None. The demo password works only in demo mode."""
    email = (email or "").strip().lower()
    user = session.scalar(select(User).where(User.email == email)) if email else None
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if not ok or user is None or not user.is_active:
        return None
    if password == DEMO_PASSWORD and not demo_mode:
        return None
    return user


def _now() -> datetime:
    return clock.now()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def issue_token(rt, user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    with rt.db.write_session() as session:
        session.add(ApiToken(user_id=user_id, token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                             expires_at=_now() + TOKEN_TTL))
    return token


_users, _tokens, _grants = User.__table__, ApiToken.__table__, Grant.__table__
_sessions = UserSession.__table__
_orgs, _subs, _acq = Organization.__table__, Substitution.__table__, Acquaintance.__table__
#: Whether the person stands in for someone today (и. о.): asked with the person, so that
#: nobody else's requests look for substitutions.
_DEPUTY = exists().where(_subs.c.deputy_id == _users.c.id, _subs.c.start <= bindparam("today"),
                         _subs.c.end >= bindparam("today"), _subs.c.ended_at.is_(None))

#: Built once (not per request): the statement every API request starts with — the user's
#: name, position and grants as plain rows (one per grant), not objects.
_TOKEN_ACTOR = (select(_users.c.id, _users.c.full_name, _users.c.position, _tokens.c.expires_at,
                       _grants.c.role, _grants.c.org_id, _DEPUTY.label("deputy"))
                .select_from(_users.join(_tokens, _tokens.c.user_id == _users.c.id)
                             .outerjoin(_grants, _grants.c.user_id == _users.c.id))
                .where(_tokens.c.token_sha256 == bindparam("digest"),
                       _tokens.c.revoked_at.is_(None), _users.c.is_active.is_(True)))


def actor_for_token(db, token: str) -> Actor | None:
    """Who calls with this bearer token (live, not revoked, active user), or None. One
    statement outside any transaction (:meth:`documents.db.Database.read_rows`): every API
    request starts here."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    rows = db.read_rows(_TOKEN_ACTOR, {"digest": digest, "today": clock.today()})
    if not rows or _aware(rows[0].expires_at) < _now():
        return None
    return _actor_of(rows, deputy=bool(rows[0].deputy))


def _actor_of(rows, **context) -> Actor:
    """The person of rows with the user's id, name and position and one grant each (and
    ``context``: what else was read with them, see :class:`Actor`)."""
    first = rows[0]
    return Actor(first.id, first.full_name, first.position or "",
                 frozenset((Role(r.role), r.org_id) for r in rows if r.role is not None),
                 **context)


def start_session(rt, user_id: int) -> str:
    sid = secrets.token_urlsafe(32)
    with rt.db.write_session() as session:
        session.add(UserSession(id=sid, user_id=user_id))
    return sid


#: Every page starts here: the browser session's person and grants as plain rows (one per
#: grant), with the session's times to check, and what the page's navigation asks about the
#: person (the kinds of the granted organisations, a substitution today, anything to read).
_SESSION_ACTOR = (
    select(_users.c.id, _users.c.full_name, _users.c.position,
           _sessions.c.created_at, _sessions.c.last_seen_at,
           _grants.c.role, _grants.c.org_id, _orgs.c.kind, _orgs.c.parent_id,
           _DEPUTY.label("deputy"),
           exists().where(_acq.c.user_id == _users.c.id, _acq.c.acknowledged_at.is_(None))
           .label("to_read"))
    .select_from(_users.join(_sessions, _sessions.c.user_id == _users.c.id)
                 .outerjoin(_grants, _grants.c.user_id == _users.c.id)
                 .outerjoin(_orgs, _orgs.c.id == _grants.c.org_id))
    .where(_sessions.c.id == bindparam("sid"), _sessions.c.revoked_at.is_(None),
           _users.c.is_active.is_(True)))


def actor_for_session(db, sid: str) -> Actor | None:
    """The active person of a live browser session, with the grants, in one statement outside
    any transaction (every page starts here); None when revoked, idle for SESSION_IDLE or
    older than SESSION_MAX (checked here, on the server, whatever the cookie says)."""
    rows = db.read_rows(_SESSION_ACTOR, {"sid": sid, "today": clock.today()})
    if not rows:
        return None
    first, now = rows[0], clock.now()
    seen = _aware(first.last_seen_at or first.created_at)
    if _aware(first.created_at) + SESSION_MAX < now or seen + SESSION_IDLE < now:
        return None
    if now - seen > SESSION_TOUCH:
        with db.write_session() as session:
            session.execute(update(UserSession).where(UserSession.id == sid)
                            .values(last_seen_at=now))
    return _actor_of(rows, deputy=bool(first.deputy), to_read=bool(first.to_read),
                     orgs={r.org_id: (OrgKind(r.kind), r.parent_id)
                           for r in rows if r.role is not None})


def end_session(rt, sid: str) -> None:
    with rt.db.write_session() as session:
        session.execute(update(UserSession).where(UserSession.id == sid)
                        .values(revoked_at=_now()))


def change_password(rt, user_id: int, old: str, new: str) -> None:
    """Change a password; every session and token of the user dies with the old one."""
    if len(new or "") < MIN_PASSWORD:
        raise BadInput("Новый пароль должен быть не короче %(n)s символов.",
                       code="weak_password", params={"n": MIN_PASSWORD})
    if new == DEMO_PASSWORD:
        raise BadInput("Этот пароль использовать нельзя.", code="weak_password")
    with rt.db.write_session() as session:
        user = session.get(User, user_id)
        if user is None or not check_password_hash(user.password_hash, old or ""):
            raise RuleViolation("Текущий пароль введён неверно.", code="wrong_password")
        user.password_hash = hash_password(new)
        user.password_changed_at = _now()
        session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                  UserSession.revoked_at.is_(None))
                        .values(revoked_at=_now()))
        session.execute(update(ApiToken).where(ApiToken.user_id == user_id,
                                               ApiToken.revoked_at.is_(None))
                        .values(revoked_at=_now()))


def create_organization(session: Session, *, name: str, short_name: str, kind: str,
                        parent_id: int | None = None, founder: str = "", place: str = "",
                        head_name: str = "", head_position: str = "Директор") -> Organization:
    try:
        org_kind = OrgKind(kind)
    except ValueError:
        raise BadInput("Вид организации: municipality или school.", code="invalid_kind") from None
    if org_kind is OrgKind.school:
        parent = session.get(Organization, parent_id) if parent_id else None
        if parent is None or parent.kind is not OrgKind.municipality:
            raise BadInput("Школа должна входить в муниципалитет.", code="invalid_parent")
    org = Organization(name=name, short_name=short_name, kind=org_kind, parent_id=parent_id,
                       founder=founder, place=place, head_name=head_name,
                       head_position=head_position)
    session.add(org)
    session.flush()
    if org_kind is OrgKind.school:
        from workflow.roadmaps.items import assign_open_items_to_school

        assign_open_items_to_school(session, org.id)  # the municipal roadmap's open items
    return org


def create_user(session: Session, *, email: str, full_name: str, password: str,
                position: str = "", is_demo: bool = False) -> User:
    email = email.strip().lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Пользователь %(email)s уже существует.", code="duplicate_user",
                       params={"email": email})
    user = User(email=email, full_name=full_name, position=position,
                password_hash=hash_password(password), is_demo=is_demo)
    session.add(user)
    session.flush()
    return user


def grant_role(session: Session, user_id: int, org_id: int, role: str) -> Grant:
    try:
        role_enum = Role(role)
    except ValueError:
        raise BadInput(f"Неизвестная роль «{role}».", code="invalid_role") from None
    if session.get(User, user_id) is None or session.get(Organization, org_id) is None:
        raise NotFound("Пользователь или организация не найдены.")
    existing = session.scalar(select(Grant).where(Grant.user_id == user_id,
                                                  Grant.org_id == org_id, Grant.role == role_enum))
    if existing is not None:
        return existing
    grant = Grant(user_id=user_id, org_id=org_id, role=role_enum)
    session.add(grant)
    session.flush()
    return grant


_PHONE = __import__("re").compile(r"^[0-9+()\-\s.,доб]{0,40}$")


def set_phone(rt, user_id: int, phone: str) -> str:
    """The work phone printed in the «отметка об исполнителе» of the acts the user drafts."""
    phone = " ".join((phone or "").split())
    if len(phone) > 40 or not _PHONE.match(phone):
        raise BadInput("Телефон: только цифры, пробелы, «+», «-», скобки и «доб.», "
                       "не длиннее 40 знаков.", code="invalid_phone")
    with rt.db.write_session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Пользователь не найден.", code="user_not_found")
        user.phone = phone
    return phone
