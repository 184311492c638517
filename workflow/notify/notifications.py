"""In-app notifications (and e-mail, when SMTP is configured) for the people who act next."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Document, Grant, Notification, OutboxItem, Role, User
from workflow.engine.effects import handler

TEXTS = {
    "submit": "Документ «{title}» ждёт вашего утверждения.",
    "approve": "Документ «{title}» утверждён и ждёт подписи.",
    "sign": "Документ «{title}» подписан; его можно направить в управление образования.",
    "reject": "Документ «{title}» возвращён на доработку.",
    "send_to_municipality": "Школа направила документ «{title}» на проверку.",
    "accept": "Управление образования приняло документ «{title}».",
    "return_for_revision": "Управление образования вернуло документ «{title}» на доработку.",
}


@handler("notify")
def _notify(rt, session: Session, item: OutboxItem) -> None:
    payload = item.payload
    roles = [Role(r) for r in payload["roles"]]
    users = session.scalars(
        select(User).join(Grant).where(Grant.org_id == payload["org_id"], Grant.role.in_(roles),
                                       User.is_active.is_(True)).distinct()
    ).all()
    text = TEXTS.get(payload["event"], "Документ «{title}» изменён.").format(**payload)
    doc = session.get(Document, item.document_id) if item.document_id else None
    if doc is not None and doc.org_id != payload["org_id"]:
        from workflow.mentorship.minors import redact_for

        text = redact_for(session, doc.org_id, text)  # read outside the school: no minors
    for user in users:
        key = f"{item.key}:u{user.id}"
        if session.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            continue
        session.add(Notification(user_id=user.id, document_id=item.document_id,
                                 kind=payload["event"], text=text,
                                 url=f"/documents/{item.document_id}", dedupe_key=key))
    from workflow.notify.approval_mail import send_decision_mail

    send_decision_mail(rt, session, item)
