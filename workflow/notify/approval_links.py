"""Approve from e-mail: the «ждёт вашего решения» e-mail carries one-time links. A link
opens a confirmation page (nothing happens on GET); it works once, for that person and
that version of the document only, until it expires. The token has 256 bits and only its
SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from documents.models import Document, Grant, Role, User
from documents.models.approval_link import ApprovalLink
from workflow import clock
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event, load_document
from workflow.errors import Forbidden, NotFound, RuleViolation

LIFETIME = timedelta(days=3)
#: The event an e-mail asks the reader to decide on, by the event that made the document wait.
DECISION = {"submit": "approve", "approve": "sign"}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user_id: int, doc: Document, event: str) -> str:
    """A new link for ``user_id`` to fire ``event`` on the current version of ``doc``."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(ApprovalLink(token_sha256=_hash(token), user_id=user_id, document_id=doc.id,
                             version=doc.version, lock_version=doc.lock_version, event=event,
                             created_at=now, expires_at=now + LIFETIME))
    session.flush()
    return token


@dataclass(frozen=True)
class LinkView:
    link: ApprovalLink
    doc: Document


def open_link(session: Session, actor: Actor, token: str) -> LinkView:
    """What the confirmation page shows; refuses a used, expired, foreign or stale link."""
    link = session.scalar(select(ApprovalLink).where(ApprovalLink.token_sha256 == _hash(
        token or "")))
    if link is None:
        raise NotFound("Ссылка не найдена.", code="link_not_found")
    if link.user_id != actor.id:
        raise Forbidden("Эта ссылка выдана другому пользователю.", code="link_foreign")
    if link.used_at is not None:
        raise RuleViolation("Ссылка уже использована.", code="link_used")
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=UTC)
    if expires <= clock.now():
        raise RuleViolation("Срок действия ссылки истёк. Откройте документ в системе.",
                            code="link_expired")
    doc = load_document(session, actor, link.document_id)
    if doc.version != link.version or doc.lock_version != link.lock_version:
        raise RuleViolation("Документ изменился после отправки письма. Откройте его в системе "
                            "и примите решение по актуальной версии.", code="link_stale")
    return LinkView(link, doc)


def use_link(rt, actor: Actor, token: str) -> int:
    """Fire the link's event (once); returns the document id."""
    with rt.db.read_session() as session:
        view = open_link(session, actor, token)
        link_id, doc_id = view.link.id, view.doc.id
        event, lock = view.link.event, view.link.lock_version
    with rt.db.write_session() as session:  # claim the link first: a second click loses
        claimed = session.execute(update(ApprovalLink).where(
            ApprovalLink.id == link_id, ApprovalLink.used_at.is_(None))
            .values(used_at=clock.now())).rowcount
    if claimed != 1:
        raise RuleViolation("Ссылка уже использована.", code="link_used")
    try:
        apply_event(rt, doc_id, event, actor, "", lock)
    except Exception:
        with rt.db.write_session() as session:  # nothing happened: the link stays usable
            session.execute(update(ApprovalLink).where(ApprovalLink.id == link_id)
                            .values(used_at=None))
        raise
    return doc_id


def decision_links(session: Session, doc: Document, event: str, roles: list[Role],
                   org_id: int) -> list[tuple[User, str]]:
    """(user, token) for each person who now has to decide, when the event makes them."""
    decision = DECISION.get(event)
    if decision is None:
        return []
    users = session.scalars(select(User).join(Grant).where(
        Grant.org_id == org_id, Grant.role.in_(roles), User.is_active.is_(True)).distinct())
    return [(u, issue(session, u.id, doc, decision)) for u in users]
