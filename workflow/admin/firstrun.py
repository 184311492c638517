"""The first run of a real installation: the municipality and its first administrator —
from ``flask --app web create-admin`` or the first-run page (only while no user exists)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.models import Grant, Role, User
from workflow import clock
from workflow.accounts import hash_password
from workflow.admin import log, organisations
from workflow.admin.passwords import check_strength
from workflow.admin.users import normalise_email
from workflow.errors import BadInput, Conflict


def needed(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def create_first_admin(rt, *, municipality: dict, email: str, full_name: str,
                       password: str, position: str = "Администратор системы") -> dict:
    """Create the municipality and its admin (with a password); refused once a user exists."""
    email = normalise_email(email)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise BadInput("Укажите ФИО администратора.", code="missing_field")
    check_strength(password, email=email, full_name=full_name)
    with rt.db.write_session() as session:
        if not needed(session):
            raise Conflict("Система уже настроена: пользователи есть. Войдите как "
                           "администратор.", code="already_initialised")
        org = organisations.create_municipality(session, None, municipality)
        user = User(email=email, full_name=full_name, position=position,
                    password_hash=hash_password(password), password_changed_at=clock.now())
        session.add(user)
        session.flush()
        session.add(Grant(user_id=user.id, org_id=org.id, role=Role.admin))
        session.flush()
        log.record(session, None, "create", "user", user.id, org.id,
                   {"email": email, "full_name": full_name, "first_run": True})
        log.record(session, None, "grant", "grant", user.id, org.id,
                   {"user": full_name, "role": "admin"})
        return {"org_id": org.id, "user_id": user.id}
