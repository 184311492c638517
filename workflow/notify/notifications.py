"""In-app notifications (and e-mail, when SMTP is configured) for the people who act next."""

from __future__ import annotations

from sqlalchemy import insert, select
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
    user_ids = session.scalars(
        select(User.id).join(Grant).where(Grant.org_id == payload["org_id"],
                                          Grant.role.in_(roles), User.is_active.is_(True))
        .distinct().order_by(User.id)).all()
    user_ids = [uid for uid in user_ids if uid != payload.get("actor_id")]  # not one's own act
    text = TEXTS.get(payload["event"], "Документ «{title}» изменён.").format(**payload)
    doc_org = (session.scalar(select(Document.org_id).where(Document.id == item.document_id))
               if item.document_id else None)
    if doc_org is not None and doc_org != payload["org_id"]:
        from workflow.mentorship.minors import redact_for

        text = redact_for(session, doc_org, text)  # read outside the school: no minors
    keys = {f"{item.key}:u{user_id}": user_id for user_id in user_ids}
    # each person's notice once, whatever happened to an earlier try (one query, one INSERT)
    sent = set(session.scalars(select(Notification.dedupe_key)
                               .where(Notification.dedupe_key.in_(keys)))) if keys else set()
    rows = [{"user_id": user_id, "document_id": item.document_id, "kind": payload["event"],
             "text": text, "url": f"/documents/{item.document_id}", "dedupe_key": key}
            for key, user_id in keys.items() if key not in sent]
    if rows:
        session.execute(insert(Notification), rows)
    from workflow.notify.approval_mail import send_decision_mail

    send_decision_mail(rt, session, item)
