"""Invitations and password resets: a one-time link valid 72 hours.

The link's secret (256 random bits) is made by the e-mail effect after the administrative
transaction committed, so only its SHA-256 is ever stored — not in the token table, not in
the outbox. Sending again supersedes the earlier links of the same purpose.

Without a mail server (``SMTP_HOST`` empty: mail is optional) an invitation would reach
nobody; the administrator is handed the link instead, shown once, to pass on in person
(:func:`invite`).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from documents.models import ApiToken, OutboxItem, PasswordToken, User, UserSession
from workflow import clock
from workflow.accounts import DEMO_PASSWORD, hash_password
from workflow.admin import log
from workflow.admin.passwords import check_strength
from workflow.engine.effects import enqueue, handler
from workflow.errors import BadInput, RuleViolation
from workflow.notify.mailer import send_mail

TTL = timedelta(hours=72)
EFFECT = "password_link"
LINK_PATH = "/password/set/"

SUBJECTS = {"invite": "Приглашение в систему «Наставник»",
            "reset": "Восстановление пароля в системе «Наставник»"}
BODIES = {
    "invite": ("Здравствуйте, {name}!\n\nДля вас создана учётная запись в системе «Наставник» "
               "(документооборот целевой модели наставничества).\nЛогин: {email}\n\n"
               "Чтобы задать пароль, откройте ссылку (действует 72 часа, один раз):\n{link}\n"),
    "reset": ("Здравствуйте, {name}!\n\nКто-то (возможно, вы) запросил восстановление пароля "
              "в системе «Наставник».\nЧтобы задать новый пароль, откройте ссылку (действует "
              "72 часа, один раз):\n{link}\n\nЕсли вы не запрашивали восстановление, просто "
              "не отвечайте на это письмо.\n"),
}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def queue_link(session: Session, user_id: int, purpose: str) -> OutboxItem:
    """Inside the caller's transaction: an outbox row that will e-mail a fresh link."""
    if purpose not in SUBJECTS:
        raise ValueError(purpose)
    item = enqueue(session, f"{EFFECT}:{purpose}:{user_id}:{uuid.uuid4().hex}", EFFECT,
                   payload={"user_id": user_id, "purpose": purpose})
    session.flush()
    return item


def mail_configured(settings) -> bool:
    return bool(settings.smtp_host)


def invite(rt, session: Session, actor, user: User, org_id: int
           ) -> tuple[OutboxItem | None, str | None]:
    """Inside the caller's transaction, with its log row: (the outbox row that will e-mail
    the link, None), or without a mail server (None, the link itself) for the administrator
    to hand over."""
    if mail_configured(rt.settings):
        item, link = queue_link(session, user.id, "invite"), None
    else:
        item, link = None, new_link(rt, session, user, "invite")
    log.record(session, actor, "invite", "user", user.id, org_id,
               {"email": user.email} | ({"handed_over": True} if link else {}))
    return item, link


def new_link(rt, session: Session, user: User, purpose: str) -> str:
    """A fresh one-time link (the earlier ones of the same purpose stop working); only its
    SHA-256 is stored."""
    now = clock.now()
    session.execute(update(PasswordToken).where(
        PasswordToken.user_id == user.id, PasswordToken.purpose == purpose,
        PasswordToken.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    session.add(PasswordToken(user_id=user.id, purpose=purpose, token_sha256=digest(token),
                              created_at=now, expires_at=now + TTL))
    session.flush()
    return rt.settings.base_url.rstrip("/") + LINK_PATH + token


@handler(EFFECT)
def _send_link(rt, session: Session, item: OutboxItem) -> Callable[[], None] | None:
    user = session.get(User, item.payload["user_id"])
    purpose = item.payload["purpose"]
    if user is None or not user.is_active:
        return None
    link = new_link(rt, session, user, purpose)
    email, body = user.email, BODIES[purpose].format(name=user.full_name, email=user.email,
                                                     link=link)
    # Sent once the token is committed: a link opened the moment it arrives must work.
    return lambda: send_mail(rt.settings, [email], SUBJECTS[purpose], body)


def request_reset(rt, email: str, *, send_now: bool = True) -> list[int]:
    """POST /auth/password-reset: the same answer whether or not the account exists.

    Returns the outbox ids; with ``send_now=False`` the caller dispatches them (the web layer
    does it off the request, so the answer takes as long for a real account as for none)."""
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        return []
    ids: list[int] = []
    with rt.db.write_session() as session:
        user = session.scalar(select(User).where(User.email == email,
                                                 User.is_active.is_(True)))
        if user is not None:
            ids.append(queue_link(session, user.id, "reset").id)
    if send_now:
        rt.after_commit(ids)
    return ids


def find_token(session: Session, token: str) -> PasswordToken | None:
    """A link that still works: known, unused, not expired, its user active."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(PasswordToken).where(PasswordToken.token_sha256 ==
                                                     digest(token)))
    if row is None or row.used_at is not None or _aware(row.expires_at) <= clock.now():
        return None
    user = session.get(User, row.user_id)
    return row if user is not None and user.is_active else None


def set_password(rt, token: str, password: str, confirm: str | None = None) -> int:
    """Use a link once: set the password, end every session and token. Returns the user id."""
    if confirm is not None and confirm != password:
        raise BadInput("Пароли не совпадают.", code="password_mismatch")
    with rt.db.write_session() as session:
        row = find_token(session, token)
        if row is None:
            raise RuleViolation("Ссылка недействительна: она уже использована, устарела или "
                                "неверна. Запросите новую.", code="link_invalid")
        user = session.get(User, row.user_id)
        check_strength(password, email=user.email, full_name=user.full_name)
        if password == DEMO_PASSWORD:
            raise BadInput("Этот пароль использовать нельзя.", code="weak_password")
        now = clock.now()
        user.password_hash = hash_password(password)
        user.password_changed_at = now
        session.execute(update(PasswordToken).where(PasswordToken.user_id == user.id,
                                                    PasswordToken.used_at.is_(None))
                        .values(used_at=now))
        revoke_access(session, user.id)
        if row.purpose == "invite":
            from workflow.engine.permissions import Actor

            grants = [g.org_id for g in user.grants]
            log.record(session, Actor.of(user), "password_set", "user", user.id,
                       grants[0] if grants else None, {"email": user.email})
        return user.id


def revoke_access(session: Session, user_id: int) -> None:
    """Every browser session and API token of the user dies now."""
    now = clock.now()
    session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                              UserSession.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.execute(update(ApiToken).where(ApiToken.user_id == user_id,
                                           ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))
